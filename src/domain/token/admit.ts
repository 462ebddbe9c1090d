import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { activationCodeExpired, invalidTransition, notFound, preconditionFailed, tokenLocked, type SdkError } from '../../errors/sdk-error.js';
import { authorize, refuseLockedOwner, requireTokenActor, type Admission } from './authorize.js';
import type { ExistingTokenCommand, TokenFacts } from './decide.js';
import { isLockedAt, tokenExists, type Token, type TokenState } from './state.js';
import { transitionOf, type TokenCommandType } from './transitions.js';

// The first half of the token decider: whether a command may act on a token at all. The shell runs
// it before the OTP rule (a refused command never spends or counts a code); `decide.ts` holds the
// second half, the events.

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

/** A command about an existing token that `decide` let through: the token and the actor's admission. */
export interface AdmittedToken extends Admission {
  readonly token: Token;
}

/**
 * The checks of a command about an existing token, cheapest and least revealing first: the actor
 * may issue token commands at all, the token exists (another company's token reads as not found to
 * a user: a serial tells a user nothing about other companies), the actor may issue the command
 * under the company's policy, the token's state, kind and lock allow it, and a locked token's
 * owner is refused. The shell runs the OTP rule only after these.
 */
export const admitExisting = (command: ExistingTokenCommand['type'] | 'ResyncToken', state: TokenState, serial: string, facts: TokenFacts): E.Either<SdkError, AdmittedToken> =>
  pipe(
    requireTokenActor(facts.actor),
    E.chain((actor) =>
      !tokenExists(state) || (actor.kind === 'user' && actor.companyId !== state.companyId) ? E.left(notFound('token', serial)) : E.right(state),
    ),
    E.chain((token) => authorize(command, facts.actor, token, facts.policy)),
    E.chain((admission) =>
      pipe(
        requireTransition(command, state, serial, facts.nowMs),
        E.chainFirst((token) => refuseLockedOwner(token, admission, facts.nowMs)),
        E.map((token): AdmittedToken => ({ ...admission, token })),
      ),
    ),
  );

/** A new token's serial must not name an existing stream. */
export const requireNewToken = (state: TokenState, serial: string): E.Either<SdkError, void> =>
  tokenExists(state) ? E.left(preconditionFailed('unique-serial', `a token with serial ${serial} already exists`)) : E.right(undefined);

/** The activation code an EnrollDevice may still use: issued, not void, not expired. */
export const requireUsableActivationCode = (token: Token, nowMs: number): E.Either<SdkError, { readonly ref: string }> => {
  const code = token.activationCode;
  if (code === undefined && token.status !== 'assigned') {
    return E.left(explained(invalidTransition(token.status, 'EnrollDevice'), 'no reactivation is pending (ReactivateToken issues a new phone\'s code)'));
  }
  if (code === undefined || code.void) {
    return E.left({
      ...activationCodeExpired(token.serial),
      message: `the activation code of token ${token.serial} is void after too many wrong registration codes; ask for a new one`,
    });
  }
  if (nowMs >= code.expiresAtMs) return E.left(activationCodeExpired(token.serial));
  return E.right({ ref: code.ref });
};

