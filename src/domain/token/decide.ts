import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import {
  activationCodeExpired,
  forbidden,
  invalidTransition,
  notFound,
  preconditionFailed,
  registrationCodeInvalid,
  tokenLocked,
  type SdkError,
} from '../../errors/sdk-error.js';
import type { OtpParameters } from '../../otp/engine.js';
import type { CompanyPolicy } from '../company/policy.js';
import { isoOf } from './codecs.js';
import { tokenEvent, type EnrollmentMethod, type TokenEvent } from './events.js';
import { isLockedAt, tokenExists, type Token, type TokenState } from './state.js';
import { unlocksAtOf } from './timed-unlock.js';
import { transitionOf, type TokenCommandType } from './transitions.js';

/** What the shell knows when it asks `decideToken`: the time and the token's company policy. */
export interface TokenFacts {
  readonly nowMs: number;
  readonly policy: CompanyPolicy;
}

/** A fresh activation code, by vault reference, with its expiry. */
export interface ActivationCodeIssue {
  readonly ref: string;
  readonly expiresAtMs: number;
  /** The OATH parameters the app must use (the policy's, fixed when the code is issued). */
  readonly parameters: OtpParameters;
}

/** The identity of a new token. */
export interface NewTokenIdentity {
  readonly serial: string;
  readonly companyId: string;
  readonly userId: string;
  readonly userName: string;
}

/**
 * A lifecycle command as the pure core sees it: authorised, validated, with every fact the shell
 * had to fetch (fresh vault references, the registration verdict, the security answer verdict).
 */
export type TokenIntent =
  | { readonly type: 'RequestTokenAssignment'; readonly identity: NewTokenIdentity; readonly assignAtOnce?: ActivationCodeIssue }
  | { readonly type: 'ImportPhysicalToken'; readonly identity: NewTokenIdentity; readonly seedRef: string; readonly parameters: OtpParameters }
  | { readonly type: 'DisablePhysicalToken'; readonly replacedBy: string }
  | ExistingTokenIntent;

/** An intent about a token that must already exist, named by its serial. */
export type ExistingTokenIntent = { readonly serial: string } & (
  | { readonly type: 'ConfirmTokenAssignment'; readonly issue: ActivationCodeIssue }
  | { readonly type: 'ReissueActivationCode'; readonly issue: Omit<ActivationCodeIssue, 'parameters'> }
  | {
      readonly type: 'EnrollDevice';
      readonly method: EnrollmentMethod;
      readonly registration: { readonly valid: true; readonly seedRef: string } | { readonly valid: false };
    }
  | { readonly type: 'ActivateToken'; readonly method: 'admin' }
  | { readonly type: 'ActivateToken'; readonly method: 'security-question'; readonly answerCorrect: boolean }
  | { readonly type: 'DeleteToken' }
  | { readonly type: 'UnlockToken'; readonly by: 'admin' | 'bank' }
);

/**
 * The events for the token's stream, and possibly a failure: when `failure` is set the events
 * are still committed (a wrong registration code is counted) but the command fails.
 */
export interface TokenDecision {
  readonly events: readonly TokenEvent[];
  readonly failure?: SdkError;
}

const explained = (error: SdkError, reason: string): SdkError => ({ ...error, message: `${error.message}: ${reason}` });

/** The token, when it exists and the command's table row allows its state, kind and lock. */
export const requireTransition = (command: TokenCommandType, state: TokenState, serial: string, nowMs: number): E.Either<SdkError, Token> => {
  const transition = transitionOf(command);
  if (!tokenExists(state)) return E.left(notFound('token', serial));
  if (!transition.from.includes(state.status)) return E.left(invalidTransition(state.status, command));
  if (!transition.kinds.includes(state.kind)) return E.left(explained(invalidTransition(state.status, command), `a ${state.kind} token`));
  const locked = isLockedAt(state, nowMs);
  if (transition.locked === 'unlocked' && locked) return E.left(tokenLocked(state.serial));
  if (transition.locked === 'locked' && !locked) return E.left(explained(invalidTransition(state.status, command), 'the token is not locked'));
  return E.right(state);
};

/** A new token's serial must not name an existing stream. */
export const requireNewToken = (state: TokenState, serial: string): E.Either<SdkError, void> =>
  tokenExists(state) ? E.left(preconditionFailed('unique-serial', `a token with serial ${serial} already exists`)) : E.right(undefined);

/** The activation code an EnrollDevice may still use: issued, not void, not expired. */
export const requireUsableActivationCode = (token: Token, nowMs: number): E.Either<SdkError, { readonly ref: string }> => {
  const code = token.activationCode;
  if (code === undefined || code.void) {
    return E.left({
      ...activationCodeExpired(token.serial),
      message: `the activation code of token ${token.serial} is void after too many wrong registration codes; ask for a new one`,
    });
  }
  if (nowMs >= code.expiresAtMs) return E.left(activationCodeExpired(token.serial));
  return E.right({ ref: code.ref });
};

const confirmed = (issue: ActivationCodeIssue, confirmation: 'admin-otp' | 'none'): TokenEvent =>
  tokenEvent('TokenAssignmentConfirmed', {
    activationCodeRef: issue.ref,
    activationCodeExpiresAt: isoOf(issue.expiresAtMs),
    parameters: issue.parameters,
    confirmation,
  });

/** The vault references a token still holds: its seed and its pending activation code. */
export const secretRefsOf = (token: Token): readonly string[] => [
  ...(token.seedRef === undefined ? [] : [token.seedRef]),
  ...(token.activationCode === undefined ? [] : [token.activationCode.ref]),
];

const decideExisting = (intent: ExistingTokenIntent, token: Token, facts: TokenFacts): E.Either<SdkError, TokenDecision> => {
  switch (intent.type) {
    case 'ConfirmTokenAssignment':
      return E.right({ events: [confirmed(intent.issue, 'admin-otp')] });
    case 'ReissueActivationCode':
      return E.right({
        events: [
          tokenEvent('ActivationCodeReissued', {
            activationCodeRef: intent.issue.ref,
            activationCodeExpiresAt: isoOf(intent.issue.expiresAtMs),
            // The app keeps the parameters the token was assigned with.
            parameters: token.parameters,
            destroyedSecretRefs: secretRefsOf(token),
          }),
        ],
      });
    case 'EnrollDevice':
      return pipe(
        requireUsableActivationCode(token, facts.nowMs),
        E.map(({ ref }): TokenDecision => {
          if (intent.registration.valid) {
            return { events: [tokenEvent('DeviceEnrolled', { method: intent.method, seedRef: intent.registration.seedRef, destroyedSecretRefs: [ref] })] };
          }
          const failures = (token.activationCode?.failures ?? 0) + 1;
          const attemptsLeft = Math.max(0, facts.policy.registrationAttempts - failures);
          return {
            events: [tokenEvent('RegistrationCodeRejected', { failures, attemptsLeft, destroyedSecretRefs: attemptsLeft === 0 ? [ref] : [] })],
            failure: registrationCodeInvalid(token.serial),
          };
        }),
      );
    case 'ActivateToken': {
      if (intent.method === 'admin' || intent.answerCorrect) {
        return E.right({ events: [tokenEvent('TokenActivated', { method: intent.method })] });
      }
      const failures = token.securityAnswerFailures + 1;
      const events = [tokenEvent('SecurityAnswerRejected', { failures })];
      if (failures >= facts.policy.registrationAttempts) {
        events.push(tokenEvent('TokenLocked', { reason: 'security-answer-failures', failures, unlocksAt: unlocksAtOf(token, facts.policy, facts.nowMs) }));
      }
      return E.right({ events, failure: forbidden('the answer to the security question is not correct') });
    }
    case 'DeleteToken':
      return E.right({ events: [tokenEvent('TokenDeleted', { destroyedSecretRefs: secretRefsOf(token) })] });
    case 'UnlockToken':
      return E.right({ events: [tokenEvent('TokenUnlocked', { by: intent.by })] });
  }
};

/**
 * The pure lifecycle decision for one token stream. Every intent is checked against the
 * transition table first; anything the table does not allow is an `InvalidTransition` naming the
 * state and the command (or `NotFound` for a token that does not exist).
 */
export const decideToken = (intent: TokenIntent, state: TokenState, facts: TokenFacts): E.Either<SdkError, TokenDecision> => {
  switch (intent.type) {
    case 'RequestTokenAssignment':
      return pipe(
        requireNewToken(state, intent.identity.serial),
        E.map(() => ({
          events: [
            tokenEvent('TokenRequested', intent.identity),
            ...(intent.assignAtOnce === undefined ? [] : [confirmed(intent.assignAtOnce, 'none')]),
          ],
        })),
      );
    case 'ImportPhysicalToken':
      return pipe(
        requireNewToken(state, intent.identity.serial),
        E.map(() => ({ events: [tokenEvent('PhysicalTokenImported', { ...intent.identity, seedRef: intent.seedRef, parameters: intent.parameters })] })),
      );
    case 'DisablePhysicalToken':
      // Only a live physical token is disabled; anything else is left as it is.
      return E.right({
        events:
          tokenExists(state) && state.kind === 'physical' && state.status === 'active'
            ? [tokenEvent('PhysicalTokenDisabled', { replacedBy: intent.replacedBy, destroyedSecretRefs: secretRefsOf(state) })]
            : [],
      });
    default:
      return pipe(
        requireTransition(intent.type, state, intent.serial, facts.nowMs),
        E.chain((token) => decideExisting(intent, token, facts)),
      );
  }
};
