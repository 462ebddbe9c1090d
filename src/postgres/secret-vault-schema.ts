import { advisoryKey, LOCK_NAMESPACE, quoteIdentifier } from './identifiers.js';

/** The statements of the secret vault's table in `schema` (a name already validated by the caller). */
export interface SecretVaultSql {
  readonly migrate: string;
  readonly put: string;
  readonly get: string;
  readonly destroy: string;
  readonly toRotate: string;
  readonly rewrap: string;
  readonly sweepPosition: string;
  readonly markReferenced: string;
  readonly saveSweepPosition: string;
  readonly removeOrphans: string;
}

/**
 * One row per secret: the key id and the data key wrapped under it, and the secret sealed under
 * the data key (AES-256-GCM, `nonce || ciphertext || tag`). No column holds anything in clear
 * but the reference and the key id. `format` says how the row was sealed, for a later change of it.
 * `written_at` (the database's clock) and `referenced` (an event names it) serve the orphan sweep;
 * `secret_vault_sweep` keeps the position in the event log it has read up to.
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
ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS written_at timestamptz NOT NULL DEFAULT now();
ALTER TABLE ${table} ADD COLUMN IF NOT EXISTS referenced boolean NOT NULL DEFAULT false;
CREATE INDEX IF NOT EXISTS secret_vault_unreferenced ON ${table} (written_at) WHERE NOT referenced;
CREATE TABLE IF NOT EXISTS ${s}.secret_vault_sweep (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  position bigint NOT NULL
);
COMMENT ON TABLE ${table} IS 'softtoken-sdk secret vault: envelope-encrypted secrets (AES-256-GCM data keys wrapped by a key provider)';
`,
    // A replaced secret keeps its `referenced` mark: the event that named the reference still does.
    put: `INSERT INTO ${table} (ref, format, key_id, wrapped_key, ciphertext) VALUES ($1, $2, $3, $4, $5)
      ON CONFLICT (ref) DO UPDATE SET format = excluded.format, key_id = excluded.key_id, wrapped_key = excluded.wrapped_key, ciphertext = excluded.ciphertext, written_at = now()`,
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
    sweepPosition: `SELECT position FROM ${s}.secret_vault_sweep`,
    markReferenced: `UPDATE ${table} SET referenced = true WHERE ref = ANY($1::text[]) AND NOT referenced`,
    // Never backwards: two sweeps at once both end at the furthest position either read.
    saveSweepPosition: `INSERT INTO ${s}.secret_vault_sweep (position) VALUES ($1)
      ON CONFLICT (id) DO UPDATE SET position = GREATEST(${s}.secret_vault_sweep.position, excluded.position)`,
    removeOrphans: `DELETE FROM ${table} WHERE NOT referenced AND written_at < now() - make_interval(secs => $1::double precision / 1000) RETURNING ref`,
  };
};
