import type { KeyProvider } from '../../../src/ports/key-provider.js';
import { localKeyProvider } from '../../../src/ports/local-key-provider.js';
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
