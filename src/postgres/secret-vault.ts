import * as E from 'fp-ts/lib/Either.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { infrastructure } from '../errors/sdk-error.js';
import type { SdkError } from '../errors/sdk-error.js';
import type { KeyProvider, WrappedKey } from '../ports/key-provider.js';
import type { SecretVault } from '../ports/secret-vault.js';
import { SecretVaultError } from '../ports/secret-vault-error.js';
import type { PgPool, PgQueryConfig } from './client.js';
import { ENVELOPE_FORMAT, openSecret, providerFailure, rewrapSecret, sealSecret } from './envelope.js';
import { databaseFailure } from './errors.js';
import { DEFAULT_SCHEMA, isValidSchemaName, statementName } from './identifiers.js';
import { toNumber, toText } from './rows.js';
import { secretVaultSql } from './secret-vault-schema.js';
import { sweepOrphans } from './secret-vault-sweep.js';
import type { SweepOrphansOptions, SweepReport } from './secret-vault-sweep.js';
import { isStorableText } from './text.js';

/** How a {@link postgresSecretVault} is set up. */
export interface PostgresSecretVaultOptions {
  /** Holds the key-encryption keys: `localKeyProvider` in development, an HSM or KMS in production. */
  readonly keys: KeyProvider;
  /** The schema of its table (default `softtoken`, beside the event store). */
  readonly schema?: string;
}

/** What one {@link PostgresSecretVault.rotate} did. */
export interface RotationReport {
  /** Data keys now wrapped under the current key that were not before. */
  readonly rewrapped: number;
  /** Batches written (each one statement, committed on its own). */
  readonly batches: number;
  /** Rows replaced or destroyed while the rotation ran, left as they were. */
  readonly skipped: number;
}

/** The PostgreSQL secret vault: the {@link SecretVault} port plus its table's upkeep and key rotation. */
export interface PostgresSecretVault extends SecretVault {
  /** The schema its table lives in. */
  readonly schema: string;
  /** Creates the table when missing: safe to run at every start, by several instances at once. */
  readonly migrate: () => TaskEither<SdkError, void>;
  /**
   * Re-wraps every data key not under the key provider's current key, `batchSize` rows (default
   * 100) at a time, each batch committed on its own: a rotation that stops midway (a crash, a
   * provider failure) is resumed by running it again. Only data keys pass through memory, never
   * a secret, and they are zero-filled after use. Destroyed secrets are not in the table, so a
   * rotation cannot bring them back. Answers what it did; fails with the first error, by code.
   */
  readonly rotate: (options?: { readonly batchSize?: number }) => TaskEither<SdkError, RotationReport>;
  /**
   * Removes orphans: secrets no event references, written longer ago than `olderThanMs` (a
   * command that put a secret and whose append then failed leaves one). Reads the event log
   * from where the previous sweep stopped; see {@link SweepOrphansOptions}. Run it now and then
   * (hourly, say) from one instance or several.
   */
  readonly sweepOrphans: (options: SweepOrphansOptions) => TaskEither<SdkError, SweepReport>;
}

const MAX_BATCH = 10_000;

/** Bytes of a bytea column (node-postgres answers a Buffer, embedded PostgreSQL a Uint8Array). */
const toBytes = (value: unknown): Uint8Array => {
  if (value instanceof Uint8Array) return value;
  throw new TypeError('not bytes');
};

const invalidRef = (): SecretVaultError => new SecretVaultError('InvalidInput', 'invalid ref: it must be a non-empty string without U+0000 or unpaired surrogates');

const checkRef = (ref: unknown): string => {
  if (typeof ref !== 'string' || ref === '' || !isStorableText(ref)) throw invalidRef();
  return ref;
};

/** Runs a database call; its failure becomes an `Unavailable` error quoting no parameter. */
const database = async <A>(operation: string, call: () => Promise<A>): Promise<A> => {
  try {
    return await call();
  } catch (cause) {
    throw new SecretVaultError('Unavailable', databaseFailure(operation)(cause).message);
  }
};

const failing = (schema: string, error: SecretVaultError): PostgresSecretVault => {
  const reject = (): Promise<never> => Promise.reject(error);
  const fail = <A>(): TaskEither<SdkError, A> => () => Promise.resolve(E.left(infrastructure(error.message)));
  return { schema, migrate: fail, rotate: fail, sweepOrphans: fail, put: reject, get: reject, destroy: reject };
};

/**
 * A {@link SecretVault} in a PostgreSQL table, with envelope encryption: each secret is sealed
 * with AES-256-GCM under its own random data key, and the data key is wrapped by the key provider's
 * key-encryption key, which never reaches the table (nor, with an HSM, the process). Both boxes
 * are bound to the secret's reference: a row changed, moved to another reference or swapped is
 * refused (`SecretVaultError` `Tampered`), never decrypted. `destroy` deletes the row.
 *
 * The port's calls reject with a {@link SecretVaultError} (the SDK reports it as `Infrastructure`);
 * no error quotes a secret, a key, a ciphertext or a driver's message. Run `migrate()` once before use.
 */
export const postgresSecretVault = (pool: PgPool, options: PostgresSecretVaultOptions): PostgresSecretVault => {
  const schema = (options as Partial<PostgresSecretVaultOptions> | undefined)?.schema ?? DEFAULT_SCHEMA;
  if (!isValidSchemaName(schema)) {
    return failing(schema, new SecretVaultError('InvalidInput', 'invalid options.schema: it must be 1-63 lower-case letters, digits or _, not starting with a digit'));
  }
  const keys = (options as Partial<PostgresSecretVaultOptions> | undefined)?.keys;
  if (typeof keys !== 'object' || typeof keys.wrap !== 'function' || typeof keys.unwrap !== 'function' || typeof keys.currentKeyId !== 'function') {
    return failing(schema, new SecretVaultError('InvalidInput', 'invalid options.keys: it must be a KeyProvider (wrap, unwrap, currentKeyId, knownKeyIds)'));
  }
  const sql = secretVaultSql(schema);
  const prepared = (text: string) => {
    const name = statementName(text);
    return (values: readonly unknown[]): PgQueryConfig => ({ name, text, values, rowMode: 'array' });
  };
  const putStatement = prepared(sql.put);
  const getStatement = prepared(sql.get);
  const destroyStatement = prepared(sql.destroy);
  const toRotateStatement = prepared(sql.toRotate);
  const rewrapStatement = prepared(sql.rewrap);
  const sweepStatements = {
    sweepPosition: prepared(sql.sweepPosition)([]),
    markReferenced: (refs: readonly string[]) => prepared(sql.markReferenced)([refs]),
    saveSweepPosition: (position: number) => prepared(sql.saveSweepPosition)([position]),
    removeOrphans: (olderThanMs: number) => prepared(sql.removeOrphans)([olderThanMs]),
  };

  const put = async (ref: string, secret: Uint8Array): Promise<void> => {
    checkRef(ref);
    if (!(secret instanceof Uint8Array)) throw new SecretVaultError('InvalidInput', 'invalid secret: it must be a Uint8Array');
    const envelope = await sealSecret(keys, ref, secret);
    await database('put secret', () =>
      pool.query(putStatement([ref, ENVELOPE_FORMAT, envelope.keyId, Buffer.from(envelope.wrappedKey), Buffer.from(envelope.ciphertext)])),
    );
  };

  const get = async (ref: string): Promise<Uint8Array | undefined> => {
    checkRef(ref);
    const { rows } = await database('get secret', () => pool.query(getStatement([ref])));
    const row = rows[0] as readonly unknown[] | undefined;
    if (row === undefined) return undefined;
    let envelope;
    try {
      if (toNumber(row[0]) !== ENVELOPE_FORMAT) throw new TypeError('unknown format');
      envelope = { keyId: toText(row[1]), wrappedKey: toBytes(row[2]), ciphertext: toBytes(row[3]) };
    } catch {
      throw new SecretVaultError('Tampered', `the secret vault refused the row of ${ref}: it is not a row this vault wrote`);
    }
    try {
      return await openSecret(keys, ref, envelope);
    } finally {
      // The sealed bytes are no secret, but there is no reason to leave them lying in the heap.
      envelope.wrappedKey.fill(0);
      envelope.ciphertext.fill(0);
    }
  };

  const destroy = async (ref: string): Promise<void> => {
    checkRef(ref);
    await database('destroy secret', () => pool.query(destroyStatement([ref])));
  };

  const migrate = (): TaskEither<SdkError, void> => async () => {
    try {
      await pool.query({ text: sql.migrate });
      return E.right(undefined);
    } catch (cause) {
      return E.left(databaseFailure('migrate secret vault')(cause));
    }
  };

  const rotate =
    (rotateOptions: { readonly batchSize?: number } = {}): TaskEither<SdkError, RotationReport> =>
    async () => {
      const batchSize = rotateOptions.batchSize ?? 100;
      if (!Number.isSafeInteger(batchSize) || batchSize < 1 || batchSize > MAX_BATCH) {
        return E.left(infrastructure(`invalid options.batchSize: it must be an integer from 1 to ${String(MAX_BATCH)}`));
      }
      let rewrapped = 0;
      let batches = 0;
      let skipped = 0;
      try {
        let current: string;
        try {
          current = await keys.currentKeyId();
        } catch (cause) {
          throw providerFailure('currentKeyId')(cause);
        }
        let after = '';
        for (;;) {
          const { rows } = await database('rotate (read)', () => pool.query(toRotateStatement([current, after, batchSize])));
          if (rows.length === 0) break;
          const refs: string[] = [];
          const oldIds: string[] = [];
          const oldWrapped: Buffer[] = [];
          const newIds: string[] = [];
          const newWrapped: Buffer[] = [];
          for (const row of rows as readonly (readonly unknown[])[]) {
            const ref = toText(row[0]);
            const old: WrappedKey = { keyId: toText(row[1]), wrapped: toBytes(row[2]) };
            const next = await rewrapSecret(keys, ref, old);
            refs.push(ref);
            oldIds.push(old.keyId);
            oldWrapped.push(Buffer.from(old.wrapped));
            newIds.push(next.keyId);
            newWrapped.push(Buffer.from(next.wrapped));
            after = ref;
          }
          const written = await database('rotate (write)', () => pool.query(rewrapStatement([refs, oldIds, oldWrapped, newIds, newWrapped])));
          const count = written.rows.length;
          rewrapped += count;
          skipped += refs.length - count;
          batches++;
        }
        return E.right({ rewrapped, batches, skipped });
      } catch (cause) {
        const error = cause instanceof SecretVaultError ? cause : new SecretVaultError('Unavailable', `unexpected ${cause instanceof Error ? cause.name : typeof cause}`);
        return E.left(infrastructure(`secret vault rotation stopped after ${String(rewrapped)} re-wrapped key(s) (run rotate() again to resume): ${error.code}: ${error.message}`));
      }
    };

  return { schema, migrate, rotate, sweepOrphans: sweepOrphans(pool, sweepStatements), put, get, destroy };
};
