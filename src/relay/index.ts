/**
 * softtoken-sdk/relay: the outbox relay. Publishes committed events, in global order, to any
 * broker through the {@link Publisher} port, saving its checkpoint only after the broker
 * acknowledged. Store-agnostic: runs on any `EventStore` and `CheckpointStore`.
 *
 * @packageDocumentation
 */
export { runRelay } from './run-relay.js';
export type { RelayOptions, RelayRun } from './run-relay.js';
export type { Publisher, PublishAck, RelayMessage } from './publisher.js';
export { allEvents, filterEvents, firstOf, HEADERS, messageOf, routeByType } from './route.js';
export type { Route, SdkEventType, SubjectOf } from './route.js';
export { companyOf, defaultSubject, streamKindOf, subjectToken } from './subject.js';
export { handleOnce } from './handle-once.js';
export type { Handled } from './handle-once.js';
export { inMemorySeenIds } from './seen-ids.js';
export type { InMemorySeenIds, SeenIds } from './seen-ids.js';
export { observedRelay } from './observed-relay.js';
export type { Instrumentation, LagReport, Observability } from '../ports/instrumentation.js';
export type { Logger, LogFn } from '../ports/logger.js';
