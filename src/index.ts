/**
 * softtoken-sdk: soft-token lifecycles and multi-level payment approvals as event streams,
 * every sensitive step confirmed by a one-time password.
 *
 * @packageDocumentation
 */

// errors
export * from './errors/index.js';

// events
export type { Actor, EventMetadata, JsonObject, JsonPrimitive, JsonValue, NewEvent, StoredEvent } from './events/envelope.js';
export { GENESIS_HASH } from './events/envelope.js';
export { canonicalJson } from './events/canonical-json.js';
export { hashEvent, sealEvent } from './events/hash-chain.js';
export type { HashedFields } from './events/hash-chain.js';

// store
export type { AppendResult, AppendWrite, EventStore, ExpectedVersion, ReadAllOptions, ReadStreamOptions } from './store/event-store.js';

// ports
export type { Clock, ManualClock } from './ports/clock.js';
export { manualClock, systemClock } from './ports/clock.js';
export type { Random } from './ports/random.js';
export { cryptoRandom, seededRandom } from './ports/random.js';
export type { Directory, DirectoryUser } from './ports/directory.js';
export type { SecretVault } from './ports/secret-vault.js';
export type { MaybePromise } from './ports/maybe-async.js';

// otp
export type { OtpAlgorithm, OtpEngine, OtpMatch, OtpParameters, OtpResyncRequest, OtpVerificationRequest } from './otp/engine.js';
export { defaultOtpParameters } from './otp/engine.js';
export type { OtpRejection, OtpRejectionTag } from './otp/rejection.js';

// domain
export type { Decider, DomainEvent } from './domain/decider.js';

// money (exact decimal amounts in ISO 4217 currencies)
export * from './money/index.js';

// orders with up to 4 approval levels: service agreements, orders, the orders read model
export * from './domain/agreement/index.js';
export * from './domain/order/index.js';
export * from './projections/orders/index.js';
