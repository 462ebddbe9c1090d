import * as E from 'fp-ts/lib/Either.js';
import { forbidden, tokenLocked, type SdkError } from '../../errors/sdk-error.js';
import type { CompanyPolicy } from '../company/policy.js';
import { isLockedAt, type Token } from './state.js';
import { transitionOf, type ActorRole, type ActorRule, type TokenCommandType } from './transitions.js';

/** What the acting party is, relative to the token a command is about. */
export interface ActorRoles {
  /** A company admin of the token's company, per the Directory. */
  readonly admin: boolean;
  /** The token's own user. */
  readonly owner: boolean;
  /** A bank operator. */
  readonly bank: boolean;
}

const holds = (rule: ActorRule, policy: CompanyPolicy): boolean => {
  if (rule.when === undefined) return true;
  return 'activation' in rule.when ? policy.activation === rule.when.activation : policy.assignmentConfirmation === rule.when.assignmentConfirmation;
};

const describe = (role: ActorRole): string =>
  role === 'admin' ? 'a company admin' : role === 'owner' ? "the token's owner" : 'a bank operator';

/**
 * Which of the table's actor rules lets this actor issue the command under the company's policy.
 * The role that matched first (in table order) is returned: it is what the events record.
 */
export const authorize = (command: TokenCommandType, roles: ActorRoles, policy: CompanyPolicy): E.Either<SdkError, ActorRole> => {
  const rules = transitionOf(command).actors.filter((rule) => holds(rule, policy));
  const matched = rules.find((rule) => roles[rule.role]);
  if (matched !== undefined) return E.right(matched.role);
  const allowed = [...new Set(rules.map((rule) => describe(rule.role)))];
  return E.left(forbidden(`${command} may be issued only by ${allowed.length === 0 ? 'nobody under this policy' : allowed.join(' or ')}`));
};

/** A locked token's owner cannot act on it: only an admin or the bank may (delete or unlock it). */
export const refuseLockedOwner = (token: Token, roles: ActorRoles, nowMs: number): E.Either<SdkError, void> =>
  roles.owner && isLockedAt(token, nowMs) ? E.left(tokenLocked(token.serial)) : E.right(undefined);
