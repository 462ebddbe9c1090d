import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { invalidCommand, type SdkError } from '../errors/sdk-error.js';
import type { StoredEvent } from '../events/envelope.js';
import { GENESIS_HASH } from '../events/envelope.js';
import { hashEvent } from '../events/hash-chain.js';
import type { EventStore, StreamHead as RecordedHead } from './event-store.js';
import { anchorMismatch, isLogAnchor, nextLogHash, type LogAnchor } from './log-anchor.js';
import { pageThrough } from './page-through.js';

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

const readHeadsOf = (store: EventStore): TaskEither<SdkError, ReadonlyMap<string, RecordedHead>> =>
  store.readHeads === undefined
    ? TE.right(new Map())
    : pipe(
        store.readHeads(),
        TE.map((heads) => new Map(heads.map((head) => [head.streamId, head]))),
      );

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

/** Checks the events a scan did not reach on the chain it ended with, up to the recorded head. */
const checkRest = (rest: readonly StoredEvent[], recorded: RecordedHead, found: StreamHead | undefined, lastPosition: number): ChainBreak | undefined => {
  let head = found;
  let position = lastPosition;
  for (const event of rest) {
    const broken = checkEvent(event, head, 0, recorded.streamId);
    if (broken !== undefined) return broken;
    head = { version: event.streamVersion, hash: event.hash };
    position = event.globalPosition;
  }
  return (head?.version ?? 0) !== recorded.version || head?.hash !== recorded.hash ? endMismatch(recorded, head, position) : undefined;
};

/**
 * Checks a stream's verified chain against the head the store recorded before the scan began:
 * the chain must reach the head and pass through it. Events the scan did not reach (appended
 * while it ran, behind a slower append) are read from the stream and checked on the chain.
 */
const checkStreamEnd = (
  store: EventStore,
  recorded: RecordedHead,
  found: StreamHead | undefined,
  passedHash: string | undefined,
  lastPosition: number,
): TaskEither<SdkError, ChainBreak | undefined> =>
  (found?.version ?? 0) < recorded.version
    ? pipe(
        store.readStream(recorded.streamId, { from: (found?.version ?? 0) + 1, to: recorded.version }),
        TE.map((rest) => checkRest(rest, recorded, found, lastPosition)),
      )
    : TE.right(passedHash === recorded.hash ? undefined : endMismatch(recorded, found, lastPosition));

const pageSizeOf = (options: VerifyOptions | undefined): number => Math.max(1, Math.floor(options?.pageSize ?? DEFAULT_PAGE_SIZE));

/** Where a scan is: the chain so far, what it checked, and the first break once it found one. */
interface Scan {
  readonly previousPosition: number;
  readonly checked: number;
  readonly broken: ChainBreak | undefined;
}

interface StreamScan extends Scan {
  readonly head: StreamHead | undefined;
  /** The hash of its event at the version of its recorded head, once the scan passed it. */
  readonly passedHash: string | undefined;
}

const reportOf = (scan: Scan, streamsChecked: number): ChainReport =>
  scan.broken === undefined ? { ok: true, eventsChecked: scan.checked, streamsChecked } : { ok: false, eventsChecked: scan.checked, firstBreak: scan.broken };

/** The scan after one page of a stream: it stops at the first break. */
const scanStreamPage = (scan: StreamScan, page: readonly StoredEvent[], streamId: string, recorded: RecordedHead | undefined): StreamScan => {
  let { head, passedHash, previousPosition, checked } = scan;
  for (const event of page) {
    const broken = checkEvent(event, head, previousPosition, streamId);
    if (broken !== undefined) return { head, passedHash, previousPosition, checked, broken };
    head = { version: event.streamVersion, hash: event.hash };
    if (event.streamVersion === recorded?.version) passedHash = event.hash;
    previousPosition = event.globalPosition;
    checked++;
  }
  return { head, passedHash, previousPosition, checked, broken: undefined };
};

/** Reads a stream page by page from where `scan` is, until its end or its first break. */
const scanStream =
  (store: EventStore, streamId: string, pageSize: number, recorded: RecordedHead | undefined) =>
  (scan: StreamScan): TaskEither<SdkError, StreamScan> => {
    const from = (scan.head?.version ?? 0) + 1;
    return pipe(
      store.readStream(streamId, { from, to: from + pageSize - 1 }),
      TE.chain((page) => {
        const after = scanStreamPage(scan, page, streamId, recorded);
        return after.broken !== undefined || page.length < pageSize ? TE.right(after) : scanStream(store, streamId, pageSize, recorded)(after);
      }),
    );
  };

/** A finished scan, with the first break of the end checks when the scan itself found none. */
const withEndBreak = <S extends Scan>(scan: S, endCheck: () => TaskEither<SdkError, ChainBreak | undefined>): TaskEither<SdkError, S> =>
  scan.broken === undefined
    ? pipe(
        endCheck(),
        TE.map((broken): S => ({ ...scan, broken })),
      )
    : TE.right(scan);

/**
 * Verifies one stream end to end: versions 1..n without gaps, global positions increasing, each
 * prevHash the previous event's hash (the first one {@link GENESIS_HASH}), each hash recomputed;
 * and, when the store records heads, that the chain ends where the stream's head says.
 */
export const verifyStream = (store: EventStore, streamId: string, options?: VerifyOptions): TaskEither<SdkError, ChainReport> =>
  pipe(
    readHeadsOf(store),
    TE.chain((heads) => {
      const recorded = heads.get(streamId);
      return pipe(
        scanStream(store, streamId, pageSizeOf(options), recorded)({ head: undefined, passedHash: undefined, previousPosition: 0, checked: 0, broken: undefined }),
        TE.chain((scan) =>
          withEndBreak(scan, () => (recorded === undefined ? TE.right(undefined) : checkStreamEnd(store, recorded, scan.head, scan.passedHash, scan.previousPosition))),
        ),
        TE.map((scan) => reportOf(scan, scan.checked === 0 ? 0 : 1)),
      );
    }),
  );

interface ScannedStream extends StreamHead {
  readonly globalPosition: number;
  /** The hash of its event at the version of its recorded head, once the scan passed it. */
  readonly passedHash: string | undefined;
}

/** A scan of the global log: every stream's chain so far (owned by the scan), the running log hash, the anchor's state. */
interface LogScan extends Scan {
  readonly scanned: Map<string, ScannedStream>;
  readonly logHash: string;
  readonly anchorChecked: boolean;
}

/** The scan after one page of the global log: it stops at the first break. */
const scanLogPage = (scan: LogScan, page: readonly StoredEvent[], recordedHeads: ReadonlyMap<string, RecordedHead>, anchor: LogAnchor | undefined): LogScan => {
  const { scanned } = scan;
  let { previousPosition, checked, logHash, anchorChecked } = scan;
  const stop = (broken: ChainBreak, eventsChecked = checked): LogScan => ({ scanned, logHash, anchorChecked, previousPosition, checked: eventsChecked, broken });
  for (const event of page) {
    const head = isWellFormed(event) ? scanned.get(event.streamId) : undefined;
    const firstBreak = checkEvent(event, head, previousPosition);
    if (firstBreak !== undefined) return stop(firstBreak);
    if (!anchorChecked && anchor !== undefined && event.globalPosition > anchor.globalPosition) return stop(anchorMismatch(anchor, event));
    const recorded = recordedHeads.get(event.streamId);
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
      if (checked !== anchor.eventCount || logHash !== anchor.logHash) return stop(anchorMismatch(anchor, event), checked - 1);
      anchorChecked = true;
    }
  }
  return { scanned, logHash, anchorChecked, previousPosition, checked, broken: undefined };
};

/** The first break among the recorded heads' end checks, one stream after the other. */
const firstEndBreak = (store: EventStore, recordedHeads: ReadonlyMap<string, RecordedHead>, scanned: ReadonlyMap<string, ScannedStream>): TaskEither<SdkError, ChainBreak | undefined> =>
  [...recordedHeads.values()].reduce<TaskEither<SdkError, ChainBreak | undefined>>(
    (before, recorded) =>
      pipe(
        before,
        TE.chain((broken) => {
          if (broken !== undefined) return TE.right(broken);
          const found = scanned.get(recorded.streamId);
          return checkStreamEnd(store, recorded, found, found?.passedHash, found?.globalPosition ?? 0);
        }),
      ),
    TE.right(undefined),
  );

/**
 * Verifies the whole store in global order: positions strictly increasing, and in every stream
 * versions without gaps and an unbroken hash chain; when the store records heads, that every
 * stream's chain reaches its head; with an `anchor`, that the log up to the anchor is the log the
 * anchor was taken of. Memory grows with the number of streams only.
 */
export const verifyAll = (store: EventStore, options?: VerifyOptions): TaskEither<SdkError, ChainReport> => {
  const pageSize = pageSizeOf(options);
  const anchor: unknown = options?.anchor;
  if (anchor !== undefined && !isLogAnchor(anchor)) {
    return TE.left(invalidCommand([{ path: 'anchor', message: 'must be an anchor as anchor() returned it: { globalPosition, eventCount, logHash }' }]));
  }
  const initial: LogScan = {
    scanned: new Map(),
    logHash: GENESIS_HASH,
    anchorChecked: anchor === undefined || (anchor.eventCount === 0 && anchor.globalPosition === 0 && anchor.logHash === GENESIS_HASH),
    previousPosition: 0,
    checked: 0,
    broken: undefined,
  };
  // The heads are read before the scan: every head names an event committed before the scan began.
  return pipe(
    readHeadsOf(store),
    TE.chain((recordedHeads) =>
      pipe(
        pageThrough<LogScan>(store, {
          next: (scan) => (scan.broken === undefined ? { fromPosition: scan.previousPosition, limit: pageSize } : undefined),
          step: (scan, page) => TE.right(scanLogPage(scan, page, recordedHeads, anchor)),
        })(initial),
        TE.map((scan): LogScan => (scan.broken === undefined && !scan.anchorChecked && anchor !== undefined ? { ...scan, broken: anchorMismatch(anchor, undefined) } : scan)),
        TE.chain((scan) => withEndBreak(scan, () => firstEndBreak(store, recordedHeads, scan.scanned))),
        TE.map((scan) => reportOf(scan, scan.scanned.size)),
      ),
    ),
  );
};
