/**
 * softtoken-sdk/postgres: the PostgreSQL event store, on node-postgres.
 *
 * @packageDocumentation
 */
export type { EventStore } from '../store/event-store.js';
