import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { infrastructure, otpRejected, otpRequired, tokenLocked, type SdkError } from '../../errors/sdk-error.js';
import type { OtpMatch, OtpParameters, OtpVerificationRequest } from '../../otp/engine.js';
import { timeStep } from '../../otp/internal/options.js';
import { mismatch, type OtpRejection } from '../../otp/rejection.js';
import { tokenEvent, type TokenEvent } from '../token/events.js';
import { matchRecoveryCode } from '../token/recovery-codes.js';
import { isLockedAt, type Token } from '../token/state.js';
import { unlocksAtOf } from '../token/timed-unlock.js';

/** The policy settings the OTP rule needs from the actor's company. */
export interface OtpRulePolicy {
  readonly maxFailures: number;
  readonly timedUnlockSeconds: number | null;
}

/** What the rule asks of the shell: nothing (not enrolled), or a verification by the OtpEngine. */
export type OtpRequirement =
  | { readonly _tag: 'NotEnrolled' }
  | { readonly _tag: 'Verify'; readonly token: Token; readonly request: OtpVerificationRequest };

/**
 * The verdict turned into events for the factor's stream. `Accepted` events go into the same
 * atomic append as the command's own events; `Rejected` events are committed although the command
 * fails with `error`.
 */
export type OtpJudgement =
  | { readonly _tag: 'Accepted'; readonly serial: string; readonly events: readonly TokenEvent[]; readonly match: OtpMatch }
  | { readonly _tag: 'Rejected'; readonly serial: string; readonly events: readonly TokenEvent[]; readonly error: SdkError };

/** A code the actor did not give: absent, null or blank. */
export const isMissingCode = (code: unknown): boolean => code === undefined || code === null || (typeof code === 'string' && code.trim() === '');

/**
 * Step 1 of the rule: an actor without a factor needs no code; a locked factor refuses its owner;
 * an enrolled actor without a code gets `OtpRequired`; otherwise the engine must verify the code.
 */
export const requireOtp = (factor: Token | undefined, code: unknown, nowMs: number): E.Either<SdkError, OtpRequirement> => {
  if (factor === undefined) return E.right({ _tag: 'NotEnrolled' });
  if (isLockedAt(factor, nowMs)) return E.left(tokenLocked(factor.serial));
  if (isMissingCode(code)) return E.left(otpRequired());
  if (factor.seedRef === undefined) return E.left(infrastructure(`token ${factor.serial} has no seed reference`));
  return E.right({
    _tag: 'Verify',
    token: factor,
    request: {
      serial: factor.serial,
      seedRef: factor.seedRef,
      parameters: factor.parameters,
      code,
      timeMs: nowMs,
      ...(factor.lastAccepted === undefined ? {} : { lastAccepted: factor.lastAccepted }),
      // The window follows a drifting TOTP clock; an HOTP drift is not a clock offset.
      ...(factor.drift === undefined || factor.parameters.mode !== 'totp' ? {} : { drift: factor.drift }),
    },
  });
};

/** A lock whose timer has run out is lifted, on the record, by the next use of the token. */
export const timerUnlock = (token: Token, nowMs: number): readonly TokenEvent[] =>
  token.locked && !isLockedAt(token, nowMs) ? [tokenEvent('TokenUnlocked', { by: 'timer' })] : [];

/** Consecutive failures before this one: none once a timed lock has run out. */
export const failuresBefore = (token: Token, nowMs: number): number => (timerUnlock(token, nowMs).length > 0 ? 0 : token.failures);

const countedRejection = (rejection: OtpRejection): rejection is Extract<OtpRejection, { _tag: 'mismatch' | 'replay' | 'malformed' }> =>
  rejection._tag === 'mismatch' || rejection._tag === 'replay' || rejection._tag === 'malformed';

/**
 * Step 2 of the rule: the engine's verdict as events on the factor's stream. A mismatch, a replay
 * and a malformed code all count as failures, and the failure that reaches `maxFailures` locks the
 * token. A verifier that could not answer (`unavailable`, a weak seed, bad options) is an
 * infrastructure error: nothing is recorded and the user is not penalised.
 */
export const judgeOtp = (
  token: Token,
  verdict: E.Either<OtpRejection, OtpMatch>,
  context: { readonly command: string; readonly nowMs: number; readonly policy: OtpRulePolicy },
  accepted: (match: OtpMatch) => TokenEvent = (match) =>
    tokenEvent('OtpAccepted', { step: match.step.toString(), drift: match.drift, command: context.command }),
): E.Either<SdkError, OtpJudgement> => {
  const unlock = timerUnlock(token, context.nowMs);
  return pipe(
    verdict,
    E.match(
      (rejection) => judgeRejection(token, rejection, context),
      (match) => E.right({ _tag: 'Accepted', serial: token.serial, events: [...unlock, accepted(match)], match }),
    ),
  );
};

/** A code the verifier did not accept: counted (and perhaps locking the token), or not its fault at all. */
const judgeRejection = (
  token: Token,
  rejection: OtpRejection,
  context: { readonly command: string; readonly nowMs: number; readonly policy: OtpRulePolicy },
): E.Either<SdkError, OtpJudgement> => {
  if (!countedRejection(rejection)) {
    // A host's engine may answer any tag: only the documented ones are repeated.
    const tag: unknown = (rejection as { readonly _tag?: unknown })._tag;
    const known = tag === 'weak-secret' || tag === 'invalid-options' || tag === 'unavailable';
    return E.left(infrastructure(`the OTP verifier could not check token ${token.serial} (${known ? tag : 'unknown answer'})`));
  }
  return E.right(rejected(token, rejection._tag, context));
};

/** A refused code as events: counted as a failure; the failure that reaches `maxFailures` locks the token. */
const rejected = (
  token: Token,
  reason: 'mismatch' | 'replay' | 'malformed',
  context: { readonly command: string; readonly nowMs: number; readonly policy: OtpRulePolicy },
): OtpJudgement => {
  const failures = failuresBefore(token, context.nowMs) + 1;
  const events: TokenEvent[] = [...timerUnlock(token, context.nowMs), tokenEvent('OtpRejected', { reason, failures, command: context.command })];
  if (failures >= context.policy.maxFailures) {
    events.push(tokenEvent('TokenLocked', { reason: 'otp-failures', failures, unlocksAt: unlocksAtOf(token, context.policy, context.nowMs) }));
  }
  return { _tag: 'Rejected', serial: token.serial, events, error: otpRejected(reason) };
};

/**
 * The OTP rule for a lost token's temporary access (see `chooseRecoveryFactor`): a locked token
 * refuses, a missing code is `OtpRequired`; a code matching an unused one-time code is accepted
 * (`RecoveryCodeUsed`: spent); anything else counts as a failure under the same lock rules as an
 * OTP. The match's `step` is the code's index. Pure: the digests are in the token's state.
 */
export const judgeRecoveryCode = (
  token: Token,
  code: unknown,
  context: { readonly command: string; readonly nowMs: number; readonly policy: OtpRulePolicy },
): E.Either<SdkError, OtpJudgement> => {
  if (isLockedAt(token, context.nowMs)) return E.left(tokenLocked(token.serial));
  if (isMissingCode(code)) return E.left(otpRequired());
  const access = token.temporaryAccess;
  if (access === undefined) return E.left(infrastructure(`token ${token.serial} has no temporary access`));
  const verdict = matchRecoveryCode(access, code);
  if (typeof verdict === 'string') return E.right(rejected(token, verdict, context));
  return E.right({
    _tag: 'Accepted',
    serial: token.serial,
    events: [...timerUnlock(token, context.nowMs), tokenEvent('RecoveryCodeUsed', { index: verdict.index, command: context.command })],
    match: { step: BigInt(verdict.index), drift: 0 },
  });
};

/**
 * TOTP: how many steps behind now a resync pair may end. Every code a correct clock showed lies
 * behind now, so this is how old a (phished) pair may be; it is the window's `future`, so that
 * after the resync the window, centred on the pair, still holds the step of now and the codes
 * the user's device shows now keep working. A clock slower than that cannot be resynced: it is
 * followed step by step by the verifications themselves (each records the drift it saw).
 */
export const resyncLookBack = (parameters: OtpParameters): number => parameters.future;

/**
 * Whether a resync match moves the token only toward codes shown near now: a TOTP pair ending at
 * most `resyncLookBack` steps ago (ahead is fine: only a fast clock shows codes of the future),
 * an HOTP pair after the last accepted counter (a counter never goes back). Checked here as well
 * as in the engine, so that a host's engine searching wider cannot move a token onto old codes.
 */
export const isResyncNearNow = (token: Token, match: OtpMatch, nowMs: number): boolean => {
  if (token.parameters.mode === 'totp') {
    return match.step >= BigInt(timeStep(nowMs, token.parameters.period) - resyncLookBack(token.parameters));
  }
  return token.lastAccepted === undefined || match.step > token.lastAccepted;
};

/**
 * The resync verdict: like a verification, but an accepted pair records `TokenResynced`. A pair
 * the engine found too far back is a mismatch, counted like any other.
 */
export const judgeResync = (
  token: Token,
  verdict: E.Either<OtpRejection, OtpMatch>,
  context: { readonly nowMs: number; readonly policy: OtpRulePolicy },
): E.Either<SdkError, OtpJudgement> =>
  judgeOtp(
    token,
    E.filterOrElse((match: OtpMatch) => isResyncNearNow(token, match, context.nowMs), (): OtpRejection => mismatch)(verdict),
    { ...context, command: 'ResyncToken' },
    (match) => tokenEvent('TokenResynced', { step: match.step.toString(), drift: match.drift }),
  );
