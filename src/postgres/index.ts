/**
 * softtoken-sdk/postgres: the PostgreSQL event store, on node-postgres.
 *
 * @packageDocumentation
 */
export type { EventStore } from '../store/event-store.js';
export { postgresEventStore } from './event-store.js';
export type { IntegrityProblem, PostgresEventStore, PostgresEventStoreOptions } from './event-store.js';
export type { PgPool, PgPoolClient, PgQueryable, PgQueryConfig, PgQueryResult } from './client.js';
export { postgresCheckpointStore } from './checkpoint-store.js';
export type { PostgresCheckpointStore, PostgresCheckpointStoreOptions } from './checkpoint-store.js';
export { postgresSecretVault } from './secret-vault.js';
export type { PostgresSecretVault, PostgresSecretVaultOptions, RotationReport } from './secret-vault.js';
export type { SweepOrphansOptions, SweepReport } from './secret-vault-sweep.js';
export type { KeyProvider, WrappedKey } from '../ports/key-provider.js';
export { localKeyProvider } from '../postgres/local-key-provider.js';
export type { LocalKey } from '../postgres/local-key-provider.js';
export { SecretVaultError, isSecretVaultError } from '../ports/secret-vault-error.js';
export type { SecretVaultErrorCode } from '../ports/secret-vault-error.js';
