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
