import type { PGlite } from '@electric-sql/pglite';
import type { PgPool, PgPoolClient, PgQueryConfig, PgQueryResult } from '../../../src/postgres/client.js';

/**
 * An embedded PostgreSQL (PGlite) behind the `query` / `connect` shape of a `pg.Pool`, for the
 * tests of a machine without a server. PGlite is one session: a mutex runs one statement at a
 * time (each its own implicit transaction, as on a pool). A client from `connect` shares that
 * session, statement by statement: enough for session-level advisory locks (which are then
 * re-entrant: exclusivity between owners of one process comes from the checkpoint store's own
 * guard), not for transactions spanning several statements, which the adapters never open.
 */
export const pglitePool = (db: PGlite): PgPool => {
  let tail: Promise<void> = Promise.resolve();
  const exclusive = <A>(work: () => Promise<A>): Promise<A> => {
    const run = tail.then(work);
    tail = run.then(
      () => undefined,
      () => undefined,
    );
    return run;
  };
  const run = async (config: PgQueryConfig): Promise<PgQueryResult> => {
    if (config.values === undefined) {
      const results = await db.exec(config.text);
      return { rows: results.at(-1)?.rows ?? [] };
    }
    const result = await db.query(config.text, [...config.values], config.rowMode === 'array' ? { rowMode: 'array' } : {});
    return { rows: result.rows };
  };
  return {
    query: (config) => exclusive(() => run(config)),
    connect: () => {
      const shared: PgPoolClient = {
        query: (config) => exclusive(() => run(config)),
        release: () => undefined,
      };
      return Promise.resolve(shared);
    },
  };
};
