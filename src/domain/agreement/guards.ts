import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import type { SdkError } from '../../errors/sdk-error.js';
import { forbidden } from '../../errors/sdk-error.js';
import type { ActorFacts } from '../actor/actor-facts.js';

/** An acting user of a company, known to the directory. */
export type ActingUser = Extract<ActorFacts, { readonly kind: 'user' }>;

/** Refuses anyone but the bank: the agreement (the annex to the service contract) and execution are bank side. */
export const requireBank = (actor: ActorFacts, command: string): Either<SdkError, { readonly operatorId: string }> =>
  actor.kind === 'bank' ? E.right(actor) : E.left(forbidden(`${command} is a bank-side operation`));

/** Refuses anyone but an active user of a client company (bank operators do not act for the company). */
export const requireActiveUser = (actor: ActorFacts, command: string): Either<SdkError, ActingUser> => {
  if (actor.kind !== 'user') return E.left(forbidden(`${command} is done by a user of the company, not by the bank`));
  if (!actor.active) return E.left(forbidden(`user ${actor.userId} is not an active user of company ${actor.companyId}`));
  return E.right(actor);
};
