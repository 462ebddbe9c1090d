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
export type { AppendResult, AppendWrite, EventStore, ExpectedVersion, HandledCommand, ReadAllOptions, ReadStreamOptions } from './store/event-store.js';

// ports
export type { Clock, ManualClock } from './ports/clock.js';
export { manualClock, systemClock } from './ports/clock.js';
export type { Random } from './ports/random.js';
export { cryptoRandom, seededRandom } from './ports/random.js';
export type { Directory, DirectoryUser } from './ports/directory.js';
export type { SecretVault } from './ports/secret-vault.js';
export type { ActivationCodeDelivery, ActivationCodeMessage } from './ports/activation-code-delivery.js';
export type { MaybePromise } from './ports/maybe-async.js';

// otp
export type { OtpAlgorithm, OtpEngine, OtpMatch, OtpParameters, OtpResyncRequest, OtpVerificationRequest } from './otp/engine.js';
export { defaultOtpParameters } from './otp/engine.js';
export type { OtpRejection, OtpRejectionTag } from './otp/rejection.js';

// domain
export type { Decider, DomainEvent } from './events/decider.js';

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
export { inMemoryActivationCodeOutbox } from './ports/in-memory-activation-code-outbox.js';
export type { InMemoryActivationCodeOutbox } from './ports/in-memory-activation-code-outbox.js';

// kernel: store, hash-chain verification
export { inMemoryEventStore } from './store/in-memory-event-store.js';
export { checkAppend } from './store/append-validation.js';
export type { CheckedAppend } from './store/append-validation.js';
export { checkExpectedVersion, describeExpectedVersion, expectedVersionMatches } from './store/expected-version.js';
export { MAX_JSON_DEPTH, firstNonJsonPath, frozenJsonCopy, isJsonObject } from './store/json-check.js';
export { canonicalEnvelope } from './events/hash-chain.js';
export { verifyAll, verifyStream } from './events/verify-chain.js';
export type { ChainBreak, ChainBreakReason, ChainReport, VerifyOptions } from './events/verify-chain.js';

// kernel: projections
export type { Checkpoint, CheckpointStore, Ownership, Projection, ProjectionRun, RunProjectionOptions } from './projections/projection.js';
export { inMemoryCheckpointStore } from './projections/in-memory-checkpoint-store.js';

// kernel: event codecs and registry
export { actorCodec, bigIntFromDecimalString, boundedString, nonEmptyString } from './events/codecs.js';
export { defineEvent, eventRegistry } from './events/event-registry.js';
export type { EncodedEvent, EventDefinition, EventOf, EventRegistry, EventSpec, StoredPayload, Upcaster } from './events/event-registry.js';
export { isSecretPath, validationIssues } from './events/field-issues.js';

// kernel: command runtime and snapshots
export { createCommandRuntime } from './commands/command-runtime.js';
export type { CommandRuntime, CommandRuntimeConfig, CommitListener } from './commands/command-runtime.js';
export type { AnyCommandHandler, CommandHandler, Decision, DecisionWrite, DispatchResult, HandlerContext, LoadedStream, LoadOptions } from './commands/command-handler.js';
export type { StreamFold } from './events/stream-fold.js';
export { commandEnvelopeCodec, commandIdCodec } from './events/command-envelope.js';
export type { CommandEnvelope } from './events/command-envelope.js';
export { decodeCommand } from './commands/decode-command.js';
export type { DecodedCommand } from './commands/decode-command.js';
export { fromHostPort } from './commands/host-port.js';
export { backoffDelay, resolveRetryPolicy } from './commands/retry.js';
export type { ResolvedRetryPolicy, RetryPolicy } from './commands/retry.js';
export { streamLoader } from './commands/stream-loader.js';
export type { SnapshotPolicy } from './commands/stream-loader.js';
export { inMemorySnapshotStore } from './store/snapshot-store.js';
export type { Snapshot, SnapshotStore } from './store/snapshot-store.js';
export { runProjection, foldEvents, projectionFailure } from './projections/run-projection.js';
export { inlineProjection } from './projections/inline-projection.js';
export type { InlineProjection } from './projections/inline-projection.js';
export { decodedProjection } from './projections/decoded-projection.js';
export type { DecodedProjectionSpec } from './projections/decoded-projection.js';

// soft-token lifecycle (issue 5): the SDK, the transition table, events, codecs, the OTP rule, views
export { createSdk } from './sdk/create-sdk.js';
export type { Sdk, SdkConfig } from './sdk/create-sdk.js';
export { secretShredder } from './sdk/secret-shredder.js';
export type { SecretShredder } from './sdk/secret-shredder.js';
export { inMemoryDirectory } from './ports/in-memory-directory.js';
export type { InMemoryDirectory, InMemoryDirectoryUser } from './ports/in-memory-directory.js';
export { tokenCommandTypes, tokenSideTransitions, tokenTransitionTable, tokenTransitions } from './domain/token/transitions.js';
export type { ActorRole, ActorRule, PolicyCondition, SideTransition, TokenCommandType, TokenTransition } from './domain/token/transitions.js';
export { isLive, liveStatuses, tokenStatuses } from './domain/token/status.js';
export type { TokenKind, TokenStatus, TokenStatusOrNone } from './domain/token/status.js';
export { decodeTokenEvent, EnrollmentMethodCodec, tokenEventCodecs, tokenStreamId } from './domain/token/events.js';
export type { EnrollmentMethod, TokenEvent, TokenEventCodecs, TokenEventData, TokenEventType } from './domain/token/events.js';
export { evolveToken, initialTokenState, isLockedAt, tokenExists } from './domain/token/state.js';
export type { PendingActivationCode, Token, TokenState } from './domain/token/state.js';
export { tokenFold } from './domain/token/fold.js';
export { tokenEventDefinitions } from './domain/token/definitions.js';
export { DEFAULT_SERIAL_PREFIX, isValidSerial, serialCheckCharacter } from './domain/token/serial.js';
export { OtpParametersCodec } from './domain/token/codecs.js';
export { companyEventCodecs, companyStreamId, decodeCompanyEvent } from './domain/company/events.js';
export type { CompanyEvent, CompanyEventCodecs, CompanyEventType } from './domain/company/events.js';
export { availableSlots, evolveCompany, initialCompanyState } from './domain/company/state.js';
export type { CompanyState, UserTokens } from './domain/company/state.js';
export { companyFold } from './domain/company/fold.js';
export { CompanyPolicyCodec, CompanyPolicyPatchCodec, defaultCompanyPolicy, MAX_QUOTA } from './domain/company/policy.js';
export type { CompanyPolicy, CompanyPolicyPatch } from './domain/company/policy.js';
export { guessingRisk, MAX_GUESSING_SUCCESS_PER_DAY } from './domain/company/guessing-risk.js';
export type { GuessablePolicy, GuessingRisk } from './domain/company/guessing-risk.js';
export { TIMED_UNLOCKS_PER_DAY } from './domain/token/timed-unlock.js';
export { chooseFactor, judgeOtp, judgeResync, requireOtp } from './domain/otp-rule/index.js';
export type { OtpJudgement, OtpRequirement, OtpRulePolicy } from './domain/otp-rule/index.js';
export { checkOtp, mergeWrites, refusal, withOtpRecord } from './commands/confirmation.js';
export type { OtpCheck, OtpConfirmationRequest } from './commands/confirmation.js';
export * from './commands/token/index.js';
export { tokenTableProjection } from './projections/token-table/projection.js';
export { tokenTablePage } from './projections/token-table/view.js';
export type { TokenTablePage, TokenTableQuery, TokenTableViewRow } from './projections/token-table/view.js';
export type { CompanyTokenTable, TokenTableRow, TokenTableState } from './projections/token-table/state.js';
export { auditProjection } from './projections/audit/projection.js';
export { auditPage } from './projections/audit/view.js';
export type { AuditPage, AuditQuery } from './projections/audit/view.js';
export { tokenAuditActions } from './projections/audit/state.js';
export type { AuditEntry, AuditFactor, AuditNode, AuditState } from './projections/audit/state.js';
export { ACTIVATION_PROTOCOL_VERSION } from './activation/protocol.js';

// money (exact decimal amounts in ISO 4217 currencies)
export * from './money/index.js';

// orders with up to 4 approval levels: service agreements, orders, the orders read model
export * from './domain/agreement/index.js';
export * from './domain/order/index.js';
export * from './commands/agreement/index.js';
export * from './commands/order/index.js';
export * from './projections/orders/index.js';
