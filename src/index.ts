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

// otp engine (issue 3)
export { hotp, verifyHotp } from './otp/hotp.js';
export type { HotpMatch, OtpCodeOptions, VerifyHotpOptions } from './otp/hotp.js';
export { totp, verifyTotp } from './otp/totp.js';
export type { TotpMatch, TotpOptions, VerifyTotpOptions } from './otp/totp.js';
export { resyncHotp, resyncTotp } from './otp/resync.js';
export type { ResyncHotpOptions, ResyncTotpOptions } from './otp/resync.js';
export { decodeBase32, encodeBase32 } from './otp/base32.js';
export type { Base32Error } from './otp/base32.js';
export { formatKeyUri, MAX_KEY_URI_LENGTH, parseKeyUri } from './otp/key-uri.js';
export type { HotpKeyUri, KeyUri, KeyUriBase, KeyUriError, KeyUriInput, TotpKeyUri } from './otp/key-uri.js';
export { generateSecret } from './otp/secret.js';
export type { GenerateSecretOptions } from './otp/secret.js';
export { builtInOtpEngine } from './otp/built-in-engine.js';
export type { BuiltInOtpEngineOptions } from './otp/built-in-engine.js';
export { inMemorySecretVault } from './ports/in-memory-secret-vault.js';

// money (exact decimal amounts in ISO 4217 currencies)
export * from './money/index.js';

// orders with up to 4 approval levels: service agreements, orders, the orders read model
export * from './domain/agreement/index.js';
export * from './domain/order/index.js';
export * from './projections/orders/index.js';
