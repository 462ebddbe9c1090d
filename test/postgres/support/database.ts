import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';
import { afterAll, beforeAll } from 'vitest';
import type { Either } from 'fp-ts/lib/Either.js';
import type { SdkError } from '../../../src/errors/sdk-error.js';
import type { PgPool } from '../../../src/postgres/client.js';
import { postgresEventStore } from '../../../src/postgres/event-store.js';
import type { PostgresEventStore, PostgresEventStoreOptions } from '../../../src/postgres/event-store.js';
import { pglitePool } from './pglite-pool.js';

/** The server the adapter tests run against: `DATABASE_URL` when set, else an embedded PostgreSQL. */
export const databaseUrl = process.env['DATABASE_URL'] === '' ? undefined : process.env['DATABASE_URL'];

/** Why the tests that need concurrent connections did not run. */
export const needsServer = 'needs a PostgreSQL server with concurrent connections: set DATABASE_URL (skipped on the embedded PostgreSQL)';

/** Says on the console, when there is no server, that a file's concurrency tests are skipped and why. */
export const announceSkip = (file: string): void => {
  if (databaseUrl === undefined) console.warn(`[softtoken-sdk/postgres] ${file}: SKIPPED, ${needsServer}`);
};

export interface TestDatabase {
  readonly kind: 'postgres' | 'pglite';
  readonly pool: PgPool;
  /** A fresh schema name for this run; dropped by `close`. */
  readonly newSchema: () => string;
  /** Drops every schema handed out, then closes the connections. */
  readonly close: () => Promise<void>;
}

const schemaName = (): string => `st_test_${randomBytes(6).toString('hex')}`;

/** Opens the test database: a `pg.Pool` on `DATABASE_URL`, or PGlite in memory. */
export const openTestDatabase = async (poolSize = 10): Promise<TestDatabase> => {
  const schemas: string[] = [];
  const newSchema = (): string => {
    const name = schemaName();
    schemas.push(name);
    return name;
  };
  if (databaseUrl !== undefined) {
    const pool = new pg.Pool({ connectionString: databaseUrl, max: poolSize });
    return {
      kind: 'postgres',
      pool,
      newSchema,
      close: async () => {
        for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
        await pool.end();
      },
    };
  }
  const db = new PGlite();
  await db.waitReady;
  return {
    kind: 'pglite',
    pool: pglitePool(db),
    newSchema,
    close: async () => {
      await db.close();
    },
  };
};

/**
 * Opens the test database before the tests of the enclosing `describe` and closes it after them
 * (dropping the schemas handed out); call the answer inside a test for the database.
 */
export const useTestDatabase = (poolSize = 4): (() => TestDatabase) => {
  let db: TestDatabase | undefined;
  beforeAll(async () => {
    db = await openTestDatabase(poolSize);
  });
  afterAll(async () => {
    await db?.close();
  });
  return () => {
    if (db === undefined) throw new Error('the test database is not open yet');
    return db;
  };
};

/** A migrated store in a fresh schema of `db`. */
export const freshStore = async (db: TestDatabase, options: Omit<PostgresEventStoreOptions, 'schema'> = {}): Promise<PostgresEventStore> => {
  const store = postgresEventStore(db.pool, { ...options, schema: db.newSchema() });
  const migrated = await store.migrate()();
  if (migrated._tag === 'Left') throw new Error(migrated.left.message);
  return store;
};

/** The right side of an Either a test expects to succeed; the test fails with the error otherwise. */
export const rightOf = <A>(result: Either<SdkError, A>): A => {
  if (result._tag === 'Left') throw new Error(`expected success, got ${result.left._tag}: ${result.left.message}`);
  return result.right;
};

/** The left side of an Either a test expects to fail. */
export const leftOf = <A>(result: Either<SdkError, A>): SdkError => {
  if (result._tag === 'Right') throw new Error('expected a failure, got success');
  return result.left;
};
