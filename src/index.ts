/**
 * softtoken-sdk: soft-token lifecycles and multi-level payment approvals as event streams,
 * every sensitive step confirmed by a one-time password.
 *
 * This entry point holds what a host needs: the SDK and its configuration, the typed commands and
 * their outputs, the events' types, the errors, the ports with their in-memory defaults, the OTP
 * functions and the views' types. The machinery behind them (decoders, deciders, folds, the
 * runtime, the store's checks) is not part of the public API.
 *
 * @packageDocumentation
 */

// the SDK
export { createSdk } from './sdk/create-sdk.js';
// observability: the ports (softtoken-sdk/otel builds the OpenTelemetry instrumentation)
export type { Instrumentation, LagReport, Observability } from './ports/instrumentation.js';
export type { Logger, LogFn } from './ports/logger.js';
export type { Sdk, SdkConfig } from './sdk/create-sdk.js';
export type { RetryPolicy } from './commands/retry.js';
export type { SnapshotPolicy } from './commands/stream-loader.js';
export { inMemorySnapshotStore } from './store/snapshot-store.js';
export type { Snapshot, SnapshotStore } from './store/snapshot-store.js';

// typed commands and their outputs (one registry: src/sdk/command-registry.ts)
export type { Command, CommandFields, CommandOf, CommandRegistry, CommandType, OutputOf } from './sdk/command-registry.js';
export type { DispatchResult } from './commands/command-handler.js';
export type { ActivateTokenOutput } from './commands/token/activate-token.js';
export type { ConfigureCompanyOutput } from './commands/company/configure-company.js';
export type { ClearSecurityQuestionLockOutput } from './commands/token/clear-security-question-lock.js';
export type { ActivationCodeOutput, ActivationOutput } from './commands/token/context.js';
export type { DeleteTokenOutput } from './commands/token/delete-token.js';
export type { EnrollDeviceOutput } from './commands/token/enroll-device.js';
export type { EnrollDeviceV2Output } from './commands/token/enroll-device-v2.js';
export type { RequestConfirmationOutput } from './commands/token/request-confirmation.js';
export type { RejectConfirmationOutput } from './commands/token/reject-confirmation.js';
export type { AppConfirmationField } from './sdk/command-registry.js';
export type { ImportPhysicalTokenOutput } from './commands/token/import-physical-token.js';
export type { ImportPhysicalTokensOutput } from './commands/token/import-physical-tokens.js';
export type { AssignPhysicalTokenOutput } from './commands/token/assign-physical-token.js';
export type { RequestTokenAssignmentOutput } from './commands/token/request-token-assignment.js';
export type { ResyncTokenOutput } from './commands/token/resync-token.js';
export type { UnlockTokenOutput } from './commands/token/unlock-token.js';
export type { VerifyOtpOutput } from './commands/token/verify-otp.js';
export type { SuspendTokenOutput } from './commands/token/suspend-token.js';
export type { ResumeTokenOutput } from './commands/token/resume-token.js';
export type { ReportTokenLostOutput, TemporaryAccessOutput } from './commands/token/report-token-lost.js';
export type { ReactivateTokenOutput } from './commands/token/reactivate-token.js';
export type { AgreementOutput } from './commands/agreement/agreement-handler.js';
export type { OrderMove, OrdersOutput, UploadOrderOutput } from './commands/order/outputs.js';
export { MAX_ORDERS_PER_BATCH, MAX_TRANSACTIONS } from './domain/order/commands.js';

// orders that carry their payments, payment files, and dynamic linking (issue 16)
export type { Payment } from './domain/order/payments.js';
export { isValidIban, MAX_ACCOUNT, MAX_BANK, MAX_PAYEE_NAME, MAX_PAYMENT_REFERENCE, MAX_PAYMENTS_PER_ORDER } from './domain/order/payments.js';
export type { Pain001File, Pain001Upload, Pain001Version } from './domain/order/pain001.js';
export { MAX_PAIN001_BYTES, MAX_PAIN001_DEPTH, MAX_PAIN001_TEXT, PAIN001_NAMESPACES, parsePain001, uploadOrderFromPain001 } from './domain/order/pain001.js';
export type { ApprovalBatch, ApprovalDigest, ApprovalOrder, PaymentLine } from './domain/order/approval-digest.js';
export { APPROVAL_DIGEST_VERSION, approvalDigest } from './domain/order/approval-digest.js';
export { DYNAMIC_LINKING_SUITE, ocraChallengeOf } from './domain/order/approval-challenge.js';
export type { ApprovalSummary } from './domain/order/approval-summary.js';
export { LARGEST_PAYMENTS_SHOWN } from './domain/order/approval-summary.js';
export type { ApprovalFactor, ApprovalFactorPolicy } from './domain/agreement/approval-factor.js';
export { dynamicLinkingKey } from './otp/dynamic-linking-key.js';
export type { CompanyPolicy, CompanyPolicyPatch, ConfirmationFactor, ConfirmationFactors } from './domain/company/policy.js';
export { defaultCompanyPolicy, MAX_QUOTA } from './domain/company/policy.js';
export { guessingRisk, MAX_GUESSING_SUCCESS_PER_DAY } from './domain/company/guessing-risk.js';
export type { GuessablePolicy, GuessingRisk } from './domain/company/guessing-risk.js';
export { TIMED_UNLOCKS_PER_DAY } from './domain/token/timed-unlock.js';
export type { ApprovalLevel } from './domain/agreement/ids.js';
export { MAX_APPROVAL_LEVELS } from './domain/agreement/ids.js';

// extending the SDK: more command handlers, event definitions and listeners (SdkConfig)
export type { AnyCommandHandler, CommandHandler, Decision, DecisionWrite, HandlerContext, LoadedStream, LoadOptions } from './commands/command-handler.js';
export type { StreamFold } from './events/stream-fold.js';
export type { CommitListener } from './commands/command-runtime.js';
export { commandEnvelopeCodec } from './events/command-envelope.js';
export type { CommandEnvelope } from './events/command-envelope.js';
export type { Decider, DomainEvent } from './events/decider.js';
export { defineEvent } from './events/event-registry.js';
export type { EncodedEvent, EventDefinition, EventOf, EventSpec, StoredPayload, Upcaster } from './events/event-registry.js';

// errors
export type { FieldIssue, OtpRejectionReason, SdkError, SdkErrorCode, SdkErrorTag } from './errors/sdk-error.js';
export {
  activationCodeExpired,
  concurrencyConflict,
  duplicateCommand,
  forbidden,
  idempotencyKeyReused,
  infrastructure,
  invalidCommand,
  invalidTransition,
  notFound,
  otpRejected,
  otpRequired,
  preconditionFailed,
  quotaExhausted,
  registrationCodeInvalid,
  tokenLocked,
} from './errors/sdk-error.js';

// events: the envelope, the streams, the hash chain
export type { Actor, EventMetadata, JsonObject, JsonPrimitive, JsonValue, NewEvent, StoredEvent } from './events/envelope.js';
export { GENESIS_HASH } from './events/envelope.js';
export type { ChainBreak, ChainBreakReason, ChainReport } from './store/verify-chain.js';
export type { LogAnchor } from './store/log-anchor.js';
export { tokenStreamId } from './domain/token/events.js';
export type { EnrollmentMethod, TokenEvent, TokenEventData, TokenEventType } from './domain/token/events.js';
export { companyStreamId } from './domain/company/events.js';
export type { CompanyEvent, CompanyEventType } from './domain/company/events.js';
export { agreementStreamId } from './domain/agreement/ids.js';
export type { AgreementEvent, AgreementEventOf, AgreementEventType } from './domain/agreement/events.js';
export { orderStreamId } from './domain/order/streams.js';
export type { OrderEvent, OrderEventOf, OrderEventType } from './domain/order/events.js';

// the event store and projections over it (for hosts' own read models)
export type { AppendResult, AppendWrite, EventStore, ExpectedVersion, HandledCommand, ReadAllOptions, ReadStreamOptions, StreamHead } from './store/event-store.js';
export { inMemoryEventStore } from './store/in-memory-event-store.js';
export type { Checkpoint, CheckpointStore, Ownership, Projection, ProjectionRun, RunProjectionOptions } from './projections/projection.js';
export { runProjection } from './projections/run-projection.js';
export { observedProjectionRunner } from './projections/observed-run.js';
export { inMemoryCheckpointStore } from './projections/in-memory-checkpoint-store.js';

// ports and their defaults
export type { Clock } from './ports/clock.js';
export { systemClock } from './ports/clock.js';
export type { Random } from './ports/random.js';
export { cryptoRandom } from './ports/random.js';
export type { Directory, DirectoryUser } from './ports/directory.js';
export { inMemoryDirectory } from './ports/in-memory-directory.js';
export type { InMemoryDirectory, InMemoryDirectoryUser } from './ports/in-memory-directory.js';
export type { SecretVault } from './ports/secret-vault.js';
export { inMemorySecretVault } from './ports/in-memory-secret-vault.js';
export type { ActivationCodeDelivery, ActivationCodeMessage, RecoveryCodesMessage } from './ports/activation-code-delivery.js';
export type { ConfirmationDelivery, ConfirmationMessage } from './ports/confirmation-delivery.js';
export { inMemoryActivationCodeOutbox } from './ports/in-memory-activation-code-outbox.js';
export type { InMemoryActivationCodeOutbox } from './ports/in-memory-activation-code-outbox.js';
export type { MaybePromise } from './ports/maybe-async.js';
export type { OcraVerificationRequest, OtpAlgorithm, OtpEngine, OtpMatch, OtpParameters, OtpResyncRequest, OtpVerificationRequest } from './otp/engine.js';
export { defaultOtpParameters } from './otp/engine.js';
export type { OtpRejection, OtpRejectionTag } from './otp/rejection.js';
export { builtInOtpEngine } from './otp/built-in-engine.js';
export type { BuiltInOtpEngineOptions } from './otp/built-in-engine.js';

// OTP functions (RFC 4226 / RFC 6238, Base32, otpauth:// URIs)
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
export { ocra, parseOcraSuite, verifyOcra } from './otp/ocra.js';
export type { OcraInputs, OcraMatch, OcraSuite, VerifyOcraOptions } from './otp/ocra.js';
export type { GenerateSecretOptions } from './otp/secret.js';
export { ACTIVATION_PROTOCOL_VERSION } from './activation/protocol.js';

// QR codes (issue 17): the activation payload the phone app scans; a Key URI for plain TOTP enrolment
export { ACTIVATION_PAYLOAD_VERSION, formatActivationPayload } from './activation/payload.js';
export type { ActivationPayload, PayloadOtpParameters } from './activation/payload.js';
export type { ActivationProtocolError, ActivationProtocolField } from './activation/errors.js';
export { activationQr } from './activation/payload-qr.js';
export { keyUriQr } from './otp/key-uri-qr.js';
export type { QrRenderError, RenderedQr } from './qr/render.js';

// views' types
export type { TokenKind, TokenStatus, TokenStatusOrNone } from './domain/token/status.js';
export type { TokenTablePage, TokenTableQuery, TokenTableViewRow } from './projections/token-table/view.js';
export type { AuditPage, AuditQuery } from './projections/audit/view.js';
export type { AuditEntry, AuditFactor } from './projections/audit/state.js';
export type { OrderStatus } from './domain/order/status.js';
export type { Approval } from './domain/order/state.js';
export type { OrderClosure, OrderRow } from './projections/orders/read-model.js';
export type { AgreementSummary, ApproveViewQuery, OrderPage, OrderSearch, OrderViewRow, ViewQuery } from './projections/orders/views.js';
export { DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE } from './projections/orders/views.js';

// money (exact decimal amounts in ISO 4217 currencies)
export type { CurrencyCode } from './money/currencies.js';
export { currencyCodes, isCurrencyCode, minorUnitDigits } from './money/currencies.js';
export type { Money } from './money/money.js';
export { formatMoney, MAX_INTEGER_DIGITS, parseMoney, sumByCurrency } from './money/money.js';

// lists hosts show in their screens' filters
export { orderStatuses } from './domain/order/status.js';
export { tokenStatuses } from './domain/token/status.js';
