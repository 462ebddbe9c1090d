/**
 * Every `SdkError`, with when it happens and the HTTP status the example service answers with.
 * The mapped type makes this catalogue complete: a new error in the union, or a changed code,
 * fails to compile here, and the README's error table is generated from it.
 */
import type { SdkError, SdkErrorTag } from '../../src/index.js';

/** One error of the union: its stable code, when it happens, and its HTTP status here. */
export interface ErrorCatalogEntry<Code extends string = string> {
  readonly code: Code;
  readonly when: string;
  readonly status: number;
}

/** The catalogue, one entry per `_tag`, in the order of the union. */
export const errorCatalog: { readonly [Tag in SdkErrorTag]: ErrorCatalogEntry<Extract<SdkError, { _tag: Tag }>['code']> } = {
  InvalidCommand: {
    code: 'INVALID_COMMAND',
    when: 'the command (or a view query) does not decode; `issues` lists each bad field with its path and what was expected, never the value sent',
    status: 400,
  },
  NotFound: { code: 'NOT_FOUND', when: 'the company, user, token, agreement or order named does not exist (`entity`, `id`)', status: 404 },
  Forbidden: {
    code: 'FORBIDDEN',
    when: 'the actor may not do this: not an admin, not the owner, no approval grant, maker-checker, a wrong security answer',
    status: 403,
  },
  InvalidTransition: { code: 'INVALID_TRANSITION', when: 'the command is not allowed in the current state (`from`, `command`)', status: 409 },
  QuotaExhausted: { code: 'QUOTA_EXHAUSTED', when: 'the company has no free soft-token slot', status: 409 },
  PreconditionFailed: {
    code: 'PRECONDITION_FAILED',
    when: 'a business precondition does not hold: user inactive, no email, no mobile, already holds a token, not enrolled (`precondition`)',
    status: 422,
  },
  OtpRequired: { code: 'OTP_REQUIRED', when: 'the actor is enrolled and the command is sensitive: send `otp`; nothing is counted', status: 401 },
  OtpRejected: {
    code: 'OTP_REJECTED',
    when: 'the code was refused (`reason`: `mismatch`, `replay`, `malformed`); recorded and counted toward the lock',
    status: 401,
  },
  TokenLocked: { code: 'TOKEN_LOCKED', when: 'the token is locked after `maxFailures` failures; an admin or the bank unlocks it', status: 423 },
  ActivationCodeExpired: {
    code: 'ACTIVATION_CODE_EXPIRED',
    when: 'the activation code is past its expiry or void after too many wrong registration codes: reissue it',
    status: 410,
  },
  RegistrationCodeInvalid: {
    code: 'REGISTRATION_CODE_INVALID',
    when: 'the registration code does not prove the activation code (wrong ones count toward `registrationAttempts`)',
    status: 422,
  },
  ConcurrencyConflict: {
    code: 'CONCURRENCY_CONFLICT',
    when: 'other commands kept changing the same streams through every retry; nothing was written, send the command again',
    status: 409,
  },
  DuplicateCommand: { code: 'DUPLICATE_COMMAND', when: 'the `commandId` was already used by another actor (the same actor gets the first outcome back)', status: 409 },
  IdempotencyKeyReused: {
    code: 'IDEMPOTENCY_KEY_REUSED',
    when: 'the `commandId` was first used for a different command (another type or other fields); nothing was done, send a new `commandId`',
    status: 422,
  },
  Infrastructure: {
    code: 'INFRASTRUCTURE',
    when: 'a port or the store failed; the message names the port (or the database operation, its SQLSTATE and constraint) and the class of what was thrown, never the host\'s or the driver\'s text, so it is safe to log; retry with the same `commandId`',
    status: 503,
  },
};
