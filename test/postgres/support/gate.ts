import { dedicatedConnections } from './connections.js';
import type { TestDatabase } from './database.js';

/**
 * A lock the test holds in a transaction on a connection of its own. Instance processes whose
 * next statement needs it wait there; `waiting` tells when they all do, and `release` lets them
 * go at the same moment: a start line, or a point inside an append.
 */
export interface Gate {
  /** Waits (a bounded while) until `names.length` sessions of those application names wait on a lock; answers how many did. */
  readonly waiting: (names: readonly string[]) => Promise<number>;
  readonly release: () => Promise<void>;
}

export const holdGate = async (db: TestDatabase, url: string, lockStatement: string): Promise<Gate> => {
  const [connection] = await dedicatedConnections(url, 1, 'softtoken-test-gate');
  const gate = connection!;
  await gate.pool.query({ text: 'BEGIN' });
  await gate.pool.query({ text: lockStatement });
  const blocked = async (names: readonly string[]): Promise<number> => {
    const { rows } = await db.pool.query({
      text: `SELECT count(*)::int FROM pg_stat_activity WHERE application_name = ANY($1) AND wait_event_type = 'Lock'`,
      values: [names],
      rowMode: 'array',
    });
    return (rows[0] as readonly number[] | undefined)?.[0] ?? 0;
  };
  return {
    waiting: async (names) => {
      let count = await blocked(names);
      for (let attempt = 0; attempt < 1500 && count < names.length; attempt++) {
        await new Promise((resolve) => setTimeout(resolve, 20));
        count = await blocked(names);
      }
      return count;
    },
    release: async () => {
      await gate.pool.query({ text: 'ROLLBACK' });
      await gate.end();
    },
  };
};

/** The statement an instance runs to wait at the start gate of `schema`, and the one the test holds it with. */
export const startLine = (schema: string): { readonly wait: string; readonly hold: string } => ({
  wait: `SELECT pg_advisory_xact_lock_shared(hashtext('${schema}:start'))`,
  hold: `SELECT pg_advisory_xact_lock(hashtext('${schema}:start'))`,
});
