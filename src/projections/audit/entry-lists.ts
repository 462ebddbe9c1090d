import { emptyMap, entriesOf, hasEntry, setEntry, type PersistentMap } from '../../collections/persistent-map.js';
import { emptyVector, newestFirst, pushValue, valueAt, type PersistentVector } from '../../collections/persistent-vector.js';
import type { TokenStatus } from '../../domain/token/status.js';

/**
 * The growing lists of one audit entry (its event types, the streams it wrote, the token statuses
 * it changed), kept structurally shared so that folding the n-th event of a command costs the same
 * as the first: a bulk import writes ten thousand streams in one command. The entry's plain arrays
 * are built from these only when someone reads the entry.
 */
export interface EntryLists {
  readonly events: PersistentVector<string>;
  readonly streams: PersistentVector<string>;
  readonly streamSet: PersistentMap<true>;
  /** serial -> its last status and when (in this entry) it was set: the list is in that order. */
  readonly statuses: PersistentMap<{ readonly status: TokenStatus; readonly order: number }>;
  readonly statusChanges: number;
}

/** An entry with nothing folded yet. */
export const emptyLists: EntryLists = { events: emptyVector(), streams: emptyVector(), streamSet: emptyMap(), statuses: emptyMap(), statusChanges: 0 };

/** The lists with one more event of the command: its type, its stream (once), and the status it left its token in. */
export const withEvent = (lists: EntryLists, type: string, streamId: string, status: { readonly serial: string; readonly status: TokenStatus } | undefined): EntryLists => ({
  events: pushValue(lists.events, type),
  streams: hasEntry(lists.streamSet, streamId) ? lists.streams : pushValue(lists.streams, streamId),
  streamSet: hasEntry(lists.streamSet, streamId) ? lists.streamSet : setEntry(lists.streamSet, streamId, true),
  statuses: status === undefined ? lists.statuses : setEntry(lists.statuses, status.serial, { status: status.status, order: lists.statusChanges }),
  statusChanges: status === undefined ? lists.statusChanges : lists.statusChanges + 1,
});

/** The first event type folded, if any. */
export const firstEventType = (lists: EntryLists): string | undefined => valueAt(lists.events, 0);

const inOrder = <T>(vector: PersistentVector<T>): T[] => [...newestFirst(vector)].reverse();

/** The lists as the entry's plain arrays. */
export const listsAsArrays = (lists: EntryLists): { readonly events: readonly string[]; readonly streams: readonly string[]; readonly tokenStatuses: readonly { readonly serial: string; readonly status: TokenStatus }[] } => ({
  events: inOrder(lists.events),
  streams: inOrder(lists.streams),
  tokenStatuses: [...entriesOf(lists.statuses)].sort(([, left], [, right]) => left.order - right.order).map(([serial, { status }]) => ({ serial, status })),
});

/** Lists holding an entry's arrays as a checkpoint kept them. */
export const listsOf = (entry: { readonly events: readonly string[]; readonly streams: readonly string[]; readonly tokenStatuses: readonly { readonly serial: string; readonly status: TokenStatus }[] }): EntryLists => {
  let lists = emptyLists;
  for (const type of entry.events) lists = { ...lists, events: pushValue(lists.events, type) };
  for (const streamId of entry.streams) {
    if (!hasEntry(lists.streamSet, streamId)) lists = { ...lists, streams: pushValue(lists.streams, streamId), streamSet: setEntry(lists.streamSet, streamId, true) };
  }
  for (const change of entry.tokenStatuses) {
    lists = { ...lists, statuses: setEntry(lists.statuses, change.serial, { status: change.status, order: lists.statusChanges }), statusChanges: lists.statusChanges + 1 };
  }
  return lists;
};
