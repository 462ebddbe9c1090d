import { encodeBase32 } from '../../../src/otp/base32.js';
import type { KeyProvider } from '../../../src/ports/key-provider.js';
import { localKeyProvider } from '../../../src/postgres/local-key-provider.js';
import { SecretVaultError } from '../../../src/ports/secret-vault-error.js';
import type { PgPool } from '../../../src/postgres/client.js';
import { quoteIdentifier } from '../../../src/postgres/identifiers.js';
import { postgresSecretVault } from '../../../src/postgres/secret-vault.js';
import type { PostgresSecretVault } from '../../../src/postgres/secret-vault.js';

/** A key-encryption key for the tests: 32 bytes from a small seed. */
export const testKek = (seed: number): Uint8Array => Uint8Array.from({ length: 32 }, (_, index) => (seed * 31 + index * 17 + 5) % 256);

/** A migrated vault in `schema` under local keys (the first current). */
export const migratedVault = async (pool: PgPool, schema: string, keys: KeyProvider = localKeyProvider([{ key: testKek(1) }])): Promise<PostgresSecretVault> => {
  const vault = postgresSecretVault(pool, { keys, schema });
  const migrated = await vault.migrate()();
  if (migrated._tag === 'Left') throw new Error(migrated.left.message);
  return vault;
};

/** The vault's table, quoted. */
export const vaultTable = (schema: string): string => `${quoteIdentifier(schema)}.secret_vault`;

/** The rejection of a promise a test expects to fail with a SecretVaultError. */
export const vaultRejection = async (promise: unknown): Promise<SecretVaultError> => {
  try {
    await promise;
  } catch (error) {
    if (error instanceof SecretVaultError) return error;
    throw error;
  }
  throw new Error('expected a SecretVaultError, the call succeeded');
};

/** Every encoding of some bytes a dump could show them in: hex (both cases), base64, base64url, Base32, raw (latin1). */
export const encodings = (bytes: Uint8Array): readonly string[] => {
  const buffer = Buffer.from(bytes);
  return [buffer.toString('hex'), buffer.toString('hex').toUpperCase(), buffer.toString('base64'), buffer.toString('base64url'), encodeBase32(bytes), buffer.toString('latin1')];
};

/** The strings and byte arrays anywhere in a dump (rows, arrays, objects), in order. */
const partsOf = (value: unknown, texts: string[], bytes: Uint8Array[]): void => {
  if (typeof value === 'string') texts.push(value);
  else if (value instanceof Uint8Array) bytes.push(value);
  else if (Array.isArray(value)) for (const item of value) partsOf(item, texts, bytes);
  else if (typeof value === 'object' && value !== null) for (const item of Object.values(value)) partsOf(item, texts, bytes);
  else if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') texts.push(String(value));
};

/**
 * Whether a dump (rows of text and bytes, or a message) holds any of `secrets`: in any of the
 * {@link encodings} in its text, or any 8 consecutive bytes of one raw in its bytes. Answers a
 * flag, so a failing assertion prints no secret.
 */
export const dumpHolds = (dump: unknown, secrets: readonly Uint8Array[]): boolean => {
  const texts: string[] = [];
  const arrays: Uint8Array[] = [];
  partsOf(dump, texts, arrays);
  const text = texts.join('\n');
  const bytes = Buffer.concat([...arrays, ...texts.map((part) => Buffer.from(part, 'utf8'))]);
  return secrets.some(
    (secret) =>
      encodings(secret).some((encoded) => text.includes(encoded)) ||
      Array.from({ length: Math.max(0, secret.length - 7) }, (_, index) => secret.subarray(index, index + 8)).some((window) => bytes.includes(Buffer.from(window))),
  );
};
