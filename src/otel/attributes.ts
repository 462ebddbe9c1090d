import type { Attributes } from '@opentelemetry/api';
import type { Either } from 'fp-ts/lib/Either.js';
import type { SdkError } from '../errors/sdk-error.js';

/**
 * Every attribute key the SDK sets on a span or a metric point: nothing else is ever set, and the
 * values are command types, error tags and codes, counts, OTP rejection tags and lock reasons
 * (never a command's field, a secret or a code).
 */
export const ATTRIBUTES = {
  commandType: 'softtoken.command.type',
  outcome: 'softtoken.outcome',
  errorCode: 'softtoken.error.code',
  retries: 'softtoken.retries',
  replayed: 'softtoken.replayed',
  events: 'softtoken.events',
  otpOutcome: 'softtoken.otp.outcome',
  lockReason: 'softtoken.lock.reason',
  projection: 'softtoken.projection.name',
  relay: 'softtoken.relay.name',
} as const;

/** `ok`, or the error's tag. */
export const outcomeOf = (result: Either<SdkError, unknown>): string => (result._tag === 'Right' ? 'ok' : result.left._tag);

/** The outcome attributes of a result: the outcome, and the error code of a failure. */
export const outcomeAttributes = (commandType: string, result: Either<SdkError, unknown>): Attributes =>
  result._tag === 'Right'
    ? { [ATTRIBUTES.commandType]: commandType, [ATTRIBUTES.outcome]: 'ok' }
    : { [ATTRIBUTES.commandType]: commandType, [ATTRIBUTES.outcome]: result.left._tag, [ATTRIBUTES.errorCode]: result.left.code };
