import type { CompanyPolicy } from './policy.js';
import { defaultCompanyPolicy } from './policy.js';
import type { CompanyEvent } from './events.js';
import { SharedMap } from '../../collections/shared-map.js';

/** A user's live tokens in the company: the index the OTP rule reads to find the actor's factor. */
export interface UserTokens {
  readonly soft?: string;
  readonly physical?: string;
}

/** What the company stream knows: configuration, quota use, and who holds which live token. */
export interface CompanyState {
  readonly configured: boolean;
  readonly quota: number;
  readonly policy: CompanyPolicy;
  /** Live soft tokens, each holding one slot. */
  readonly slotsInUse: number;
  /**
   * userId -> the user's live tokens: the per-user index a user's token is found through. Persistent
   * (not an object, so no user id collides with a key; not a copied Map, so an event costs O(log n)).
   */
  readonly holdings: SharedMap<UserTokens>;
  /** userId -> wrong security answers, across the user's tokens, since they were last cleared. */
  readonly securityAnswerFailures: SharedMap<number>;
}

/** A company before its first event. */
export const initialCompanyState: CompanyState = {
  configured: false,
  quota: 0,
  policy: defaultCompanyPolicy,
  slotsInUse: 0,
  holdings: SharedMap.empty(),
  securityAnswerFailures: SharedMap.empty(),
};

const withHolding = (holdings: SharedMap<UserTokens>, userId: string, update: (tokens: UserTokens) => UserTokens): SharedMap<UserTokens> => {
  const tokens = update(holdings.get(userId) ?? {});
  return tokens.soft === undefined && tokens.physical === undefined ? holdings.without(userId) : holdings.with(userId, tokens);
};

const without = (tokens: UserTokens, key: 'soft' | 'physical', serial: string): UserTokens => {
  if (tokens[key] !== serial) return tokens;
  const { [key]: _removed, ...rest } = tokens;
  return rest;
};

/** Folds one company event into the state. */
export const evolveCompany = (state: CompanyState, event: CompanyEvent): CompanyState => {
  switch (event.type) {
    case 'CompanyConfigured':
      return { ...state, configured: true, quota: event.data.quota, policy: event.data.policy };
    case 'TokenSlotReserved':
      return {
        ...state,
        slotsInUse: state.slotsInUse + 1,
        holdings: withHolding(state.holdings, event.data.userId, (tokens) => ({ ...tokens, soft: event.data.serial })),
      };
    case 'TokenSlotReleased':
      return {
        ...state,
        slotsInUse: Math.max(0, state.slotsInUse - 1),
        holdings: withHolding(state.holdings, event.data.userId, (tokens) => without(tokens, 'soft', event.data.serial)),
      };
    case 'PhysicalTokenRegistered':
      return { ...state, holdings: withHolding(state.holdings, event.data.userId, (tokens) => ({ ...tokens, physical: event.data.serial })) };
    case 'PhysicalTokenRetired':
      return { ...state, holdings: withHolding(state.holdings, event.data.userId, (tokens) => without(tokens, 'physical', event.data.serial)) };
    case 'SecurityAnswerFailed':
      return { ...state, securityAnswerFailures: state.securityAnswerFailures.with(event.data.userId, event.data.failures) };
    case 'SecurityAnswerFailuresCleared':
      return { ...state, securityAnswerFailures: state.securityAnswerFailures.without(event.data.userId) };
  }
};

/** A user's wrong security answers, across their tokens, since last cleared. */
export const securityAnswerFailuresOf = (state: CompanyState, userId: string): number => state.securityAnswerFailures.get(userId) ?? 0;

/** True when the user may no longer activate by security question: the policy's attempts are used up. */
export const isSecurityQuestionLocked = (state: CompanyState, userId: string): boolean =>
  securityAnswerFailuresOf(state, userId) >= state.policy.registrationAttempts;

/** Free soft-token slots. */
export const availableSlots = (state: CompanyState): number => Math.max(0, state.quota - state.slotsInUse);
