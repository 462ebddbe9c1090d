import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { ConfirmationFactor, ConfirmationFactors } from '../company/policy.js';
import { invalidCommand, otpRejected, otpRequired, preconditionFailed, type SdkError } from '../../errors/sdk-error.js';
import { tokenEvent, type ConfirmationRefusal, type TokenEvent } from '../token/events.js';
import type { IssuedChallenge, Token } from '../token/state.js';
import { unlocksAtOf } from '../token/timed-unlock.js';
import { failuresBefore, isMissingCode, timerUnlock, type OtpRulePolicy } from './rule.js';

// "Confirm with a factor of your enrolled token": a typed code, or a signature of the token's app
// (protocol v2) over a challenge issued for the exact command. This is the pure judgement; the
// shell verifies the signature (app-signature.ts of the command shell).

/** Which factor a command confirms with, once the policy and the token allow it. */
export type ChosenFactor = 'code' | 'app-signature';

/** The factors an action accepts under a company's policy (default: either). */
export const factorsFor = (factors: ConfirmationFactors, command: string): ConfirmationFactor =>
  (factors as Readonly<Record<string, ConfirmationFactor | undefined>>)[command] ?? 'either';

/**
 * The factor the command carries, checked against the policy and the token: both at once is an
 * invalid command; an app signature from a token without a key, or a factor the policy does not
 * accept for the action, is refused before anything is counted (it carries no guess).
 */
export const chooseConfirmationFactor = (
  token: Token,
  given: { readonly code: unknown; readonly confirmation?: unknown },
  context: { readonly command: string; readonly factors: ConfirmationFactors },
): E.Either<SdkError, ChosenFactor> => {
  const accepted = factorsFor(context.factors, context.command);
  const signed = given.confirmation !== undefined && given.confirmation !== null;
  if (signed && !isMissingCode(given.code)) return E.left(invalidCommand([{ path: 'confirmation', message: 'give an OTP or an app confirmation, not both' }]));
  if (signed) {
    if (accepted === 'code') return E.left(preconditionFailed('confirmation-factor', `the company accepts only a typed code for ${context.command}`));
    if (token.signingKey === undefined) {
      return E.left(preconditionFailed('app-key', `token ${token.serial} has no app key: only a token activated with protocol v2 confirms by app`));
    }
    return E.right('app-signature');
  }
  if (accepted !== 'app') return E.right('code');
  return isMissingCode(given.code) ? E.left(otpRequired()) : E.left(preconditionFailed('confirmation-factor', `the company requires an app confirmation for ${context.command}`));
};

/** The challenge an app confirmation names, as a command of `command` with `digest` may use it at `nowMs`. */
export const judgeChallenge = (token: Token, challengeId: string, digest: string, command: string, nowMs: number): E.Either<ConfirmationRefusal, IssuedChallenge> => {
  const issued = (token.challenges ?? []).find((challenge) => challenge.challengeId === challengeId);
  if (issued === undefined) return E.left('unknown-challenge');
  if (issued.status !== 'pending') return E.left('replay');
  if (issued.digest !== digest || issued.command !== command) return E.left('other-command');
  if (nowMs >= issued.expiresAtMs) return E.left('expired');
  return E.right(issued);
};

/** The events of an app confirmation's verdict, and the command's error when refused. */
export type AppSignatureJudgement =
  | { readonly _tag: 'Accepted'; readonly events: readonly TokenEvent[]; readonly challengeId: string }
  | { readonly _tag: 'Rejected'; readonly events: readonly TokenEvent[]; readonly error: SdkError };

const rejectionReason = (refusal: ConfirmationRefusal): 'mismatch' | 'replay' | 'malformed' =>
  refusal === 'replay' ? 'replay' : refusal === 'malformed' ? 'malformed' : 'mismatch';

/** The error of a refused app confirmation: an `OtpRejected` (hosts handle one kind of refusal) that says why. */
export const confirmationRefused = (refusal: ConfirmationRefusal): SdkError => ({
  ...otpRejected(rejectionReason(refusal)),
  message: `the app confirmation was refused (${refusal})`,
});

/**
 * The verdict as events on the token's stream, exactly like a code's: an accepted signature uses
 * the challenge (single use: the write expects the version read) and clears the failures; every
 * refusal counts one failure, and the one that reaches `maxFailures` locks the token.
 */
export const judgeAppSignature = (
  token: Token,
  verdict: E.Either<ConfirmationRefusal, IssuedChallenge>,
  context: { readonly command: string; readonly nowMs: number; readonly policy: OtpRulePolicy },
): AppSignatureJudgement => {
  const unlock = timerUnlock(token, context.nowMs);
  return pipe(
    verdict,
    E.match(
      (reason): AppSignatureJudgement => refusedSignature(token, reason, context, unlock),
      ({ challengeId }): AppSignatureJudgement => ({ _tag: 'Accepted', challengeId, events: [...unlock, tokenEvent('ConfirmationAccepted', { challengeId, command: context.command })] }),
    ),
  );
};

/** A refused signature as events: counted as a failure, like a wrong code; the failure that reaches `maxFailures` locks. */
const refusedSignature = (
  token: Token,
  reason: ConfirmationRefusal,
  context: { readonly command: string; readonly nowMs: number; readonly policy: OtpRulePolicy },
  unlock: readonly TokenEvent[],
): AppSignatureJudgement => {
  const failures = failuresBefore(token, context.nowMs) + 1;
  const events: TokenEvent[] = [...unlock, tokenEvent('ConfirmationRefused', { reason, failures, command: context.command })];
  if (failures >= context.policy.maxFailures) {
    events.push(tokenEvent('TokenLocked', { reason: 'otp-failures', failures, unlocksAt: unlocksAtOf(token, context.policy, context.nowMs) }));
  }
  return { _tag: 'Rejected', events, error: confirmationRefused(reason) };
};
