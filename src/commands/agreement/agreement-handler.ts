import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type * as t from 'io-ts';
import type { CommandHandler, Decision, HandlerContext } from '../command-handler.js';
import { exactDirectoryUser, userIdAlias } from '../directory-lookup.js';
import type { SdkError } from '../../errors/sdk-error.js';
import type { Actor } from '../../events/envelope.js';
import type { Directory } from '../../ports/directory.js';
import { agreementFold } from '../../domain/order/folds.js';
import { gatherActor } from '../order/deps.js';
import type { AgreementCommand } from '../../domain/agreement/commands.js';
import { decideAgreement } from '../../domain/agreement/decide.js';
import { agreementStreamId } from '../../domain/agreement/ids.js';

/** What an agreement command answers: the agreement, and whether it changed (granting a held level changes nothing). */
export interface AgreementOutput {
  readonly companyId: string;
  readonly serviceId: string;
  readonly changed: boolean;
}

const granteeActive = (directory: Directory, command: AgreementCommand): TaskEither<SdkError, boolean> =>
  command.type === 'GrantApprover'
    ? pipe(
        exactDirectoryUser(directory, command.companyId, command.userId, userIdAlias),
        TE.map((user) => user !== undefined && user.companyId === command.companyId && user.userId === command.userId && user.active),
      )
    : TE.right(false);

const decideOn = (directory: Directory, command: AgreementCommand, actor: Actor, context: HandlerContext): TaskEither<SdkError, Decision<AgreementOutput>> => {
  const streamId = agreementStreamId(command.companyId, command.serviceId);
  return pipe(
    TE.Do,
    TE.bind('actor', () => gatherActor(directory, actor)),
    TE.bind('granteeActive', () => granteeActive(directory, command)),
    TE.bind('agreement', () => context.load(streamId, agreementFold)),
    TE.chainEitherK(({ actor: facts, granteeActive: active, agreement }) =>
      pipe(
        decideAgreement(command, agreement.state, { actor: facts, granteeActive: active }),
        E.map(
          (events): Decision<AgreementOutput> => ({
            writes: events.length === 0 ? [] : [{ streamId, expectedVersion: agreement.version, events }],
            output: { companyId: command.companyId, serviceId: command.serviceId, changed: events.length > 0 },
          }),
        ),
      ),
    ),
  );
};

/** The one shell of the agreement commands: gather the actor and grantee facts, load the agreement, decide. */
export const agreementHandler = <C extends AgreementCommand & { readonly actor: Actor }>(directory: Directory, type: C['type'], codec: t.Decoder<unknown, C>): CommandHandler<C, AgreementOutput> => ({
  type,
  codec,
  handle: (command, context) => decideOn(directory, command, command.actor, context),
  outcomeOf: (events, command) => E.right({ companyId: command.companyId, serviceId: command.serviceId, changed: events.length > 0 }),
});
