import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { CommandHandler, Decision } from '../command-handler.js';
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
import { RequestTokenAssignmentCodec, type RequestTokenAssignmentCommand } from '../../domain/token/commands.js';
import {
  codeRecipient,
  handOverActivationCode,
  issueActivationCode,
  loadCompany,
  type ActivationOutput,
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
  handle: (command, context) => {
    const { actor } = command;
    const companyId = actor.kind === 'user' ? actor.companyId : '';
    const userId = command.userId ?? (actor.kind === 'user' ? actor.userId : '');
    return pipe(
      TE.Do,
      TE.bind('facts', () => pipe(gatherActor(deps.directory, actor), TE.chainEitherK(requireTokenActor))),
      TE.bind('loaded', () => loadCompany(context, companyId)),
      // Authorized before the company's configuration and the target user are looked at.
      TE.bind('admission', ({ facts, loaded }) => TE.fromEither(authorize('RequestTokenAssignment', facts, { companyId, userId }, loaded.state.policy))),
      TE.bind('company', ({ loaded }) => TE.fromEither(requireConfigured(loaded.state, companyId))),
      TE.bind('target', () => pipe(exactDirectoryUser(deps.directory, companyId, userId, userIdAlias), TE.chainEitherK((found) => requireEligible(found, companyId, userId)))),
      TE.let('serial', () => drawSerial(context.random, deps.serialPrefix)),
      TE.bind('slot', ({ company, serial }) => TE.fromEither(decideReserveSlot(company, { companyId, userId, serial }))),
      // Under assignmentConfirmation none the token is assigned at once: its code goes to the owner alone.
      TE.bind('assignAtOnce', ({ company, admission }) =>
        company.policy.assignmentConfirmation === 'none'
          ? pipe(
              TE.fromEither(codeRecipient(deps, 'RequestTokenAssignment', admission.owner)),
              TE.chain((recipient) =>
                pipe(
                  issueActivationCode(deps.vault, context, company.policy),
                  TE.map((issued) => ({ recipient, issued })),
                ),
              ),
            )
          : TE.right(undefined),
      ),
      TE.bind('events', ({ serial, assignAtOnce }) =>
        TE.fromEither(
          decideNewToken(
            {
              type: 'RequestTokenAssignment',
              identity: { serial, companyId, userId },
              ...(assignAtOnce === undefined ? {} : { assignAtOnce: assignAtOnce.issued.issue }),
            },
            initialTokenState,
          ),
        ),
      ),
      TE.bind('activation', ({ serial, assignAtOnce }) =>
        assignAtOnce === undefined
          ? TE.right(undefined)
          : handOverActivationCode(deps, assignAtOnce.recipient, assignAtOnce.issued, { companyId, userId, serial, reason: 'assignment' }),
      ),
      TE.map(({ loaded, slot, serial, events, activation }): Decision<RequestTokenAssignmentOutput> => ({
        writes: [
          { streamId: companyStreamId(companyId), expectedVersion: loaded.version, events: slot },
          { streamId: tokenStreamId(serial), expectedVersion: 'no-stream', events },
        ],
        output: {
          serial,
          userId,
          status: activation === undefined ? 'pending' : 'assigned',
          ...(activation === undefined ? {} : { activation }),
        },
      })),
    );
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
