import type { PgPool } from '../../../src/postgres/client.js';
import { quoteIdentifier } from '../../../src/postgres/identifiers.js';
import type { CheckpointStore } from '../../../src/projections/projection.js';

/** What the witness saw of one projection, over every process that ran it. */
export interface OwnershipRecord {
  /** Works that ran (owned runs). */
  readonly runs: number;
  /** The most works that were inside at one moment: 1 when ownership is exclusive. */
  readonly most: number;
}

/**
 * Wraps a checkpoint store so that every owned work counts itself in and out of a row of the
 * test schema as it starts and ends. Two owners of one projection at once, in any processes,
 * show as `most` 2: the count is taken inside the work, so it can only rise above 1 if two works
 * overlap.
 */
export interface OwnershipWitness {
  readonly migrate: () => Promise<void>;
  readonly watch: (checkpoints: CheckpointStore) => CheckpointStore;
  readonly record: (projection: string) => Promise<OwnershipRecord>;
}

export const ownershipWitness = (pool: PgPool, schema: string): OwnershipWitness => {
  const table = `${quoteIdentifier(schema)}.test_ownership`;
  const enter = `INSERT INTO ${table} AS o (projection, inside, most, runs) VALUES ($1, 1, 1, 1)
    ON CONFLICT (projection) DO UPDATE SET inside = o.inside + 1, most = greatest(o.most, o.inside + 1), runs = o.runs + 1`;
  const leave = `UPDATE ${table} SET inside = inside - 1 WHERE projection = $1`;
  return {
    migrate: async () => {
      await pool.query({ text: `CREATE TABLE IF NOT EXISTS ${table} (projection text PRIMARY KEY, inside integer NOT NULL, most integer NOT NULL, runs integer NOT NULL)` });
    },
    watch: (checkpoints) => ({
      ...checkpoints,
      withOwnership: (projection, work) =>
        checkpoints.withOwnership(projection, async () => {
          await pool.query({ text: enter, values: [projection] });
          try {
            return await work();
          } finally {
            await pool.query({ text: leave, values: [projection] });
          }
        }),
    }),
    record: async (projection) => {
      const { rows } = await pool.query({ text: `SELECT runs, most FROM ${table} WHERE projection = $1`, values: [projection], rowMode: 'array' });
      const row = rows[0] as readonly number[] | undefined;
      return { runs: row?.[0] ?? 0, most: row?.[1] ?? 0 };
    },
  };
};
