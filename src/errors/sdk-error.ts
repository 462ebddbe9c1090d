import { SdkInternalFailure } from './internal-failure.js';

/** One invalid field of a command: a dotted path (`approvals.0.level`) and what is wrong with it. */
export interface FieldIssue {
  readonly path: string;
  readonly message: string;
}

/** Why a command's OTP was refused, as reported to the caller. */
export type OtpRejectionReason = 'mismatch' | 'replay' | 'malformed';

/**
 * Every failure the SDK reports, as data. Nothing in the public API throws: functions return
 * `Either` / `TaskEither` carrying one of these. `code` is stable and safe to switch on or log;
 * `message` is for humans and never contains a secret (seeds, activation codes, OTPs, answers).
 */
export type SdkError =
  | { readonly _tag: 'InvalidCommand'; readonly code: 'INVALID_COMMAND'; readonly message: string; readonly issues: readonly FieldIssue[] }
  | { readonly _tag: 'NotFound'; readonly code: 'NOT_FOUND'; readonly message: string; readonly entity: string; readonly id: string }
  | { readonly _tag: 'Forbidden'; readonly code: 'FORBIDDEN'; readonly message: string }
  | { readonly _tag: 'InvalidTransition'; readonly code: 'INVALID_TRANSITION'; readonly message: string; readonly from: string; readonly command: string }
  | { readonly _tag: 'QuotaExhausted'; readonly code: 'QUOTA_EXHAUSTED'; readonly message: string; readonly companyId: string }
  | { readonly _tag: 'PreconditionFailed'; readonly code: 'PRECONDITION_FAILED'; readonly message: string; readonly precondition: string }
  | { readonly _tag: 'OtpRequired'; readonly code: 'OTP_REQUIRED'; readonly message: string }
  | { readonly _tag: 'OtpRejected'; readonly code: 'OTP_REJECTED'; readonly message: string; readonly reason: OtpRejectionReason }
  | { readonly _tag: 'TokenLocked'; readonly code: 'TOKEN_LOCKED'; readonly message: string; readonly serial: string }
  | { readonly _tag: 'ActivationCodeExpired'; readonly code: 'ACTIVATION_CODE_EXPIRED'; readonly message: string; readonly serial: string }
  | { readonly _tag: 'RegistrationCodeInvalid'; readonly code: 'REGISTRATION_CODE_INVALID'; readonly message: string; readonly serial: string }
  | { readonly _tag: 'ConcurrencyConflict'; readonly code: 'CONCURRENCY_CONFLICT'; readonly message: string; readonly streamId: string; readonly expected: string; readonly actual: number }
  | { readonly _tag: 'DuplicateCommand'; readonly code: 'DUPLICATE_COMMAND'; readonly message: string; readonly commandId: string }
  | { readonly _tag: 'IdempotencyKeyReused'; readonly code: 'IDEMPOTENCY_KEY_REUSED'; readonly message: string; readonly commandId: string }
  | { readonly _tag: 'Infrastructure'; readonly code: 'INFRASTRUCTURE'; readonly message: string };

/** The discriminant of {@link SdkError}. */
export type SdkErrorTag = SdkError['_tag'];
/** The stable, upper-case codes of {@link SdkError}. */
export type SdkErrorCode = SdkError['code'];

// ---------------------------------------------------------------------------------------------
// constructors
// ---------------------------------------------------------------------------------------------

/** The command failed validation; `issues` name every bad field (never its value). */
export const invalidCommand = (issues: readonly FieldIssue[]): SdkError => ({
  _tag: 'InvalidCommand',
  code: 'INVALID_COMMAND',
  message: `invalid command: ${issues.map((issue) => `${issue.path === '' ? '(root)' : issue.path}: ${issue.message}`).join('; ')}`,
  issues,
});

/** The entity a command refers to does not exist. */
export const notFound = (entity: string, id: string): SdkError => ({
  _tag: 'NotFound',
  code: 'NOT_FOUND',
  message: `${entity} ${id} not found`,
  entity,
  id,
});

/** The actor may not do this. */
export const forbidden = (message: string): SdkError => ({ _tag: 'Forbidden', code: 'FORBIDDEN', message });

/** The command is not allowed in the entity's current state. */
export const invalidTransition = (from: string, command: string): SdkError => ({
  _tag: 'InvalidTransition',
  code: 'INVALID_TRANSITION',
  message: `${command} is not allowed in state ${from}`,
  from,
  command,
});

/** The company has no free soft-token slot. */
export const quotaExhausted = (companyId: string): SdkError => ({
  _tag: 'QuotaExhausted',
  code: 'QUOTA_EXHAUSTED',
  message: `company ${companyId} has no free soft-token slot`,
  companyId,
});

/** A business precondition does not hold (user inactive, no email, no mobile…). */
export const preconditionFailed = (precondition: string, message: string): SdkError => ({
  _tag: 'PreconditionFailed',
  code: 'PRECONDITION_FAILED',
  message,
  precondition,
});

/** The actor is enrolled and the command is sensitive, but no code was given. */
export const otpRequired = (): SdkError => ({
  _tag: 'OtpRequired',
  code: 'OTP_REQUIRED',
  message: 'this operation must be confirmed with a code from your soft token',
});

/** The code given was refused. */
export const otpRejected = (reason: OtpRejectionReason): SdkError => ({
  _tag: 'OtpRejected',
  code: 'OTP_REJECTED',
  message:
    reason === 'replay'
      ? 'this code was already used; wait for the next one'
      : reason === 'malformed'
        ? 'the code is not a well-formed one-time password'
        : 'the code does not match',
  reason,
});

/** The token is locked after too many failures; only an unlock reopens it. */
export const tokenLocked = (serial: string): SdkError => ({
  _tag: 'TokenLocked',
  code: 'TOKEN_LOCKED',
  message: `token ${serial} is locked`,
  serial,
});

/** The activation code is past its expiry (or void after too many attempts). */
export const activationCodeExpired = (serial: string): SdkError => ({
  _tag: 'ActivationCodeExpired',
  code: 'ACTIVATION_CODE_EXPIRED',
  message: `the activation code of token ${serial} has expired`,
  serial,
});

/** The registration code does not prove knowledge of the activation code. */
export const registrationCodeInvalid = (serial: string): SdkError => ({
  _tag: 'RegistrationCodeInvalid',
  code: 'REGISTRATION_CODE_INVALID',
  message: `the registration code for token ${serial} is not valid`,
  serial,
});

/** A stream was not at the expected version (after the runtime's retries, when from dispatch). */
export const concurrencyConflict = (streamId: string, expected: string, actual: number): SdkError => ({
  _tag: 'ConcurrencyConflict',
  code: 'CONCURRENCY_CONFLICT',
  message: `stream ${streamId} is at version ${actual}, expected ${expected}`,
  streamId,
  expected,
  actual,
});

/** A store already holds events of this commandId. */
export const duplicateCommand = (commandId: string): SdkError => ({
  _tag: 'DuplicateCommand',
  code: 'DUPLICATE_COMMAND',
  message: `command ${commandId} was already applied`,
  commandId,
});

/** The commandId was first used for another command (another type or other fields): nothing was done. */
export const idempotencyKeyReused = (commandId: string): SdkError => ({
  _tag: 'IdempotencyKeyReused',
  code: 'IDEMPOTENCY_KEY_REUSED',
  message: `command ${commandId} was first used for a different command; send a new commandId`,
  commandId,
});

/** A port or the store failed; the message is safe to show and log. */
export const infrastructure = (message: string): SdkError => ({ _tag: 'Infrastructure', code: 'INFRASTRUCTURE', message });

const MAX_CLASS_NAME = 64;

/** The class of a thrown value: its constructor's name if it is a plain identifier, bounded; never its text. */
export const thrownClass = (cause: unknown): string => {
  if (cause === null) return 'null';
  if (typeof cause !== 'object' && typeof cause !== 'function') return typeof cause;
  let name: unknown;
  try {
    // Read from the prototype chain's constructor, not `cause.name`, which is instance data a
    // driver may fill with anything. A getter that throws reads as an unnamed class.
    name = (Object.getPrototypeOf(cause) as { readonly constructor?: { readonly name?: unknown } } | null)?.constructor?.name;
  } catch {
    name = undefined;
  }
  return typeof name === 'string' && /^[A-Za-z_$][\w$]*$/.test(name) ? name.slice(0, MAX_CLASS_NAME) : 'an unnamed class';
};

/**
 * What may be said about a thrown value: the class that was thrown, never its message, stack or
 * fields (a host's vault or directory may quote its input: an activation code, a security answer;
 * a driver may quote a query's parameters). Only failures the SDK raised itself keep their text.
 */
export const describeThrown = (cause: unknown): string =>
  cause instanceof SdkInternalFailure ? cause.message : `${thrownClass(cause)} thrown`;

/**
 * Wraps anything a host port (or a host's callback) threw or rejected with: names the port and
 * the class of what was thrown, never the host's text. The original is not kept, not even as a
 * hidden `cause`: a host that logs error objects whole would print it. A host that wants its own
 * driver's message logs it inside its port adapter, where it can redact it.
 */
export const infrastructureFrom = (context: string) => (cause: unknown): SdkError =>
  infrastructure(`${context} failed: ${describeThrown(cause)}`);
