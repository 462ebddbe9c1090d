import type { ExpectedVersion } from '../../events/expected-version.js';
import type { AgreementEvent } from '../agreement/events.js';
import { agreementStreamId } from '../agreement/ids.js';
import type { FingerprintEvent, OrderOutcome } from './effects.js';
import type { OrderEvent } from './events.js';
import { duplicateIndexStreamId } from './streams.js';

/** One stream's share of an order command: its events and the version it must be at. */
export interface OrderStreamWrite {
  readonly streamId: string;
  readonly expectedVersion: ExpectedVersion;
  readonly events: readonly (OrderEvent | AgreementEvent)[];
}

/** Where the shell loaded an order: its stream, the version (0: no stream), and whether it is a 0.1 stream. */
export interface LoadedOrderStream {
  readonly streamId: string;
  readonly version: number;
  /** A 0.1 order (`order-{orderId}`): its fingerprint lives in its agreement's index, and is released there. */
  readonly legacy: boolean;
}

/** The streams and versions the shell loaded. */
export interface LoadedVersions {
  /** Where order `orderId` (of the command's company) was loaded. */
  readonly order: (orderId: string) => LoadedOrderStream;
  /** The version a duplicate index stream was loaded at (0: no stream). */
  readonly duplicateIndex: (streamId: string) => number;
}

/**
 * The appends of an order command, for one atomic append: each order stream at the version it was
 * decided on (so a racing approval or delete of the same order conflicts and is decided again), and
 * each touched duplicate index once. An upload guards its content's index at its loaded version: the
 * duplicate check read it, and a racing upload of the same content must see this one. Uploads of
 * different content touch different indexes and never contend; the agreement stream is only read.
 * Releasing a fingerprint (delete, revoke, execute) only removes the order's own entry, which no other
 * decision depends on, so it appends with `'any'` and never contends. A 0.1 order's fingerprint was
 * recorded in its agreement's index, and is released there.
 */
export const orderCommandWrites = (outcomes: readonly OrderOutcome[], versions: LoadedVersions): readonly OrderStreamWrite[] => {
  const orderWrites: OrderStreamWrite[] = [];
  const indexes = new Map<string, { events: FingerprintEvent[]; guarded: boolean }>();
  for (const outcome of outcomes) {
    const loaded = versions.order(outcome.orderId);
    if (outcome.orderEvents.length > 0) orderWrites.push({ streamId: loaded.streamId, expectedVersion: loaded.version, events: outcome.orderEvents });
    for (const event of outcome.indexEvents) {
      const streamId = loaded.legacy
        ? agreementStreamId(outcome.companyId, outcome.serviceId)
        : duplicateIndexStreamId(outcome.companyId, outcome.serviceId, event.data.fingerprint);
      const entry = indexes.get(streamId) ?? { events: [], guarded: false };
      entry.events.push(event);
      entry.guarded ||= event.type === 'OrderFingerprintRecorded';
      indexes.set(streamId, entry);
    }
  }
  return [
    ...orderWrites,
    ...[...indexes.entries()].map(([streamId, entry]) => ({
      streamId,
      expectedVersion: entry.guarded ? versions.duplicateIndex(streamId) : ('any' as const),
      events: entry.events,
    })),
  ];
};
