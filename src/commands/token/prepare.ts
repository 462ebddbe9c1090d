import * as E from 'fp-ts/lib/Either.js';
import type { Decision, HandlerContext } from '../command-handler.js';
import { checkOtp, refusal, type OtpCheck } from '../confirmation.js';
import { authorize, refuseLockedOwner, type ActorRoles } from '../../domain/token/authorize.js';
import { requireTransition } from '../../domain/token/decide.js';
import type { ActorRole, TokenCommandType } from '../../domain/token/transitions.js';
import type { SdkError } from '../../errors/sdk-error.js';
import type { Actor } from '../../events/envelope.js';
import type { DirectoryUser } from '../../ports/directory.js';
import { actingUser, loadTarget, rolesOf, run, serialField, type LoadedCompany, type LoadedToken, type TokenHandlerDeps } from './context.js';

/** Everything a command about an existing token has checked before it looks at an OTP. */
export interface PreparedTokenCommand {
  readonly serial: string;
  readonly user: DirectoryUser | undefined;
  readonly target: LoadedToken;
  readonly company: LoadedCompany;
  readonly roles: ActorRoles;
  /** The role the table let the actor act in. */
  readonly role: ActorRole;
}

/**
 * The common checks of a command about an existing token, cheapest and least revealing first:
 * the actor is an active user (or the bank), the token exists, the actor may issue the command
 * under the company's policy, the token's state allows it, and a locked token's owner is refused.
 * Only then does the OTP rule run, so a refused command never spends or counts a code.
 */
export const prepareTokenCommand = async (
  deps: TokenHandlerDeps,
  context: HandlerContext,
  command: { readonly type: TokenCommandType; readonly serial: string; readonly actor: Actor },
): Promise<E.Either<SdkError, PreparedTokenCommand>> => {
  const serial = serialField(command.serial);
  if (E.isLeft(serial)) return serial;
  const user = await actingUser(deps.directory, command.actor);
  if (E.isLeft(user)) return user;
  const loaded = await loadTarget(context, serial.right, command.actor);
  if (E.isLeft(loaded)) return loaded;
  const { target, company } = loaded.right;
  const roles = rolesOf(command.actor, user.right, target.token);
  const role = authorize(command.type, roles, company.state.policy);
  if (E.isLeft(role)) return role;
  const transition = requireTransition(command.type, target.token, serial.right, context.now);
  if (E.isLeft(transition)) return transition;
  const unlockedOwner = refuseLockedOwner(target.token, roles, context.now);
  if (E.isLeft(unlockedOwner)) return unlockedOwner;
  return E.right({ serial: serial.right, user: user.right, target, company, roles, role: role.right });
};

/** The OTP rule's verdict once a refusal is ruled out: the actor is not enrolled, or confirmed a code. */
export type PassedOtpCheck = Exclude<OtpCheck, { readonly _tag: 'Refused' }>;

/**
 * A command about an existing token that the OTP rule guards: the common checks, then the OTP
 * rule (a refused code is recorded and fails the command), then `decide` with what was checked.
 */
export const confirmedTokenCommand = async <O>(
  deps: TokenHandlerDeps,
  context: HandlerContext,
  command: { readonly type: TokenCommandType; readonly serial: string; readonly actor: Actor; readonly otp?: unknown },
  decide: (prepared: PreparedTokenCommand, check: PassedOtpCheck) => E.Either<SdkError, Decision<O>> | Promise<E.Either<SdkError, Decision<O>>>,
): Promise<E.Either<SdkError, Decision<O>>> => {
  const prepared = await prepareTokenCommand(deps, context, command);
  if (E.isLeft(prepared)) return prepared;
  const check = await run(checkOtp(deps.otpEngine)(context, { actor: command.actor, code: command.otp, command: command.type }));
  if (E.isLeft(check)) return check;
  if (check.right._tag === 'Refused') return E.right(refusal(check.right));
  return decide(prepared.right, check.right);
};
