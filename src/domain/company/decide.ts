import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { forbidden } from '../../errors/sdk-error.js';
import type { Decider } from '../../events/decider.js';
import type { ActorFacts } from '../actor/actor-facts.js';
import { authorize, rolesOf, requireTokenActor } from '../token/authorize.js';
import { invalidCommand, notFound, preconditionFailed, quotaExhausted, type SdkError } from '../../errors/sdk-error.js';
import type { CompanyEvent } from './events.js';
import { refuseGuessablePolicy } from './guessing-risk.js';
import { applyPolicyPatch, type CompanyPolicyPatch } from './policy.js';
import { availableSlots, evolveCompany, initialCompanyState, securityAnswerFailuresOf, type CompanyState } from './state.js';

/** What ConfigureCompany asks for: a quota (required the first time) and policy changes. */
export interface CompanyConfiguration {
  readonly quota?: number;
  readonly policy?: CompanyPolicyPatch;
}

/**
 * Configures (or reconfigures) a company. Settings left out keep their value, the defaults the
 * first time; the quota may not drop below the slots in use; a policy that gives a blind guesser
 * more than `MAX_GUESSING_SUCCESS_PER_DAY` is refused (see `guessingRisk`).
 */
export const decideConfigureCompany = (state: CompanyState, configuration: CompanyConfiguration): E.Either<SdkError, readonly CompanyEvent[]> => {
  const quota = configuration.quota ?? (state.configured ? state.quota : undefined);
  if (quota === undefined) return E.left(invalidCommand([{ path: 'quota', message: 'is required when a company is configured for the first time' }]));
  if (quota < state.slotsInUse) {
    return E.left(preconditionFailed('quota-in-use', `the quota (${quota}) cannot be below the ${state.slotsInUse} soft tokens in use`));
  }
  return pipe(
    refuseGuessablePolicy(applyPolicyPatch(state.policy, configuration.policy ?? {})),
    E.map((policy): readonly CompanyEvent[] => [{ type: 'CompanyConfigured', data: { quota, policy } }]),
  );
};

/** A company that was never configured is unknown to the SDK. */
export const requireConfigured = (state: CompanyState, companyId: string): E.Either<SdkError, CompanyState> =>
  state.configured ? E.right(state) : E.left(notFound('company', companyId));

/**
 * Reserves a slot for a new soft token: the user may hold only one live soft token, and a slot
 * must be free. Appended in the same commit as the token's first event.
 */
export const decideReserveSlot = (
  state: CompanyState,
  request: { readonly companyId: string; readonly userId: string; readonly serial: string },
): E.Either<SdkError, readonly CompanyEvent[]> => {
  if (!state.configured) return E.left(notFound('company', request.companyId));
  const held = state.holdings.get(request.userId)?.soft;
  if (held !== undefined) {
    return E.left(preconditionFailed('no-live-soft-token', `user ${request.userId} already has the live soft token ${held}`));
  }
  if (availableSlots(state) === 0) return E.left(quotaExhausted(request.companyId));
  return E.right([{ type: 'TokenSlotReserved', data: { serial: request.serial, userId: request.userId } }]);
};

/** Releases a soft token's slot; nothing to release when the index does not hold it. */
export const decideReleaseSlot = (state: CompanyState, userId: string, serial: string): readonly CompanyEvent[] =>
  state.holdings.get(userId)?.soft === serial ? [{ type: 'TokenSlotReleased', data: { serial, userId } }] : [];

/** Records a user's imported physical token; a user holds at most one live physical token. */
export const decideRegisterPhysical = (
  state: CompanyState,
  request: { readonly companyId: string; readonly userId: string; readonly serial: string },
): E.Either<SdkError, readonly CompanyEvent[]> => {
  if (!state.configured) return E.left(notFound('company', request.companyId));
  const held = state.holdings.get(request.userId)?.physical;
  if (held !== undefined) {
    return E.left(preconditionFailed('no-live-physical-token', `user ${request.userId} already has the live physical token ${held}`));
  }
  return E.right([{ type: 'PhysicalTokenRegistered', data: { serial: request.serial, userId: request.userId } }]);
};

/** Counts a wrong security answer against the user, whichever token it was for. */
export const decideSecurityAnswerFailed = (state: CompanyState, userId: string, serial: string): readonly CompanyEvent[] => [
  { type: 'SecurityAnswerFailed', data: { userId, serial, failures: securityAnswerFailuresOf(state, userId) + 1 } },
];

/** Forgets a user's wrong security answers after a correct one; nothing to forget when there are none. */
export const decideSecurityAnswerPassed = (state: CompanyState, userId: string): readonly CompanyEvent[] =>
  securityAnswerFailuresOf(state, userId) === 0 ? [] : [{ type: 'SecurityAnswerFailuresCleared', data: { userId, by: 'correct-answer' } }];

/** An admin or the bank clears a user's security-question lock (or their count of wrong answers). */
export const decideClearSecurityQuestionLock = (state: CompanyState, userId: string, by: 'admin' | 'bank'): E.Either<SdkError, readonly CompanyEvent[]> =>
  securityAnswerFailuresOf(state, userId) === 0
    ? E.left(preconditionFailed('security-answer-failures', `user ${userId} has no wrong security answers to clear`))
    : E.right([{ type: 'SecurityAnswerFailuresCleared', data: { userId, by } }]);

/** Takes a deleted or disabled physical token out of the index. */
export const decideRetirePhysical = (state: CompanyState, userId: string, serial: string): readonly CompanyEvent[] =>
  state.holdings.get(userId)?.physical === serial ? [{ type: 'PhysicalTokenRetired', data: { serial, userId } }] : [];

/** The commands an actor issues to a company stream. */
export type CompanyCommand =
  | ({ readonly type: 'ConfigureCompany'; readonly companyId: string } & CompanyConfiguration)
  | { readonly type: 'ClearSecurityQuestionLock'; readonly companyId: string; readonly userId: string };

/** What the shell gathers before a company command is decided: who acts. */
export interface CompanyFacts {
  readonly actor: ActorFacts;
}

/**
 * The pure decision for a company stream: who may issue the command (the transition table, as for
 * token commands), then the rule. A user may not clear their own security-question lock: whoever
 * guessed would otherwise clear it too.
 */
export const decideCompany = (command: CompanyCommand, state: CompanyState, facts: CompanyFacts): E.Either<SdkError, readonly CompanyEvent[]> => {
  switch (command.type) {
    case 'ConfigureCompany':
      return pipe(
        authorize(command.type, facts.actor, { companyId: command.companyId, userId: '' }, state.policy),
        E.chain(() =>
          decideConfigureCompany(state, {
            ...(command.quota === undefined ? {} : { quota: command.quota }),
            ...(command.policy === undefined ? {} : { policy: command.policy }),
          }),
        ),
      );
    case 'ClearSecurityQuestionLock':
      return pipe(
        requireTokenActor(facts.actor),
        E.chain((actor) => (rolesOf(actor, command).owner ? E.left(forbidden('a user cannot clear their own security-question lock')) : E.right(actor))),
        E.chain((actor) => authorize(command.type, actor, command, state.policy)),
        E.chain((admission) =>
          pipe(
            requireConfigured(state, command.companyId),
            E.chain((company) => decideClearSecurityQuestionLock(company, command.userId, admission.role === 'bank' ? 'bank' : 'admin')),
          ),
        ),
      );
  }
};

/** The company stream as a `Decider`. */
export const companyDecider: Decider<CompanyCommand, CompanyState, CompanyEvent, CompanyFacts> = {
  decide: decideCompany,
  evolve: evolveCompany,
  initialState: initialCompanyState,
};
