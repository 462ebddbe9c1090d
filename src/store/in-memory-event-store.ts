import type { Either } from 'fp-ts/lib/Either.js';
import { chain, left, right } from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { duplicateCommand, infrastructureFrom } from '../errors/sdk-error.js';
import type { SdkError } from '../errors/sdk-error.js';
import type { EventMetadata, JsonObject, StoredEvent } from '../events/envelope.js';
import { GENESIS_HASH } from '../events/envelope.js';
import { hashEvent } from '../events/hash-chain.js';
import { checkAppend, checkReceipt } from './append-validation.js';
import type { AppendResult, AppendWrite, EventStore, HandledCommand, ReadAllOptions, ReadStreamOptions, StreamHead } from './event-store.js';
import { checkExpectedVersion } from './expected-version.js';
import { frozenJsonCopy } from '../events/json-check.js';

/**
 * Where one command's events sit in the global log (an append's events are contiguous), or, for
 * a command that appended none, the receipt it was recorded with.
 */
type CommandRecord = { readonly firstIndex: number; readonly count: number } | { readonly receipt: EventMetadata };

const EMPTY: readonly StoredEvent[] = Object.freeze([]);

/**
 * The embedded event store: everything in process memory, lost with the process. Appends cost
 * O(events appended) — streams are arrays that only grow, never copied — and reads touch only the
 * stream, the slice of the global log, or the command they ask for. Stored events are frozen deep
 * copies, so neither the writer nor a reader can alter what the hash chain covers.
 *
 * An append runs start to finish without yielding, which is what makes it atomic across streams
 * and serialises concurrent appends.
 */
export const inMemoryEventStore = (): EventStore => {
  // Global positions are contiguous from 1, so an event's position is its index in `log` plus one.
  const log: StoredEvent[] = [];
  const streams = new Map<string, StoredEvent[]>();
  const commands = new Map<string, CommandRecord>();
  // Kept apart from the streams, as a durable store keeps its heads table: verification checks
  // that each stream's chain ends where its last append left it.
  const heads = new Map<string, StreamHead>();

  const readStreamNow = (streamId: string, options: ReadStreamOptions | undefined): readonly StoredEvent[] => {
    const stream = streams.get(streamId);
    if (stream === undefined) return EMPTY;
    const from = Math.max(1, Math.ceil(options?.from ?? 1));
    const to = Math.min(stream.length, Math.floor(options?.to ?? stream.length));
    return from > to ? EMPTY : stream.slice(from - 1, to);
  };

  const readAllNow = ({ fromPosition, limit }: ReadAllOptions): readonly StoredEvent[] => {
    const start = Math.max(0, Math.floor(fromPosition));
    return limit >= 1 ? log.slice(start, start + Math.floor(limit)) : EMPTY;
  };

  const appendNow = (writes: readonly AppendWrite[], receipt: EventMetadata | undefined): Either<SdkError, AppendResult> => {
    return pipe(
      checkAppend(writes),
      chain((checked) => checkReceipt(checked, receipt)),
      chain((commandId) => commitNow(writes, receipt, commandId)),
    );
  };

  const commitNow = (writes: readonly AppendWrite[], receipt: EventMetadata | undefined, commandId: string | undefined): Either<SdkError, AppendResult> => {
    if (commandId !== undefined && commands.has(commandId)) return left(duplicateCommand(commandId));
    for (const write of writes) {
      const conflict = checkExpectedVersion(write.streamId, write.expectedVersion, streams.get(write.streamId)?.length ?? 0);
      if (conflict !== undefined) return left(conflict);
    }

    // Seal everything first, commit after: nothing below the seal loop can fail half way.
    // The copies are made first and hashed after, so each event lies next to its payload in
    // memory rather than among the hashing's garbage: folds over long streams walk them in order.
    const sealed: { -readonly [K in keyof StoredEvent]: StoredEvent[K] }[] = [];
    // Events of one command usually share one metadata object: copy it once.
    let metadataSource: EventMetadata | undefined;
    let metadataCopy: EventMetadata | undefined;
    const streamVersions: [string, number][] = [];
    for (const write of writes) {
      let version = streams.get(write.streamId)?.length ?? 0;
      for (const event of write.events) {
        if (metadataCopy === undefined || metadataSource !== event.metadata) {
          metadataSource = event.metadata;
          metadataCopy = frozenJsonCopy(event.metadata as unknown as JsonObject) as unknown as EventMetadata;
        }
        const metadata = metadataCopy;
        version++;
        sealed.push({
          eventId: event.eventId,
          type: event.type,
          schemaVersion: event.schemaVersion,
          data: frozenJsonCopy(event.data),
          metadata,
          streamId: write.streamId,
          streamVersion: version,
          globalPosition: log.length + sealed.length + 1,
          prevHash: '',
          hash: '',
        });
      }
      streamVersions.push([write.streamId, version]);
    }
    let previous: StoredEvent | undefined;
    for (const event of sealed) {
      event.prevHash = previous?.streamId === event.streamId ? previous.hash : (streams.get(event.streamId)?.at(-1)?.hash ?? GENESIS_HASH);
      event.hash = hashEvent(event);
      previous = Object.freeze(event);
    }

    const firstIndex = log.length;
    for (const event of sealed) {
      log.push(event);
      const stream = streams.get(event.streamId);
      if (stream === undefined) streams.set(event.streamId, [event]);
      else stream.push(event);
    }
    for (const [streamId, version] of streamVersions) {
      const last = streams.get(streamId)?.at(-1);
      if (last !== undefined) heads.set(streamId, Object.freeze({ streamId, version, hash: last.hash }));
    }
    if (commandId !== undefined) {
      commands.set(
        commandId,
        sealed.length > 0 || receipt === undefined ? { firstIndex, count: sealed.length } : { receipt: frozenJsonCopy(receipt as unknown as JsonObject) as unknown as EventMetadata },
      );
    }
    return right({ events: Object.freeze(sealed as StoredEvent[]), streamVersions: Object.freeze(Object.fromEntries(streamVersions)) });
  };

  const eventsOf = (record: CommandRecord | undefined): readonly StoredEvent[] =>
    record === undefined || 'receipt' in record ? EMPTY : log.slice(record.firstIndex, record.firstIndex + record.count);

  const guarded =
    <A>(operation: string, work: () => Either<SdkError, A>): TaskEither<SdkError, A> =>
    () => {
      try {
        return Promise.resolve(work());
      } catch (cause) {
        return Promise.resolve(left(infrastructureFrom(`in-memory event store ${operation}`)(cause)));
      }
    };

  return {
    readStream: (streamId, options) => guarded('readStream', () => right(readStreamNow(streamId, options))),
    readAll: (options) => guarded('readAll', () => right(readAllNow(options))),
    append: (writes, receipt) => guarded('append', () => appendNow(writes, receipt)),
    readCommand: (commandId) => guarded('readCommand', () => right(eventsOf(commands.get(commandId)))),
    lookupCommand: (commandId) =>
      guarded('lookupCommand', () => {
        const record = commands.get(commandId);
        if (record === undefined) return right(undefined);
        if ('receipt' in record) return right<SdkError, HandledCommand | undefined>({ metadata: record.receipt, events: EMPTY });
        const events = eventsOf(record);
        const first = events[0];
        return right(first === undefined ? undefined : { metadata: first.metadata, events });
      }),
    readHeads: () => guarded('readHeads', () => right(Object.freeze([...heads.values()]))),
  };
};
