/**
 * The PostgreSQL wiring of the example service: the same SDK, its events in PostgreSQL and its
 * seeds and activation codes in the PostgreSQL secret vault (envelope-encrypted under the key
 * provider's key-encryption key; a local key here, an HSM or KMS in production).
 *
 * What changes from the in-memory wiring is the store and the vault (and their `migrate()` at
 * every start). What a production host must also replace: the key provider (an HSM or a KMS
 * rather than key bytes in the process), the directory (its own user systems) and the activation code delivery (`activationCodeDelivery`: the SMS, e-mail or app
 * message that carries a code to its owner). The views are folded in memory from the store when first read and kept current
 * after every command, so each instance rebuilds them at start.
 */
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { createSdk, type Sdk, type SdkConfig, type SdkError } from '../../src/index.js';
import { postgresEventStore, postgresSecretVault, type KeyProvider, type PgPool } from '../../src/postgres/index.js';

export interface PostgresWiring extends Omit<SdkConfig, 'store' | 'vault'> {
  /** The schema of the store's and the vault's tables (default `softtoken`). */
  readonly schema?: string;
  /** Holds the vault's key-encryption keys. */
  readonly keys: KeyProvider;
}

/** Migrates the store and the vault (idempotent, safe for instances starting together) and builds the SDK over them. */
export const postgresSdk = (pool: PgPool, wiring: PostgresWiring): TE.TaskEither<SdkError, Sdk> => {
  const { schema, keys, ...config } = wiring;
  const store = postgresEventStore(pool, schema === undefined ? {} : { schema });
  const vault = postgresSecretVault(pool, schema === undefined ? { keys } : { keys, schema });
  return pipe(
    store.migrate(),
    TE.flatMap(() => vault.migrate()),
    TE.map(() => createSdk({ ...config, store, vault })),
  );
};

