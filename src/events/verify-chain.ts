import { left, right, type Either } from 'fp-ts/lib/Either.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { invalidCommand, type SdkError } from '../errors/sdk-error.js';
import type { EventStore, StreamHead as RecordedHead } from '../store/event-store.js';
import type { StoredEvent } from './envelope.js';
import { GENESIS_HASH } from './envelope.js';
import { hashEvent } from './hash-chain.js';
import { anchorMismatch, isLogAnchor, nextLogHash, type LogAnchor } from './log-anchor.js';

/**
 * What broke the chain at an event:
 * - `malformed`: the event lacks an envelope field or has one of the wrong type;
 * - `wrong-stream`: a stream read returned an event of another stream;
 * - `version-gap`: its streamVersion is not its predecessor's plus one (an event is missing or moved);
 * - `position-order`: its globalPosition is not greater than the one before it;
 * - `prev-hash-mismatch`: its prevHash is not its predecessor's hash;
 * - `hash-mismatch`: its hash is not the hash of its content (some field was changed);
 * - `stream-end-mismatch`: the stream's chain does not end where the store recorded its head (its
 *   newest events were cut off, or its head was moved);
 * - `anchor-mismatch`: the global log up to a host's anchor is not the log the anchor was taken of
 *   (events at or before it were removed, changed, inserted or reordered).
 */
export type ChainBreakReason = 'malformed' | 'wrong-stream' | 'version-gap' | 'position-order' | 'prev-hash-mismatch' | 'hash-mismatch' | 'stream-end-mismatch' | 'anchor-mismatch';

/** The first event at which a hash chain does not hold, as the store returned it. */
export interface ChainBreak {
  readonly streamId: string;
  readonly streamVersion: number;
  readonly globalPosition: number;
  readonly reason: ChainBreakReason;
  readonly message: string;
}

/** The outcome of a verification: every event checked holds, or the first break. */
export type ChainReport =
  | { readonly ok: true; readonly eventsChecked: number; readonly streamsChecked: number }
  | { readonly ok: false; readonly eventsChecked: number; readonly firstBreak: ChainBreak };

/** How many events a verifier reads per call to the store (default 1000); an anchor to check the log against. */
export interface VerifyOptions {
  readonly pageSize?: number;
  /** A checkpoint of the log the host kept outside the store ({@link anchorLog}); `verifyAll` only. */
  readonly anchor?: LogAnchor;
}

const DEFAULT_PAGE_SIZE = 1000;

interface StreamHead {
  readonly version: number;
  readonly hash: string;
}

const isWellFormed = (event: StoredEvent): boolean =>
  typeof (event as unknown) === 'object' &&
  (event as unknown) !== null &&
  typeof event.streamId === 'string' &&
  Number.isSafeInteger(event.streamVersion) &&
  Number.isFinite(event.globalPosition) &&
  typeof event.prevHash === 'string' &&
  typeof event.hash === 'string';

const recomputedHash = (event: StoredEvent): string | undefined => {
  try {
    return hashEvent(event);
  } catch {
    return undefined;
  }
};

/** Checks one event against its stream's head and the previous global position. */
const checkEvent = (event: StoredEvent, head: StreamHead | undefined, previousPosition: number, streamId?: string): ChainBreak | undefined => {
  const field = (name: 'streamId' | 'streamVersion' | 'globalPosition'): unknown => (isWellFormed(event) ? event[name] : undefined);
  const broken = (reason: ChainBreakReason, message: string): ChainBreak => ({
    streamId: String(field('streamId')),
    streamVersion: Number(field('streamVersion')),
    globalPosition: Number(field('globalPosition')),
    reason,
    message,
  });
  if (!isWellFormed(event)) return broken('malformed', 'the event lacks an envelope field or has one of the wrong type');
  if (streamId !== undefined && event.streamId !== streamId) return broken('wrong-stream', `an event of stream ${event.streamId} was read from stream ${streamId}`);
  const expectedVersion = (head?.version ?? 0) + 1;
  if (event.streamVersion !== expectedVersion) return broken('version-gap', `expected stream version ${expectedVersion}, found ${event.streamVersion}`);
  if (event.globalPosition <= previousPosition) return broken('position-order', `global position ${event.globalPosition} does not follow ${previousPosition}`);
  if (event.prevHash !== (head?.hash ?? GENESIS_HASH)) return broken('prev-hash-mismatch', "prevHash is not the hash of the stream's previous event");
  if (recomputedHash(event) !== event.hash) return broken('hash-mismatch', 'the hash does not match the content of the event');
  return undefined;
};

const readHeadsOf = async (store: EventStore): Promise<Either<SdkError, ReadonlyMap<string, RecordedHead>>> => {
  if (store.readHeads === undefined) return right(new Map());
  const heads = await store.readHeads()();
  return heads._tag === 'Left' ? heads : right(new Map(heads.right.map((head) => [head.streamId, head])));
};

const endMismatch = (recorded: RecordedHead, found: StreamHead | undefined, globalPosition: number): ChainBreak => ({
  streamId: recorded.streamId,
  streamVersion: found?.version ?? 0,
  globalPosition,
  reason: 'stream-end-mismatch',
  message:
    (found?.version ?? 0) < recorded.version
      ? `the stream ends at version ${String(found?.version ?? 0)}, but its recorded head is at version ${String(recorded.version)}: its newest events are missing`
      : `the stream's event at version ${String(recorded.version)} is not the one its recorded head names`,
});

/**
 * Checks a stream's verified chain against the head the store recorded before the scan began:
 * the chain must reach the head and pass through it. Events the scan did not reach (appended
 * while it ran, behind a slower append) are read from the stream and checked on the chain.
 */
const checkStreamEnd = async (
  store: EventStore,
  recorded: RecordedHead,
  found: StreamHead | undefined,
  passedHash: string | undefined,
  lastPosition: number,
): Promise<Either<SdkError, ChainBreak | undefined>> => {
  let head = found;
  let position = lastPosition;
  if ((head?.version ?? 0) < recorded.version) {
    const rest = await store.readStream(recorded.streamId, { from: (head?.version ?? 0) + 1, to: recorded.version })();
    if (rest._tag === 'Left') return rest;
    for (const event of rest.right) {
      const broken = checkEvent(event, head, 0, recorded.streamId);
      if (broken !== undefined) return right(broken);
      head = { version: event.streamVersion, hash: event.hash };
      position = event.globalPosition;
    }
    if ((head?.version ?? 0) !== recorded.version || head?.hash !== recorded.hash) return right(endMismatch(recorded, head, position));
    return right(undefined);
  }
  return right(passedHash === recorded.hash ? undefined : endMismatch(recorded, head, position));
};

const pageSizeOf = (options: VerifyOptions | undefined): number => Math.max(1, Math.floor(options?.pageSize ?? DEFAULT_PAGE_SIZE));

/**
 * Verifies one stream end to end: versions 1..n without gaps, global positions increasing, each
 * prevHash the previous event's hash (the first one {@link GENESIS_HASH}), each hash recomputed;
 * and, when the store records heads, that the chain ends where the stream's head says.
 */
export const verifyStream =
  (store: EventStore, streamId: string, options?: VerifyOptions): TaskEither<SdkError, ChainReport> =>
  async () => {
    const pageSize = pageSizeOf(options);
    const heads = await readHeadsOf(store);
    if (heads._tag === 'Left') return heads;
    const recorded = heads.right.get(streamId);
    let head: StreamHead | undefined;
    let passedHash: string | undefined;
    let previousPosition = 0;
    let checked = 0;
    for (;;) {
      const from = (head?.version ?? 0) + 1;
      const page = await store.readStream(streamId, { from, to: from + pageSize - 1 })();
      if (page._tag === 'Left') return page;
      for (const event of page.right) {
        const firstBreak = checkEvent(event, head, previousPosition, streamId);
        if (firstBreak !== undefined) return right({ ok: false, eventsChecked: checked, firstBreak });
        head = { version: event.streamVersion, hash: event.hash };
        if (event.streamVersion === recorded?.version) passedHash = event.hash;
        previousPosition = event.globalPosition;
        checked++;
      }
      if (page.right.length < pageSize) break;
    }
    if (recorded !== undefined) {
      const end = await checkStreamEnd(store, recorded, head, passedHash, previousPosition);
      if (end._tag === 'Left') return end;
      if (end.right !== undefined) return right({ ok: false, eventsChecked: checked, firstBreak: end.right });
    }
    return right({ ok: true, eventsChecked: checked, streamsChecked: checked === 0 ? 0 : 1 });
  };

interface ScannedStream extends StreamHead {
  readonly globalPosition: number;
  /** The hash of its event at the version of its recorded head, once the scan passed it. */
  readonly passedHash: string | undefined;
}

/**
 * Verifies the whole store in global order: positions strictly increasing, and in every stream
 * versions without gaps and an unbroken hash chain; when the store records heads, that every
 * stream's chain reaches its head; with an `anchor`, that the log up to the anchor is the log the
 * anchor was taken of. Memory grows with the number of streams only.
 */
export const verifyAll =
  (store: EventStore, options?: VerifyOptions): TaskEither<SdkError, ChainReport> =>
  async () => {
    const pageSize = pageSizeOf(options);
    const anchor: unknown = options?.anchor;
    if (anchor !== undefined && !isLogAnchor(anchor)) return left(invalidCommand([{ path: 'anchor', message: 'must be an anchor as anchor() returned it: { globalPosition, eventCount, logHash }' }]));
    // Read before the scan: every head names an event committed before the scan began.
    const recordedHeads = await readHeadsOf(store);
    if (recordedHeads._tag === 'Left') return recordedHeads;
    const scanned = new Map<string, ScannedStream>();
    let previousPosition = 0;
    let checked = 0;
    let logHash = GENESIS_HASH;
    let anchorChecked = anchor === undefined || (anchor.eventCount === 0 && anchor.globalPosition === 0 && anchor.logHash === GENESIS_HASH);
    for (;;) {
      const page = await store.readAll({ fromPosition: previousPosition, limit: pageSize })();
      if (page._tag === 'Left') return page;
      for (const event of page.right) {
        const head = isWellFormed(event) ? scanned.get(event.streamId) : undefined;
        const firstBreak = checkEvent(event, head, previousPosition);
        if (firstBreak !== undefined) return right({ ok: false, eventsChecked: checked, firstBreak });
        if (!anchorChecked && anchor !== undefined && event.globalPosition > anchor.globalPosition) {
          return right({ ok: false, eventsChecked: checked, firstBreak: anchorMismatch(anchor, event) });
        }
        const recorded = recordedHeads.right.get(event.streamId);
        scanned.set(event.streamId, {
          version: event.streamVersion,
          hash: event.hash,
          globalPosition: event.globalPosition,
          passedHash: event.streamVersion === recorded?.version ? event.hash : head?.passedHash,
        });
        previousPosition = event.globalPosition;
        logHash = nextLogHash(logHash, event);
        checked++;
        if (!anchorChecked && anchor !== undefined && event.globalPosition === anchor.globalPosition) {
          if (checked !== anchor.eventCount || logHash !== anchor.logHash) return right({ ok: false, eventsChecked: checked - 1, firstBreak: anchorMismatch(anchor, event) });
          anchorChecked = true;
        }
      }
      if (page.right.length < pageSize) break;
    }
    if (!anchorChecked && anchor !== undefined) {
      return right({ ok: false, eventsChecked: checked, firstBreak: anchorMismatch(anchor, undefined) });
    }
    for (const recorded of recordedHeads.right.values()) {
      const found = scanned.get(recorded.streamId);
      const end = await checkStreamEnd(store, recorded, found, found?.passedHash, found?.globalPosition ?? 0);
      if (end._tag === 'Left') return end;
      if (end.right !== undefined) return right({ ok: false, eventsChecked: checked, firstBreak: end.right });
    }
    return right({ ok: true, eventsChecked: checked, streamsChecked: scanned.size });
  };
