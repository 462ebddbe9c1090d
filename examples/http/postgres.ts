/**
 * The PostgreSQL wiring of the example service: the same SDK, its events in PostgreSQL.
 *
 * What changes from the in-memory wiring is the store (and `migrate()` at every start). What a
 * production host must also replace: the vault (seeds and activation codes must survive a
 * restart: an HSM or a KMS-backed table, never the event store), the directory (its own user
 * systems) and the activation code delivery (`activationCodeDelivery`: the SMS, e-mail or app
 * message that carries a code to its owner). The views are folded in memory from the store when first read and kept current
 * after every command, so each instance rebuilds them at start.
 */
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { createSdk, type Sdk, type SdkConfig, type SdkError } from '../../src/index.js';
import { postgresEventStore, type PgPool } from '../../src/postgres/index.js';

export interface PostgresWiring extends Omit<SdkConfig, 'store'> {
  /** The schema of the store's tables (default `softtoken`). */
  readonly schema?: string;
}

/** Migrates the store (idempotent, safe for instances starting together) and builds the SDK over it. */
export const postgresSdk = (pool: PgPool, wiring: PostgresWiring = {}): TE.TaskEither<SdkError, Sdk> => {
  const { schema, ...config } = wiring;
  const store = postgresEventStore(pool, schema === undefined ? {} : { schema });
  return pipe(
    store.migrate(),
    TE.map(() => createSdk({ ...config, store })),
  );
};

