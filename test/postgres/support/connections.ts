import pg from 'pg';
import type { PgPool, PgPoolClient, PgQueryConfig, PgQueryResult } from '../../../src/postgres/client.js';

/** One open connection as a pool of one: a store on it uses exactly that connection. */
export interface Dedicated {
  readonly pool: PgPool;
  readonly end: () => Promise<void>;
}

/** Opens `count` connections, each its own pool, so concurrent appends really run side by side. */
export const dedicatedConnections = async (connectionString: string, count: number, applicationName = 'softtoken-test'): Promise<readonly Dedicated[]> =>
  Promise.all(
    Array.from({ length: count }, async () => {
      const client = new pg.Client({ connectionString, application_name: applicationName });
      await client.connect();
      const run = (config: PgQueryConfig): Promise<PgQueryResult> => {
        const { values, ...rest } = config;
        return client.query({ ...rest, ...(values === undefined ? {} : { values: [...values] }) });
      };
      const connection: PgPoolClient = { query: run, release: () => undefined };
      return { pool: { query: run, connect: () => Promise.resolve(connection) }, end: () => client.end() };
    }),
  );
