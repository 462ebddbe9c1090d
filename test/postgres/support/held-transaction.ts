import pg from 'pg';
import type { PgPool, PgPoolClient, PgQueryConfig, PgQueryResult } from '../../../src/postgres/client.js';

/**
 * A pool whose every statement runs inside one transaction that stays open until the test says:
 * a store built on it appends "in the middle of" a transaction, as a slow writer would.
 */
export interface HeldTransaction {
  readonly pool: PgPool;
  readonly commit: () => Promise<void>;
  readonly rollback: () => Promise<void>;
}

export const holdTransaction = async (connectionString: string): Promise<HeldTransaction> => {
  const client = new pg.Client({ connectionString });
  await client.connect();
  await client.query('BEGIN');
  const run = async (config: PgQueryConfig): Promise<PgQueryResult> => {
    const { name: _name, values, ...rest } = config;
    return client.query({ ...rest, ...(values === undefined ? {} : { values: [...values] }) });
  };
  const connection: PgPoolClient = { query: run, release: () => undefined };
  const end = (statement: string) => async () => {
    await client.query(statement);
    await client.end();
  };
  return { pool: { query: run, connect: () => Promise.resolve(connection) }, commit: end('COMMIT'), rollback: end('ROLLBACK') };
};
