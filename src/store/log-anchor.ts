import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { invalidCommand, type SdkError } from '../errors/sdk-error.js';
import type { StoredEvent } from '../events/envelope.js';
import { GENESIS_HASH } from '../events/envelope.js';
import type { EventStore } from './event-store.js';
import { pageThrough } from './page-through.js';

/**
 * A checkpoint of the whole global log, small enough to keep outside the store (a WORM bucket,
 * another database, a signed e-mail to the auditors): the position of the last event it covers,
 * how many events that is, and a running hash over every event up to it, in global order.
 *
 * Each event's hash covers its content and its predecessor in its stream; the running hash ties
 * the streams together in one order. Anyone who can rewrite the store can recompute the chains
 * and the heads, but not an anchor kept elsewhere: verifying against it detects any removal,
 * change, insertion or reordering at or before its position. It says nothing about later events.
 */
export interface LogAnchor {
  readonly globalPosition: number;
  readonly eventCount: number;
  readonly logHash: string;
}

/** The running hash after `event`: SHA-256 of the previous running hash, the event's position and its hash. */
export const nextLogHash = (previous: string, event: Pick<StoredEvent, 'globalPosition' | 'hash'>): string =>
  bytesToHex(sha256(utf8ToBytes(`${previous}:${String(event.globalPosition)}:${event.hash}`)));

const HEX_64 = /^[0-9a-f]{64}$/;
const isCount = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** Whether a value (from a host's storage, so anything) has the shape of an anchor. */
export const isLogAnchor = (value: unknown): value is LogAnchor => {
  if (typeof value !== 'object' || value === null) return false;
  const { globalPosition, eventCount, logHash } = value as Readonly<Record<string, unknown>>;
  return isCount(globalPosition) && isCount(eventCount) && typeof logHash === 'string' && HEX_64.test(logHash) && (eventCount === 0) === (globalPosition === 0);
};

/** The anchor of an empty log: what `anchorLog` extends from when given nothing. */
export const EMPTY_LOG_ANCHOR: LogAnchor = Object.freeze({ globalPosition: 0, eventCount: 0, logHash: GENESIS_HASH });

/** The break a verification reports when the log does not match an anchor. */
export const anchorMismatch = (anchor: LogAnchor, event: StoredEvent | undefined) => ({
  streamId: event?.streamId ?? '',
  streamVersion: event?.streamVersion ?? 0,
  globalPosition: event?.globalPosition ?? anchor.globalPosition,
  reason: 'anchor-mismatch' as const,
  message:
    event === undefined
      ? `the log ends before the anchored position ${String(anchor.globalPosition)}: events at or before it were removed`
      : `the log up to the anchored position ${String(anchor.globalPosition)} is not the log the anchor was taken of`,
});

const PAGE = 1000;

/**
 * Takes an anchor of the log as it is now, by reading it in global order from `from` (an anchor
 * taken before, which this one extends: only the events after it are read) or from the start.
 * This does not verify the events it reads: verify with the previous anchor for that.
 */
export const anchorLog = (store: EventStore, from?: unknown): TaskEither<SdkError, LogAnchor> => {
  const start = from === undefined ? EMPTY_LOG_ANCHOR : from;
  return isLogAnchor(start)
    ? pipe(
        pageThrough<LogAnchor>(store, {
          next: (anchor) => ({ fromPosition: anchor.globalPosition, limit: PAGE }),
          step: (anchor, page) => TE.right(page.reduce(extendAnchor, anchor)),
        })(start),
        TE.map((anchor) => Object.freeze({ ...anchor })),
      )
    : TE.left(invalidCommand([{ path: 'from', message: 'must be an anchor as anchor() returned it: { globalPosition, eventCount, logHash }' }]));
};

const extendAnchor = (anchor: LogAnchor, event: StoredEvent): LogAnchor => ({
  globalPosition: event.globalPosition,
  eventCount: anchor.eventCount + 1,
  logHash: nextLogHash(anchor.logHash, event),
});
