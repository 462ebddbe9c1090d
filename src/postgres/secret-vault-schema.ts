import { advisoryKey, LOCK_NAMESPACE, quoteIdentifier } from './identifiers.js';

/** The statements of the secret vault's table in `schema` (a name already validated by the caller). */
export interface SecretVaultSql {
  readonly migrate: string;
  readonly put: string;
  readonly get: string;
  readonly destroy: string;
  readonly toRotate: string;
  readonly rewrap: string;
}

/**
 * One row per secret: the key id and the data key wrapped under it, and the secret sealed under
 * the data key (AES-256-GCM, `nonce || ciphertext || tag`). No column holds anything in clear
 * but the reference and the key id. `format` says how the row was sealed, for a later change of it.
 */
export const secretVaultSql = (schema: string): SecretVaultSql => {
  const s = quoteIdentifier(schema);
  const table = `${s}.secret_vault`;
  const migrating = advisoryKey(`${schema}:secret-vault:migrating`);
  return {
    migrate: `
SELECT pg_advisory_xact_lock(${LOCK_NAMESPACE}, ${migrating});
CREATE SCHEMA IF NOT EXISTS ${s};
CREATE TABLE IF NOT EXISTS ${table} (
  ref text COLLATE "C" PRIMARY KEY,
  format smallint NOT NULL,
  key_id text COLLATE "C" NOT NULL,
  wrapped_key bytea NOT NULL,
  ciphertext bytea NOT NULL
);
CREATE INDEX IF NOT EXISTS secret_vault_key_id ON ${table} (key_id, ref);
COMMENT ON TABLE ${table} IS 'softtoken-sdk secret vault: envelope-encrypted secrets (AES-256-GCM data keys wrapped by a key provider)';
`,
    put: `INSERT INTO ${table} (ref, format, key_id, wrapped_key, ciphertext) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (ref) DO UPDATE SET format = excluded.format, key_id = excluded.key_id, wrapped_key = excluded.wrapped_key, ciphertext = excluded.ciphertext`,
    get: `SELECT format, key_id, wrapped_key, ciphertext FROM ${table} WHERE ref = $1`,
    destroy: `DELETE FROM ${table} WHERE ref = $1`,
    // Keyset pages over the rows not under the current key: each page starts after the last one,
    // so a row that cannot be re-wrapped is passed over and the rotation still ends.
    toRotate: `SELECT ref, key_id, wrapped_key FROM ${table} WHERE key_id <> $1 AND ref > $2 ORDER BY ref LIMIT $3`,
    // Only rows still exactly as read: a row replaced (put) or destroyed meanwhile is left alone,
    // so a rotation never brings a destroyed secret back.
    rewrap: `UPDATE ${table} AS t SET key_id = u.key_id, wrapped_key = u.wrapped_key
      FROM unnest($1::text[], $2::text[], $3::bytea[], $4::text[], $5::bytea[]) AS u(ref, old_key_id, old_wrapped_key, key_id, wrapped_key)
      WHERE t.ref = u.ref AND t.key_id = u.old_key_id AND t.wrapped_key = u.old_wrapped_key
      RETURNING t.ref`,
  };
};
