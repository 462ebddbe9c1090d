import { right } from 'fp-ts/lib/Either.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import type { SdkError } from '../errors/sdk-error.js';
import type { EventStore } from '../store/event-store.js';
import type { StoredEvent } from './envelope.js';
import { GENESIS_HASH } from './envelope.js';
import { hashEvent } from './hash-chain.js';

/**
 * What broke the chain at an event:
 * - `malformed`: the event lacks an envelope field or has one of the wrong type;
 * - `wrong-stream`: a stream read returned an event of another stream;
 * - `version-gap`: its streamVersion is not its predecessor's plus one (an event is missing or moved);
 * - `position-order`: its globalPosition is not greater than the one before it;
 * - `prev-hash-mismatch`: its prevHash is not its predecessor's hash;
 * - `hash-mismatch`: its hash is not the hash of its content (some field was changed).
 */
export type ChainBreakReason = 'malformed' | 'wrong-stream' | 'version-gap' | 'position-order' | 'prev-hash-mismatch' | 'hash-mismatch';

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

/** How many events a verifier reads per call to the store (default 1000). */
export interface VerifyOptions {
  readonly pageSize?: number;
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

const pageSizeOf = (options: VerifyOptions | undefined): number => Math.max(1, Math.floor(options?.pageSize ?? DEFAULT_PAGE_SIZE));

/**
 * Verifies one stream end to end: versions 1..n without gaps, global positions increasing, each
 * prevHash the previous event's hash (the first one {@link GENESIS_HASH}), each hash recomputed.
 */
export const verifyStream =
  (store: EventStore, streamId: string, options?: VerifyOptions): TaskEither<SdkError, ChainReport> =>
  async () => {
    const pageSize = pageSizeOf(options);
    let head: StreamHead | undefined;
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
        previousPosition = event.globalPosition;
        checked++;
      }
      if (page.right.length < pageSize) {
        return right({ ok: true, eventsChecked: checked, streamsChecked: checked === 0 ? 0 : 1 });
      }
    }
  };

/**
 * Verifies the whole store in global order: positions strictly increasing, and in every stream
 * versions without gaps and an unbroken hash chain. Memory grows with the number of streams only.
 */
export const verifyAll =
  (store: EventStore, options?: VerifyOptions): TaskEither<SdkError, ChainReport> =>
  async () => {
    const pageSize = pageSizeOf(options);
    const heads = new Map<string, StreamHead>();
    let previousPosition = 0;
    let checked = 0;
    for (;;) {
      const page = await store.readAll({ fromPosition: previousPosition, limit: pageSize })();
      if (page._tag === 'Left') return page;
      for (const event of page.right) {
        const head = isWellFormed(event) ? heads.get(event.streamId) : undefined;
        const firstBreak = checkEvent(event, head, previousPosition);
        if (firstBreak !== undefined) return right({ ok: false, eventsChecked: checked, firstBreak });
        heads.set(event.streamId, { version: event.streamVersion, hash: event.hash });
        previousPosition = event.globalPosition;
        checked++;
      }
      if (page.right.length < pageSize) {
        return right({ ok: true, eventsChecked: checked, streamsChecked: heads.size });
      }
    }
  };
