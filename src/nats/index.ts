/**
 * softtoken-sdk/nats: the relay's publisher on NATS JetStream and a consumer helper with an
 * idempotency guard. Needs the optional peer dependencies `@nats-io/jetstream` and
 * `@nats-io/nats-core` (a host connects with `@nats-io/transport-node`).
 *
 * @packageDocumentation
 */
export { natsJetStreamPublisher } from './jetstream-publisher.js';
export type { NatsJetStreamPublisherOptions } from './jetstream-publisher.js';
export { consumeEvents } from './consume-events.js';
export type { ConsumeEventsOptions, ConsumeSummary, EventConsumer } from './consume-events.js';
