import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { infrastructure, infrastructureFrom } from '../errors/sdk-error.js';
import type { SdkError } from '../errors/sdk-error.js';
import type { JsonValue } from '../events/envelope.js';
import type { Checkpoint, CheckpointStore, Ownership } from '../projections/projection.js';
import { firstNonJsonPath } from '../events/json-check.js';
import type { PgPool, PgPoolClient, PgQueryable, PgQueryConfig } from './client.js';
import { databaseFailure } from './errors.js';
import { advisoryKey, DEFAULT_SCHEMA, isValidSchemaName, quoteIdentifier, statementName } from './identifiers.js';
import { toNumber, toText } from './rows.js';
import { schemaSql } from './schema.js';
import { isStorableText } from './text.js';

/** How a {@link postgresCheckpointStore} is set up. */
export interface PostgresCheckpointStoreOptions {
  /** The schema of the event store whose projections these are (default `softtoken`). */
  readonly schema?: string;
}

/** Checkpoints in PostgreSQL, beside the events: the {@link CheckpointStore} port plus `migrate`. */
export interface PostgresCheckpointStore extends CheckpointStore {
  /** The schema this store lives in. */
  readonly schema: string;
  /** The same migration as the event store's (either one creates both): safe to run at every start. */
  readonly migrate: () => TaskEither<SdkError, void>;
}

const guarded =
  <A>(operation: string, work: () => Promise<Either<SdkError, A>>): TaskEither<SdkError, A> =>
  async () => {
    try {
      return await work();
    } catch (cause) {
      return E.left(databaseFailure(operation)(cause));
    }
  };

/** A held connection that dies makes its next statement fail; that failure is what reports it. */
const ignoreLostConnection = (): void => undefined;

const invalidName = (): SdkError => infrastructure('invalid projection name: it must be a non-empty string without U+0000 or unpaired surrogates');

/**
 * Projection checkpoints in the event store's schema, for runners on several instances at once.
 *
 * - `save` writes position and state in one statement, so a crash never leaves one without the other.
 * - `withOwnership` takes a session-level advisory lock (`pg_try_advisory_lock`) on a connection it
 *   keeps for the whole work: one owner per projection across every instance and process; a crashed
 *   owner's session ends and frees the lock for the next. While this instance owns a projection,
 *   its `save`s for it go through that same connection: if the connection (and so the lock) is
 *   lost, the save fails instead of racing the new owner.
 */
export const postgresCheckpointStore = (client: PgPool, options: PostgresCheckpointStoreOptions = {}): PostgresCheckpointStore => {
  // `options` from plain JavaScript may be anything (null included): a missing schema is the default one.
  const schema = (options as PostgresCheckpointStoreOptions | null)?.schema ?? DEFAULT_SCHEMA;
  if (!isValidSchemaName(schema)) {
    const error = infrastructure('invalid options.schema: it must be 1-63 lower-case letters, digits or _, not starting with a digit');
    const fail = <A>(): TaskEither<SdkError, A> => () => Promise.resolve(E.left(error));
    return { schema, migrate: fail, load: fail, save: fail, withOwnership: fail };
  }
  const table = `${quoteIdentifier(schema)}.checkpoints`;
  const lockSpace = advisoryKey(`${schema}:projections`);
  const statement = (text: string) => {
    const name = statementName(text);
    return (values: readonly unknown[]): PgQueryConfig => ({ name, text, values, rowMode: 'array' });
  };
  const loadStatement = statement(`SELECT position, state FROM ${table} WHERE projection = $1`);
  const saveStatement = statement(
    `INSERT INTO ${table} (projection, position, state, updated_at) VALUES ($1, $2, $3, now())
     ON CONFLICT (projection) DO UPDATE SET position = excluded.position, state = excluded.state, updated_at = excluded.updated_at`,
  );
  const lockStatement = statement(`SELECT pg_try_advisory_lock($1, hashtext($2))`);
  const unlockStatement = statement(`SELECT pg_advisory_unlock($1, hashtext($2))`);
  /** The connection holding each projection this instance owns right now. */
  const owners = new Map<string, PgPoolClient | undefined>();

  const migrate = (): TaskEither<SdkError, void> =>
    guarded('migrate', async () => {
      await client.query({ text: schemaSql(schema).migrate });
      return E.right(undefined);
    });

  const load = (projection: string): TaskEither<SdkError, Checkpoint | undefined> =>
    guarded('load checkpoint', async () => {
      if (typeof projection !== 'string' || projection === '' || !isStorableText(projection)) return E.left(invalidName());
      const { rows } = await client.query(loadStatement([projection]));
      const row = rows[0] as readonly unknown[] | undefined;
      if (row === undefined) return E.right(undefined);
      return E.right({ position: toNumber(row[0]), state: JSON.parse(toText(row[1])) as JsonValue });
    });

  const save = (projection: string, checkpoint: Checkpoint): TaskEither<SdkError, void> =>
    guarded('save checkpoint', async () => {
      if (typeof projection !== 'string' || projection === '' || !isStorableText(projection)) return E.left(invalidName());
      const { position, state } = checkpoint as Partial<Checkpoint>;
      if (typeof position !== 'number' || !Number.isSafeInteger(position) || position < 0) {
        return E.left(infrastructure('invalid checkpoint: position must be an integer >= 0'));
      }
      const notJson = firstNonJsonPath(state, 'state');
      if (notJson !== undefined) return E.left(infrastructure(`invalid checkpoint: ${notJson} is not plain JSON`));
      const via: PgQueryable = owners.get(projection) ?? client;
      await via.query(saveStatement([projection, position, JSON.stringify(state)]));
      return E.right(undefined);
    });

  const withOwnership = <A>(projection: string, work: () => Promise<A>): TaskEither<SdkError, Ownership<A>> =>
    guarded('withOwnership', async () => {
      if (typeof projection !== 'string' || projection === '' || !isStorableText(projection)) return E.left(invalidName());
      // Claimed before the first await: this instance never runs two works for one projection.
      if (owners.has(projection)) return E.right({ owned: false });
      owners.set(projection, undefined);
      let connection: PgPoolClient | undefined;
      let locked = false;
      try {
        connection = await client.connect();
        connection.on?.('error', ignoreLostConnection);
        const { rows } = await connection.query(lockStatement([lockSpace, projection]));
        locked = (rows[0] as readonly unknown[] | undefined)?.[0] === true;
        if (!locked) return E.right({ owned: false });
        owners.set(projection, connection);
        try {
          return E.right({ owned: true, result: await work() });
        } catch (cause) {
          return E.left(infrastructureFrom(`projection ${projection}`)(cause));
        }
      } finally {
        owners.delete(projection);
        if (connection !== undefined) await release(connection, locked, projection);
      }
    });

  /** Gives the connection back unlocked; one that cannot unlock is closed, which unlocks it too. */
  const release = async (connection: PgPoolClient, locked: boolean, projection: string): Promise<void> => {
    connection.removeListener?.('error', ignoreLostConnection);
    if (!locked) {
      connection.release();
      return;
    }
    try {
      await connection.query(unlockStatement([lockSpace, projection]));
      connection.release();
    } catch {
      connection.release(true);
    }
  };

  return { schema, migrate, load, save, withOwnership };
};
