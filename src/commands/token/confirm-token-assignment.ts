import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { CommandHandler } from '../command-handler.js';
import { withOtpRecord } from '../otp-record.js';
import { decideAdmitted } from '../../domain/token/decide.js';
import { tokenStreamId } from '../../domain/token/events.js';
import { ConfirmTokenAssignmentCodec, type ConfirmTokenAssignmentCommand } from '../../domain/token/commands.js';
import { codeRecipient, handOverActivationCode, issueActivationCode, type ActivationCodeOutput, type TokenHandlerDeps } from './context.js';
import { activationIssuedOutcome } from './outcomes.js';
import { confirmedTokenCommand } from './prepare.js';

export type { ActivationCodeOutput } from './context.js';

/**
 * ConfirmTokenAssignment: a company admin confirms a pending assignment (with an OTP when
 * enrolled). An activation code is issued, kept in the vault and handed to the token's owner
 * only: through the host's delivery port, or in the output when the admin is the owner.
 */
export const confirmTokenAssignmentHandler = (deps: TokenHandlerDeps): CommandHandler<ConfirmTokenAssignmentCommand, ActivationCodeOutput> => ({
  type: 'ConfirmTokenAssignment',
  codec: ConfirmTokenAssignmentCodec,
  secretFields: ['otp'],
  handle: (command, context) =>
    confirmedTokenCommand(deps, context, command, ({ serial, admitted, version, facts }, check) => {
      const { companyId, userId } = admitted.token;
      return pipe(
        TE.Do,
        TE.bind('recipient', () => TE.fromEither(codeRecipient(deps, command.type, admitted.owner))),
        TE.bind('issued', () => issueActivationCode(deps.vault, context, facts.policy)),
        TE.bind('events', ({ issued }) => TE.fromEither(decideAdmitted({ type: 'ConfirmTokenAssignment', serial, issue: issued.issue }, admitted, facts))),
        TE.bind('activation', ({ recipient, issued }) => handOverActivationCode(deps, recipient, issued, { companyId, userId, serial, reason: 'assignment' })),
        TE.chainEitherK(({ events, activation }) =>
          withOtpRecord(check, {
            writes: [{ streamId: tokenStreamId(serial), expectedVersion: version, events }],
            output: { serial, status: 'assigned' as const, activation },
          }),
        ),
      );
    }),
  // The activation code itself is handed over once: a replay rebuilds everything else.
  outcomeOf: (events) => activationIssuedOutcome(events, 'TokenAssignmentConfirmed'),
});
