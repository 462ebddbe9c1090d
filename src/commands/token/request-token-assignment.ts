import * as E from 'fp-ts/lib/Either.js';
import type { CommandHandler } from '../command-handler.js';
import { exactDirectoryUser, userIdAlias } from '../directory-lookup.js';
import { decideReserveSlot, requireConfigured } from '../../domain/company/decide.js';
import { companyStreamId } from '../../domain/company/events.js';
import { authorize, requireTokenActor } from '../../domain/token/authorize.js';
import { gatherActor } from '../gather-actor.js';
import { decideNewToken } from '../../domain/token/decide.js';
import { tokenStreamId } from '../../domain/token/events.js';
import { drawSerial } from './draw-serial.js';
import { initialTokenState } from '../../domain/token/state.js';
import { notFound, preconditionFailed, type SdkError } from '../../errors/sdk-error.js';
import type { DirectoryUser } from '../../ports/directory.js';
import { RequestTokenAssignmentCodec, type RequestTokenAssignmentCommand } from './codecs.js';
import {
  codeRecipient,
  displayNameOf,
  handOverActivationCode,
  issueActivationCode,
  loadCompany,
  type ActivationOutput,
  type IssuedActivationCode,
  type TokenHandlerDeps,
} from './context.js';
import { firstEvent, replayed, serialOfStream } from './outcomes.js';

/**
 * What RequestTokenAssignment returns. Under `assignmentConfirmation: 'none'` the token is assigned
 * at once and its activation code goes to the owner: in this output when the owner asked, else
 * through the host's delivery port.
 */
export interface RequestTokenAssignmentOutput {
  readonly serial: string;
  readonly userId: string;
  readonly status: 'pending' | 'assigned';
  readonly activation?: ActivationOutput;
}

/** The directory's answer about the user a token is requested for: active, with email and mobile. */
const requireEligible = (user: DirectoryUser | undefined, companyId: string, userId: string): E.Either<SdkError, DirectoryUser> => {
  if (user === undefined) return E.left(notFound('user', `${companyId}/${userId}`));
  if (!user.active) return E.left(preconditionFailed('user-active', `user ${userId} is not active`));
  if (user.email === undefined || user.email.trim() === '') return E.left(preconditionFailed('user-email', `user ${userId} has no email address`));
  if (user.mobile === undefined || user.mobile.trim() === '') return E.left(preconditionFailed('user-mobile', `user ${userId} has no mobile number`));
  return E.right(user);
};

/**
 * RequestTokenAssignment: a company admin (or the user themself) asks for a soft token. Reserves
 * a quota slot in the company stream and creates the token stream under a new serial, in one
 * atomic append (`no-stream` on the token stream makes the serial unique; a collision is a
 * conflict, and the retry draws another serial).
 */
export const requestTokenAssignmentHandler = (deps: TokenHandlerDeps): CommandHandler<RequestTokenAssignmentCommand, RequestTokenAssignmentOutput> => ({
  type: 'RequestTokenAssignment',
  codec: RequestTokenAssignmentCodec,
  handle: (command, context) => async () => {
    const { actor } = command;
    const gathered = await gatherActor(deps.directory, actor)();
    if (E.isLeft(gathered)) return gathered;
    const facts = requireTokenActor(gathered.right);
    if (E.isLeft(facts)) return facts;
    const companyId = actor.kind === 'user' ? actor.companyId : '';
    const userId = command.userId ?? (actor.kind === 'user' ? actor.userId : '');
    const loaded = await loadCompany(context, companyId)();
    if (E.isLeft(loaded)) return loaded;
    const allowed = authorize('RequestTokenAssignment', facts.right, { companyId, userId }, loaded.right.state.policy);
    if (E.isLeft(allowed)) return allowed;
    const company = requireConfigured(loaded.right.state, companyId);
    if (E.isLeft(company)) return company;
    const found = await (exactDirectoryUser(deps.directory, companyId, userId, userIdAlias))();
    if (E.isLeft(found)) return found;
    const target = requireEligible(found.right, companyId, userId);
    if (E.isLeft(target)) return target;

    const serial = drawSerial(context.random, deps.serialPrefix);
    const slot = decideReserveSlot(company.right, { companyId, userId, serial });
    if (E.isLeft(slot)) return slot;
    const assignsAtOnce = company.right.policy.assignmentConfirmation === 'none';
    const recipient = assignsAtOnce ? codeRecipient(deps, 'RequestTokenAssignment', allowed.right.owner) : undefined;
    if (recipient !== undefined && E.isLeft(recipient)) return recipient;
    let assignAtOnce: IssuedActivationCode | undefined;
    if (assignsAtOnce) {
      const issued = await issueActivationCode(deps.vault, context, company.right.policy)();
      if (E.isLeft(issued)) return issued;
      assignAtOnce = issued.right;
    }
    // Authorized above, before the company and the target user were looked at.
    const token = decideNewToken(
      {
        type: 'RequestTokenAssignment',
        identity: { serial, companyId, userId, userName: displayNameOf(target.right) },
        ...(assignAtOnce === undefined ? {} : { assignAtOnce: assignAtOnce.issue }),
      },
      initialTokenState,
    );
    if (E.isLeft(token)) return token;
    let activation: ActivationOutput | undefined;
    if (assignAtOnce !== undefined && recipient !== undefined) {
      const handed = await handOverActivationCode(deps, recipient.right, assignAtOnce, { companyId, userId, serial, reason: 'assignment' })();
      if (E.isLeft(handed)) return handed;
      activation = handed.right;
    }
    return E.right({
      writes: [
        { streamId: companyStreamId(companyId), expectedVersion: loaded.right.version, events: slot.right },
        { streamId: tokenStreamId(serial), expectedVersion: 'no-stream', events: token.right },
      ],
      output: {
        serial,
        userId,
        status: activation === undefined ? 'pending' : 'assigned',
        ...(activation === undefined ? {} : { activation }),
      },
    });
  },
  outcomeOf: (events) =>
    replayed(events, () => {
      const requested = firstEvent(events, 'TokenRequested');
      if (requested === undefined) return undefined;
      const confirmed = firstEvent(events, 'TokenAssignmentConfirmed');
      return {
        serial: serialOfStream(requested.streamId),
        userId: requested.data.userId,
        status: confirmed === undefined ? 'pending' : 'assigned',
        ...(confirmed === undefined
          ? {}
          : {
              activation: {
                codeDelivery: 'already-issued' as const,
                activationCodeExpiresAt: confirmed.data.activationCodeExpiresAt,
                otpParameters: confirmed.data.parameters,
              },
            }),
      };
    }),
});
