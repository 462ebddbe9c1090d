import * as E from 'fp-ts/lib/Either.js';
import { defaultCompanyPolicy, type CompanyPolicy } from '../../src/domain/company/policy.js';
import type { ActorFacts } from '../../src/domain/actor/actor-facts.js';
import { tokenDecider, tokenRefusal, type TokenCommand } from '../../src/domain/token/decide.js';
import type { TokenEvent } from '../../src/domain/token/events.js';
import { transitionOf, type ActorRole } from '../../src/domain/token/transitions.js';
import { ruleHolds } from '../../src/domain/token/authorize.js';
import { evolveToken, initialTokenState, type Token, type TokenState } from '../../src/domain/token/state.js';
import { defaultOtpParameters } from '../../src/otp/engine.js';

export const SERIAL = 'ST00000000014';
export const T0 = Date.UTC(2025, 0, 15, 9, 0, 0);
export const HOUR = 3_600_000;

export const identity = { serial: SERIAL, companyId: 'acme', userId: 'ana' };

export type TokenIntent = TokenCommand;
export interface TokenDecision {
  readonly events: readonly TokenEvent[];
  readonly failure?: ReturnType<typeof tokenRefusal>;
}

export const facts = (nowMs = T0, policy: CompanyPolicy = defaultCompanyPolicy) => ({ nowMs, policy });

const actors: { readonly [Role in ActorRole]: ActorFacts } = {
  owner: { kind: 'user', companyId: identity.companyId, userId: identity.userId, active: true, isCompanyAdmin: false },
  admin: { kind: 'user', companyId: identity.companyId, userId: 'adm', active: true, isCompanyAdmin: true },
  bank: { kind: 'bank', operatorId: 'op-1' },
};

/** The first actor the transition table lets issue the command under the policy (these tests are about states, not actors). */
export const actorFor = (command: TokenCommand, policy: CompanyPolicy): ActorFacts => {
  if (command.type === 'DisablePhysicalToken') return actors.bank;
  const rule = transitionOf(command.type).actors.find((candidate) => ruleHolds(candidate, policy));
  return actors[rule?.role ?? 'bank'];
};

/** The token decider, with an actor the table allows: the tests reach the states and events of each command. */
export const decideToken = (command: TokenCommand, state: TokenState, given: { nowMs: number; policy: CompanyPolicy }) =>
  tokenDecider.decide(command, state, { ...given, actor: actorFor(command, given.policy) });

export const issue = (nowMs = T0, ttlMs = 72 * HOUR, ref = 'ac-1') => ({ ref, expiresAtMs: nowMs + ttlMs, parameters: defaultOtpParameters });

/** Decides and folds, failing the test on a Left. */
export const apply = (state: TokenState, intent: TokenIntent, nowMs = T0, policy: CompanyPolicy = defaultCompanyPolicy): { state: TokenState; decision: TokenDecision } => {
  const result = decideToken(intent, state, facts(nowMs, policy));
  if (E.isLeft(result)) throw new Error(`unexpected ${result.left.code}: ${result.left.message}`);
  const serial = 'serial' in intent ? intent.serial : 'identity' in intent ? intent.identity.serial : '';
  const failure = tokenRefusal(result.right, serial);
  return { state: result.right.reduce(evolveToken, state), decision: { events: result.right, ...(failure === undefined ? {} : { failure }) } };
};

export const stateAfter = (intents: readonly TokenIntent[], nowMs = T0, policy: CompanyPolicy = defaultCompanyPolicy): TokenState =>
  intents.reduce((state, intent) => apply(state, intent, nowMs, policy).state, initialTokenState);

export const pending: readonly TokenIntent[] = [{ type: 'RequestTokenAssignment', identity }];
export const assigned: readonly TokenIntent[] = [...pending, { type: 'ConfirmTokenAssignment', serial: SERIAL, issue: issue() }];
export const pendingActivation: readonly TokenIntent[] = [
  ...assigned,
  { type: 'EnrollDevice', serial: SERIAL, method: 'activation-code', registration: { valid: true, seedRef: 'seed-1' } },
];
export const active: readonly TokenIntent[] = [...pendingActivation, { type: 'ActivateToken', serial: SERIAL, method: 'admin' }];
export const deleted: readonly TokenIntent[] = [...active, { type: 'DeleteToken', serial: SERIAL }];
export const physical: readonly TokenIntent[] = [
  { type: 'ImportPhysicalToken', identity: { ...identity, serial: 'FEF4900032' }, seedRef: 'seed-p', parameters: defaultOtpParameters },
];

export const asToken = (state: TokenState): Token => {
  if (state.status === 'none') throw new Error('no token');
  return state;
};
