import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { concurrencyConflict, duplicateCommand, infrastructure } from '../errors/sdk-error.js';
import { canonicalJson } from '../events/canonical-json.js';
import type { SdkError } from '../errors/sdk-error.js';
import type { EventMetadata, JsonObject, NewEvent, StoredEvent } from '../events/envelope.js';
import { frozenJsonCopy } from '../events/json-check.js';
import { checkReceipt } from '../store/append-validation.js';
import type { AppendResult, AppendWrite, EventStore, ExpectedVersion, HandledCommand, ReadAllOptions, ReadStreamOptions, StreamHead } from '../store/event-store.js';
import { describeExpectedVersion } from '../store/expected-version.js';
import { encodeAppend } from './append-input.js';
import type { EncodedAppend } from './append-input.js';
import type { PgPool, PgQueryConfig } from './client.js';
import { databaseFailure, detailOf, sqlStateOf } from './errors.js';
import { DEFAULT_SCHEMA, isValidSchemaName, statementName } from './identifiers.js';
import { decodeEvent, decodeStream, IntegrityError, toArray, toNumber, toText } from './rows.js';
import { schemaSql, SQLSTATE } from './schema.js';
import { isStorableText } from './text.js';

/** How a {@link postgresEventStore} is set up. */
export interface PostgresEventStoreOptions {
  /**
   * The schema holding the store's tables and functions (default `softtoken`): lower-case
   * letters, digits and `_`, starting with a letter or `_`, at most 63 characters.
   */
  readonly schema?: string;
  /**
   * Recompute every event's hash when it is read (default false). Cheap, since the stored text
   * is exactly what was hashed; `readStream` always checks that versions and `prevHash` links
   * follow each other.
   */
  readonly verifyOnRead?: boolean;
}

/** Something the database's integrity check found wrong, in global order. */
export interface IntegrityProblem {
  readonly streamId: string;
  readonly streamVersion: number;
  /** null when the problem is a stream head without its event. */
  readonly globalPosition: number | null;
  readonly problem: string;
}

/** The PostgreSQL event store: the {@link EventStore} port plus its schema's upkeep. */
export interface PostgresEventStore extends EventStore {
  readonly readHeads: () => TaskEither<SdkError, readonly StreamHead[]>;
  /** The schema this store lives in. */
  readonly schema: string;
  /**
   * Creates the schema, tables and functions, or brings them up to date: safe to run at every
   * start, and by several instances at once (they take turns).
   */
  readonly migrate: () => TaskEither<SdkError, void>;
  /**
   * Checks the whole store inside the database: every hash against its stored event, every
   * `prevHash` against the previous event, versions contiguous, rows filed where their events
   * say, stream heads on their last events. An empty list means intact. Reads every event.
   */
  readonly verify: (options?: { readonly limit?: number }) => TaskEither<SdkError, readonly IntegrityProblem[]>;
}

/** The most events one `readAll` returns, whatever limit it is given (pages keep memory bounded). */
const MAX_PAGE = 100_000;

/** A numeric option as a number: `fallback` when absent, NaN when it is not a number. */
const numberOr = (value: unknown, fallback: number): number => (value === undefined ? fallback : typeof value === 'number' ? value : Number.NaN);

/** The members of an options argument; callers in plain JavaScript may pass anything. */
const membersOf = (value: unknown): Readonly<Record<string, unknown>> => (typeof value === 'object' && value !== null ? (value as Readonly<Record<string, unknown>>) : {});

const integrityFailure = (operation: string): SdkError =>
  infrastructure(`PostgreSQL: ${operation} read an event that fails its integrity check; run verify() to locate it`);

/** Runs `work`, turning anything it throws into an error: a TaskEither that never rejects. */
const guarded =
  <A>(operation: string, work: () => Promise<Either<SdkError, A>>): TaskEither<SdkError, A> =>
  async () => {
    try {
      return await work();
    } catch (cause) {
      return E.left(cause instanceof IntegrityError ? integrityFailure(operation) : databaseFailure(operation)(cause));
    }
  };

const failing = (schema: string, error: SdkError): PostgresEventStore => {
  const fail = <A>(): TaskEither<SdkError, A> => () => Promise.resolve(E.left(error));
  return { schema, migrate: fail, verify: fail, readStream: fail, readAll: fail, append: fail, readCommand: fail, lookupCommand: fail, readHeads: fail };
};

/**
 * The event store on PostgreSQL, through node-postgres: pass a `pg.Pool` (or anything with its
 * `query` / `connect` shape) and run `migrate()` once before use.
 *
 * Every promise of the port holds under real concurrency, across processes: an append is one
 * statement (one round trip, one transaction) in which the database checks expected versions
 * under per-stream locks, records the commandId under a primary key and chains the hashes;
 * `readAll` never skips an event that commits late, and returns at most 100,000 events a call. Nothing throws: every function returns a `TaskEither`, and
 * database failures become `Infrastructure` errors that quote neither parameters nor stacks.
 */
export const postgresEventStore = (client: PgPool, options: PostgresEventStoreOptions = {}): PostgresEventStore => {
  // `options` from plain JavaScript may be anything (null included): read its members, if any.
  const given = membersOf(options) as PostgresEventStoreOptions;
  const schema = given.schema ?? DEFAULT_SCHEMA;
  if (!isValidSchemaName(schema)) {
    return failing(schema, infrastructure('invalid options.schema: it must be 1-63 lower-case letters, digits or _, not starting with a digit'));
  }
  const verifyOnRead = given.verifyOnRead === true;
  const sql = schemaSql(schema);
  const prepared = (text: string) => {
    const name = statementName(text);
    return (values: readonly unknown[]): PgQueryConfig => ({ name, text, values, rowMode: 'array' });
  };
  const appendStatement = prepared(sql.append);
  const watermarkStatement = prepared(sql.watermark);
  const readAllStatement = prepared(sql.readAll);
  const readStreamStatement = prepared(sql.readStream);
  const readCommandStatement = prepared(sql.readCommand);
  const lookupCommandStatement = prepared(sql.lookupCommand);
  const verifyStatement = prepared(sql.verify);
  const readHeadsStatement = prepared(sql.readHeads);

  const rowsOf = async (config: PgQueryConfig): Promise<readonly unknown[]> => (await client.query(config)).rows;

  const migrate = (): TaskEither<SdkError, void> =>
    guarded('migrate', async () => {
      await client.query({ text: sql.migrate });
      return E.right(undefined);
    });

  const readStream = (streamId: string, readOptions?: ReadStreamOptions): TaskEither<SdkError, readonly StoredEvent[]> =>
    guarded('readStream', async () => {
      const range = membersOf(readOptions);
      const from = Math.max(1, Math.ceil(numberOr(range['from'], 1)));
      const to = Math.min(Number.MAX_SAFE_INTEGER, Math.floor(numberOr(range['to'], Number.MAX_SAFE_INTEGER)));
      if (typeof streamId !== 'string' || Number.isNaN(from) || Number.isNaN(to)) {
        return E.left(infrastructure('invalid readStream: streamId must be a string, from and to numbers'));
      }
      // A stream PostgreSQL could not store under this id cannot exist.
      if (streamId === '' || !isStorableText(streamId) || from > to) return E.right([]);
      return E.right(decodeStream(await rowsOf(readStreamStatement([streamId, from, to])), verifyOnRead));
    });

  const readAll = (readOptions: ReadAllOptions): TaskEither<SdkError, readonly StoredEvent[]> =>
    guarded('readAll', async () => {
      const { fromPosition, limit } = membersOf(readOptions);
      const after = Math.max(0, Math.floor(numberOr(fromPosition, Number.NaN)));
      const count = Math.min(MAX_PAGE, Math.floor(numberOr(limit, Number.NaN)));
      if (Number.isNaN(after) || Number.isNaN(count)) return E.left(infrastructure('invalid readAll: fromPosition and limit must be numbers'));
      if (count < 1 || after >= Number.MAX_SAFE_INTEGER) return E.right([]);
      // Two statements on purpose: the second one's snapshot is taken after the first one saw
      // which appends were still running, so every append holding a position below the
      // watermark has ended by then.
      const [watermarkRow] = await rowsOf(watermarkStatement([]));
      const unsettled = toNumber((watermarkRow as readonly unknown[])[0]);
      if (unsettled <= after + 1) return E.right([]);
      const rows = await rowsOf(readAllStatement([after, unsettled, count]));
      return E.right(rows.map((row) => decodeEvent(row, verifyOnRead)));
    });

  const readCommand = (commandId: string): TaskEither<SdkError, readonly StoredEvent[]> =>
    guarded('readCommand', async () => {
      if (typeof commandId !== 'string') return E.left(infrastructure('invalid readCommand: commandId must be a string'));
      if (commandId === '' || !isStorableText(commandId)) return E.right([]);
      return E.right((await rowsOf(readCommandStatement([commandId]))).map((row) => decodeEvent(row, verifyOnRead)));
    });

  const lookupCommand = (commandId: string): TaskEither<SdkError, HandledCommand | undefined> =>
    guarded('lookupCommand', async () => {
      if (typeof commandId !== 'string') return E.left(infrastructure('invalid lookupCommand: commandId must be a string'));
      if (commandId === '' || !isStorableText(commandId)) return E.right(undefined);
      const rows = (await rowsOf(lookupCommandStatement([commandId]))) as readonly (readonly unknown[])[];
      const [first] = rows;
      if (first === undefined) return E.right(undefined);
      const [receipt] = first;
      if (receipt !== null) return E.right({ metadata: frozenJsonCopy(JSON.parse(toText(receipt)) as JsonObject) as unknown as EventMetadata, events: [] });
      const events = rows.map((row) => decodeEvent(row.slice(1), verifyOnRead));
      const [firstEvent] = events;
      return E.right(firstEvent === undefined ? undefined : { metadata: firstEvent.metadata, events });
    });

  const appendResult = (input: EncodedAppend, row: readonly unknown[]): AppendResult => {
    const [versionsColumn, positionsColumn, prevColumn, hashColumn] = row;
    const versions = toArray(versionsColumn).map(toNumber);
    const positions = toArray(positionsColumn).map(toNumber);
    const prevHashes = toArray(prevColumn).map(toText);
    const hashes = toArray(hashColumn).map(toText);
    const streamVersions: Record<string, number> = {};
    const events: StoredEvent[] = [];
    let index = 0;
    input.streamIds.forEach((streamId, write) => {
      const version = versions[write] as number;
      const count = input.counts[write] as number;
      streamVersions[streamId] = version;
      for (let offset = 0; offset < count; offset++, index++) {
        const event = input.events[index] as NewEvent;
        // Copies, as the in-memory store returns: the caller's objects stay the caller's.
        events.push(Object.freeze({
          eventId: event.eventId,
          type: event.type,
          schemaVersion: event.schemaVersion,
          data: frozenJsonCopy(event.data),
          metadata: frozenJsonCopy(event.metadata as unknown as JsonObject) as unknown as EventMetadata,
          streamId,
          streamVersion: version - count + offset + 1,
          globalPosition: positions[index] as number,
          prevHash: prevHashes[index] as string,
          hash: hashes[index] as string,
        }));
      }
    });
    return { events: Object.freeze(events), streamVersions: Object.freeze(streamVersions) };
  };

  const conflictOf = (input: EncodedAppend, cause: unknown): SdkError => {
    const detail = JSON.parse(detailOf(cause)) as { readonly ordinal?: unknown; readonly actual?: unknown };
    const write = toNumber(detail.ordinal) - 1;
    return concurrencyConflict(input.streamIds[write] as string, describeExpectedVersion(input.expectedVersions[write] as ExpectedVersion), toNumber(detail.actual));
  };

  /** The commandId the append records (its events', or its receipt's), as PostgreSQL text. */
  const recordedCommandId = (input: EncodedAppend, receipt: EventMetadata | undefined): E.Either<SdkError, string | null> =>
    pipe(
      checkReceipt({ commandId: input.commandId ?? undefined, eventCount: input.events.length }, receipt),
      E.chain((recorded) =>
        recorded !== undefined && !isStorableText(recorded)
          ? E.left(infrastructure('invalid append: receipt.commandId must not contain U+0000 or an unpaired surrogate'))
          : E.right(recorded ?? null),
      ),
    );

  const appendEncoded = async (input: EncodedAppend, receipt: EventMetadata | undefined, commandId: string | null): Promise<E.Either<SdkError, AppendResult>> => {
    // Only a receipt of a batch without events is stored: events record their command themselves.
    const receiptText = receipt === undefined || input.events.length > 0 ? null : canonicalJson(receipt as unknown as JsonObject);
    let rows: readonly unknown[];
    try {
      rows = await rowsOf(
        appendStatement([commandId, input.streamIds, input.expected, input.counts, input.heads, input.middles, input.tails, input.ends, receiptText]),
      );
    } catch (cause) {
      const code = sqlStateOf(cause);
      // Only an append with events or a receipt (and so with a commandId) records a command.
      if (code === SQLSTATE.duplicateCommand) return E.left(duplicateCommand(commandId as string));
      if (code === SQLSTATE.concurrencyConflict) return E.left(conflictOf(input, cause));
      throw cause;
    }
    return E.right(appendResult(input, rows[0] as readonly unknown[]));
  };

  const append = (writes: readonly AppendWrite[], receipt?: EventMetadata): TaskEither<SdkError, AppendResult> =>
    guarded('append', () =>
      pipe(
        encodeAppend(writes),
        E.chain((input) => E.map((commandId: string | null) => ({ input, commandId }))(recordedCommandId(input, receipt))),
        E.match(
          (error) => Promise.resolve(E.left(error)),
          ({ input, commandId }) => appendEncoded(input, receipt, commandId),
        ),
      ),
    );

  const verify = (verifyOptions?: { readonly limit?: number }): TaskEither<SdkError, readonly IntegrityProblem[]> =>
    guarded('verify', async () => {
      const limit = numberOr(membersOf(verifyOptions)['limit'], 100);
      if (!Number.isSafeInteger(limit) || limit < 1) return E.left(infrastructure('invalid verify: limit must be a positive integer'));
      const rows = await rowsOf(verifyStatement([limit]));
      return E.right(
        rows.map((row) => {
          const [streamId, streamVersion, globalPosition, problem] = row as readonly unknown[];
          return {
            streamId: toText(streamId),
            streamVersion: toNumber(streamVersion),
            globalPosition: globalPosition === null ? null : toNumber(globalPosition),
            problem: toText(problem),
          };
        }),
      );
    });

  // One statement, so one snapshot: heads are written in the transaction of their events.
  const readHeads = (): TaskEither<SdkError, readonly StreamHead[]> =>
    guarded('readHeads', async () =>
      E.right(
        (await rowsOf(readHeadsStatement([]))).map((row) => {
          const [streamId, version, hash] = row as readonly unknown[];
          return { streamId: toText(streamId), version: toNumber(version), hash: toText(hash) };
        }),
      ),
    );

  return { schema, migrate, verify, readStream, readAll, append, readCommand, lookupCommand, readHeads };
};
