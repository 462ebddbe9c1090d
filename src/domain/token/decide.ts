import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { forbidden, registrationCodeInvalid, type SdkError } from '../../errors/sdk-error.js';
import type { OtpParameters } from '../../otp/engine.js';
import type { CompanyPolicy } from '../company/policy.js';
import { isoOf } from './codecs.js';
import { tokenEvent, type EnrollmentMethod, type TokenEvent } from './events.js';
import type { Decider } from '../../events/decider.js';
import type { ActorFacts } from '../actor/actor-facts.js';
import { authorize, requireTokenActor } from './authorize.js';
import { evolveToken, initialTokenState, tokenExists, type Token, type TokenState } from './state.js';
import { unlocksAtOf } from './timed-unlock.js';
import { admitExisting, requireNewToken, requireUsableActivationCode, type AdmittedToken } from './admit.js';
import type { TemporaryAccess } from './recovery-codes.js';

/** What the shell gathers before a token command is decided: who acts, the time, the company policy. */
export interface TokenFacts {
  readonly actor: ActorFacts;
  readonly nowMs: number;
  readonly policy: CompanyPolicy;
}

/** The facts the events of an admitted command still read: the time and the company policy. */
export type TokenEventFacts = Pick<TokenFacts, 'nowMs' | 'policy'>;

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
}

/** A hardware token going into its company's pool: no owner yet. */
export interface PooledTokenIdentity {
  readonly serial: string;
  readonly companyId: string;
  readonly seedRef: string;
  readonly parameters: OtpParameters;
  /** HOTP: the counter of the token's next code. */
  readonly counter: bigint;
}

/**
 * A lifecycle command as the pure core decides it: decoded, with what the shell had to fetch for it
 * (fresh vault references, the registration verdict, the security answer verdict). Who may issue
 * it is decided by `decide` from the facts' actor.
 */
export type TokenCommand =
  | { readonly type: 'RequestTokenAssignment'; readonly identity: NewTokenIdentity; readonly assignAtOnce?: ActivationCodeIssue }
  | { readonly type: 'ImportPhysicalToken'; readonly identity: NewTokenIdentity; readonly seedRef: string; readonly parameters: OtpParameters }
  | { readonly type: 'ImportPhysicalTokens'; readonly pooled: PooledTokenIdentity }
  | { readonly type: 'DisablePhysicalToken'; readonly replacedBy: string }
  | ExistingTokenCommand;

/** Protocol v2: the public keys of an enrolment (the app's signing key, the server's ephemeral key) and the key confirmation, base64url. */
export interface DeviceKeysRecord {
  readonly signingKey: string;
  readonly serverKey: string;
  readonly keyConfirmation: string;
}

/** A command about a token that must already exist, named by its serial. */
export type ExistingTokenCommand = { readonly serial: string } & (
  | { readonly type: 'ConfirmTokenAssignment'; readonly issue: ActivationCodeIssue }
  | { readonly type: 'ReissueActivationCode'; readonly issue: Omit<ActivationCodeIssue, 'parameters'> }
  | {
      readonly type: 'EnrollDevice';
      readonly method: EnrollmentMethod;
      readonly registration: { readonly valid: true; readonly seedRef: string; readonly device?: DeviceKeysRecord } | { readonly valid: false };
    }
  | { readonly type: 'ActivateToken'; readonly method: 'admin' }
  | { readonly type: 'ActivateToken'; readonly method: 'security-question'; readonly answerCorrect: boolean }
  | { readonly type: 'DeleteToken' }
  | { readonly type: 'UnlockToken' }
  | { readonly type: 'SuspendToken' }
  | { readonly type: 'ResumeToken' }
  | { readonly type: 'ReportTokenLost'; readonly temporaryAccess?: TemporaryAccessGrant }
  | { readonly type: 'ReactivateToken'; readonly issue: Omit<ActivationCodeIssue, 'parameters'> }
  | { readonly type: 'AssignPhysicalToken'; readonly owner: { readonly userId: string } }
);

/** Temporary access for a lost token, as the shell prepared it: the digests of codes already on their way to the owner. */
export type TemporaryAccessGrant = Omit<TemporaryAccess, 'used'>;

/** The role an admin-or-bank event records. */
const adminOrBank = (admitted: AdmittedToken): 'admin' | 'bank' => (admitted.role === 'bank' ? 'bank' : 'admin');

/** A pending activation code (of a reactivation) that a suspension or a loss report voids. */
const pendingCodeRefs = (token: Token): readonly string[] => (token.activationCode === undefined ? [] : [token.activationCode.ref]);

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

/**
 * The events of a command about an existing token once `admitExisting` let it through: no check of
 * who acts or of the table is repeated here.
 */
export const decideAdmitted = (
  command: ExistingTokenCommand,
  admitted: AdmittedToken,
  facts: TokenEventFacts,
): E.Either<SdkError, readonly TokenEvent[]> => {
  const { token } = admitted;
  switch (command.type) {
    case 'ConfirmTokenAssignment':
      return E.right([confirmed(command.issue, 'admin-otp')]);
    case 'ReissueActivationCode':
      return E.right([
        tokenEvent('ActivationCodeReissued', {
          activationCodeRef: command.issue.ref,
          activationCodeExpiresAt: isoOf(command.issue.expiresAtMs),
          // The app keeps the parameters the token was assigned with.
          parameters: token.parameters,
          destroyedSecretRefs: secretRefsOf(token),
        }),
      ]);
    case 'EnrollDevice':
      return pipe(
        requireUsableActivationCode(token, facts.nowMs),
        E.map(({ ref }): readonly TokenEvent[] => {
          if (command.registration.valid) {
            const { seedRef, device } = command.registration;
            // A reactivation: the new phone replaces the old one, whose seed dies in this commit.
            if (token.status !== 'assigned') return [tokenEvent('DeviceReplaced', { method: command.method, seedRef, destroyedSecretRefs: secretRefsOf(token) })];
            return [tokenEvent('DeviceEnrolled', { method: command.method, seedRef, destroyedSecretRefs: [ref], ...device })];
          }
          const failures = (token.activationCode?.failures ?? 0) + 1;
          const attemptsLeft = Math.max(0, facts.policy.registrationAttempts - failures);
          return [tokenEvent('RegistrationCodeRejected', { failures, attemptsLeft, destroyedSecretRefs: attemptsLeft === 0 ? [ref] : [] })];
        }),
      );
    case 'ActivateToken': {
      if (command.method === 'admin' || command.answerCorrect) return E.right([tokenEvent('TokenActivated', { method: command.method })]);
      const failures = token.securityAnswerFailures + 1;
      const events = [tokenEvent('SecurityAnswerRejected', { failures })];
      if (failures >= facts.policy.registrationAttempts) {
        events.push(tokenEvent('TokenLocked', { reason: 'security-answer-failures', failures, unlocksAt: unlocksAtOf(token, facts.policy, facts.nowMs) }));
      }
      return E.right(events);
    }
    case 'DeleteToken':
      return E.right([tokenEvent('TokenDeleted', { destroyedSecretRefs: secretRefsOf(token) })]);
    case 'UnlockToken':
      return E.right([tokenEvent('TokenUnlocked', { by: adminOrBank(admitted) })]);
    case 'SuspendToken':
      return E.right([tokenEvent('TokenSuspended', { by: adminOrBank(admitted), destroyedSecretRefs: pendingCodeRefs(token) })]);
    case 'ResumeToken':
      return E.right([tokenEvent('TokenResumed', { by: adminOrBank(admitted) })]);
    case 'ReportTokenLost': {
      const access = command.temporaryAccess;
      return E.right([
        tokenEvent('TokenReportedLost', {
          by: admitted.role,
          destroyedSecretRefs: pendingCodeRefs(token),
          temporaryAccess: access === undefined ? null : { kind: access.kind, salt: access.salt, digests: access.digests, expiresAt: isoOf(access.expiresAtMs) },
        }),
      ]);
    }
    case 'ReactivateToken':
      return E.right([
        tokenEvent('ReactivationStarted', {
          activationCodeRef: command.issue.ref,
          activationCodeExpiresAt: isoOf(command.issue.expiresAtMs),
          parameters: token.parameters,
          destroyedSecretRefs: pendingCodeRefs(token),
        }),
      ]);
    case 'AssignPhysicalToken':
      return E.right([tokenEvent('PhysicalTokenAssigned', command.owner)]);
  }
};

/**
 * The failure a command ends with although its events are committed: a wrong registration code or
 * security answer is counted, and the command fails. Undefined when the events record no refusal.
 */
export const tokenRefusal = (events: readonly TokenEvent[], serial: string): SdkError | undefined => {
  if (events.some((event) => event.type === 'SecurityAnswerRejected')) return forbidden('the answer to the security question is not correct');
  if (events.some((event) => event.type === 'RegistrationCodeRejected')) return registrationCodeInvalid(serial);
  return undefined;
};

/**
 * The events of a command that creates a token, once the actor is authorized: the serial must not
 * name an existing stream.
 */
export const decideNewToken = (
  command: Extract<TokenCommand, { readonly type: 'RequestTokenAssignment' | 'ImportPhysicalToken' | 'ImportPhysicalTokens' }>,
  state: TokenState,
): E.Either<SdkError, readonly TokenEvent[]> =>
  pipe(
    requireNewToken(state, command.type === 'ImportPhysicalTokens' ? command.pooled.serial : command.identity.serial),
    E.map(() => newTokenEvents(command)),
  );

const newTokenEvents = (command: Extract<TokenCommand, { readonly type: 'RequestTokenAssignment' | 'ImportPhysicalToken' | 'ImportPhysicalTokens' }>): readonly TokenEvent[] => {
  switch (command.type) {
    case 'RequestTokenAssignment':
      return [tokenEvent('TokenRequested', command.identity), ...(command.assignAtOnce === undefined ? [] : [confirmed(command.assignAtOnce, 'none')])];
    case 'ImportPhysicalToken':
      return [tokenEvent('PhysicalTokenImported', { ...command.identity, seedRef: command.seedRef, parameters: command.parameters })];
    case 'ImportPhysicalTokens':
      return [tokenEvent('PhysicalTokenPooled', { ...command.pooled, counter: command.pooled.counter.toString() })];
  }
};

/** Only a live physical token is disabled when its user's soft token is activated; anything else is left as it is. */
export const decideDisablePhysical = (replacedBy: string, state: TokenState): readonly TokenEvent[] =>
  tokenExists(state) && state.kind === 'physical' && state.status === 'active'
    ? [tokenEvent('PhysicalTokenDisabled', { replacedBy, destroyedSecretRefs: secretRefsOf(state) })]
    : [];

/**
 * The pure decision for one token stream, in the order the checks must run (cheapest and least
 * revealing first): who acts, who may issue the command (the transition table under the company
 * policy), the table's states, kinds and lock for the token, then the events. Anything the table
 * does not allow is an `InvalidTransition` naming the state and the command (`NotFound` for a token
 * that does not exist or, for a user, belongs to another company).
 */
export const decideToken = (command: TokenCommand, state: TokenState, facts: TokenFacts): E.Either<SdkError, readonly TokenEvent[]> => {
  switch (command.type) {
    case 'RequestTokenAssignment':
    case 'ImportPhysicalToken':
    case 'ImportPhysicalTokens':
      return pipe(
        requireTokenActor(facts.actor),
        // A pooled token has no user: only the bank may import, whoever the user would be.
        E.chain((actor) => authorize(command.type, actor, command.type === 'ImportPhysicalTokens' ? { companyId: command.pooled.companyId, userId: '' } : command.identity, facts.policy)),
        E.chain(() => decideNewToken(command, state)),
      );
    case 'DisablePhysicalToken':
      // A consequence of an admitted ActivateToken of the same user, never issued by an actor.
      return E.right(decideDisablePhysical(command.replacedBy, state));
    default:
      return pipe(
        admitExisting(command.type, state, command.serial, facts),
        E.chain((admitted) => decideAdmitted(command, admitted, facts)),
      );
  }
};

/** The token stream as a `Decider`: commands, the state folded by `evolveToken`, and the facts with the actor. */
export const tokenDecider: Decider<TokenCommand, TokenState, TokenEvent, TokenFacts> = {
  decide: decideToken,
  evolve: evolveToken,
  initialState: initialTokenState,
};
