import type { PgPool } from '../../../src/postgres/client.js';
import { quoteIdentifier } from '../../../src/postgres/identifiers.js';
import type { SecretVault } from '../../../src/ports/secret-vault.js';

/**
 * A `SecretVault` in a table of the test schema, so that SDK instances in several processes share
 * their seeds and activation codes, as instances of a bank share its HSM or KMS. Test support:
 * the secrets sit there in clear.
 */
export interface SharedVault extends SecretVault {
  /** Creates the table (once, before the instances start). */
  readonly migrate: () => Promise<void>;
  /** The references it holds now. */
  readonly refs: () => Promise<ReadonlySet<string>>;
}

export const sharedVault = (pool: PgPool, schema: string): SharedVault => {
  const table = `${quoteIdentifier(schema)}.test_vault`;
  return {
    migrate: async () => {
      await pool.query({ text: `CREATE TABLE IF NOT EXISTS ${table} (ref text PRIMARY KEY, secret bytea NOT NULL)` });
    },
    put: async (ref, secret) => {
      await pool.query({
        text: `INSERT INTO ${table} (ref, secret) VALUES ($1, $2) ON CONFLICT (ref) DO UPDATE SET secret = excluded.secret`,
        values: [ref, Buffer.from(secret)],
      });
    },
    get: async (ref) => {
      const { rows } = await pool.query({ text: `SELECT secret FROM ${table} WHERE ref = $1`, values: [ref], rowMode: 'array' });
      const secret = (rows[0] as readonly Uint8Array[] | undefined)?.[0];
      return secret === undefined ? undefined : Uint8Array.from(secret);
    },
    destroy: async (ref) => {
      await pool.query({ text: `DELETE FROM ${table} WHERE ref = $1`, values: [ref] });
    },
    refs: async () => {
      const { rows } = await pool.query({ text: `SELECT ref FROM ${table}`, rowMode: 'array' });
      return new Set((rows as readonly (readonly string[])[]).map((row) => row[0] ?? ''));
    },
  };
};
