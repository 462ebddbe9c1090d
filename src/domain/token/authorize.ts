import * as E from 'fp-ts/lib/Either.js';
import { forbidden, tokenLocked, type SdkError } from '../../errors/sdk-error.js';
import type { ActorFacts } from '../actor/actor-facts.js';
import type { CompanyPolicy } from '../company/policy.js';
import { isLockedAt, type Token } from './state.js';
import { transitionOf, type ActorRole, type ActorRule, type TokenCommandType } from './transitions.js';

/** Whom a command is about: the token's (or the target user's) company and user. */
export interface TokenSubject {
  readonly companyId: string;
  readonly userId: string;
}

/** Who may act, and in which role of the transition table: what `decide` checked before any event. */
export interface Admission {
  /** The role the table let the actor act in (the first that matched, in table order): what the events record. */
  readonly role: ActorRole;
  /** The actor is the subject's own user (an activation code may go to them directly). */
  readonly owner: boolean;
}

/** Whether an actor rule's policy condition holds for the company. */
export const ruleHolds = (rule: ActorRule, policy: CompanyPolicy): boolean => {
  const { when } = rule;
  if (when === undefined) return true;
  if ('reactivationBy' in when) return policy.reactivationBy.includes(when.reactivationBy);
  return 'activation' in when ? policy.activation === when.activation : policy.assignmentConfirmation === when.assignmentConfirmation;
};

const describe = (role: ActorRole): string =>
  role === 'admin' ? 'a company admin' : role === 'owner' ? "the token's owner" : 'a bank operator';

/**
 * The acting party may issue soft-token commands at all: the bank, or an active user of their
 * company as the directory knows them (the system actor never).
 */
export const requireTokenActor = (actor: ActorFacts): E.Either<SdkError, ActorFacts> => {
  if (actor.kind === 'system') return E.left(forbidden('the system actor cannot issue soft-token commands'));
  if (actor.kind === 'user' && !actor.active) return E.left(forbidden(`the acting user is not an active user of company ${actor.companyId}`));
  return E.right(actor);
};

/** What the actor is to a subject: its owner, an admin of its company, a bank operator. */
export const rolesOf = (actor: ActorFacts, subject: TokenSubject): { readonly [Role in ActorRole]: boolean } => {
  const sameCompany = actor.kind === 'user' && actor.companyId === subject.companyId;
  return {
    owner: sameCompany && actor.userId === subject.userId,
    admin: sameCompany && actor.isCompanyAdmin,
    bank: actor.kind === 'bank',
  };
};

/**
 * Which of the table's actor rules lets this actor issue the command about the subject under the
 * company's policy (the transition table is the single source of who may do what).
 */
export const authorize = (command: TokenCommandType, actor: ActorFacts, subject: TokenSubject, policy: CompanyPolicy): E.Either<SdkError, Admission> => {
  const roles = rolesOf(actor, subject);
  const rules = transitionOf(command).actors.filter((rule) => ruleHolds(rule, policy));
  const matched = rules.find((rule) => roles[rule.role]);
  if (matched !== undefined) return E.right({ role: matched.role, owner: roles.owner });
  const allowed = [...new Set(rules.map((rule) => describe(rule.role)))];
  return E.left(forbidden(`${command} may be issued only by ${allowed.length === 0 ? 'nobody under this policy' : allowed.join(' or ')}`));
};

/** A locked token's owner cannot act on it: only an admin or the bank may (delete or unlock it). */
export const refuseLockedOwner = (token: Token, admission: Admission, nowMs: number): E.Either<SdkError, void> =>
  admission.owner && isLockedAt(token, nowMs) ? E.left(tokenLocked(token.serial)) : E.right(undefined);
