import * as E from 'fp-ts/lib/Either.js';
import type { CommandHandler } from '../command-handler.js';
import { withOtpRecord } from '../confirmation.js';
import { decideToken } from '../../domain/token/decide.js';
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
  handle: (command, context) => () =>
    confirmedTokenCommand(deps, context, command, async ({ serial, target, company, roles }, check) => {
      const recipient = codeRecipient(deps, command.type, roles.owner);
      if (E.isLeft(recipient)) return recipient;
      const issued = await issueActivationCode(deps.vault, context, company.state.policy);
      if (E.isLeft(issued)) return issued;
      const decision = decideToken({ type: 'ConfirmTokenAssignment', serial, issue: issued.right.issue }, target.token, { nowMs: context.now, policy: company.state.policy });
      if (E.isLeft(decision)) return decision;
      const { companyId, userId } = target.token;
      const activation = await handOverActivationCode(deps, recipient.right, issued.right, { companyId, userId, serial, reason: 'assignment' });
      if (E.isLeft(activation)) return activation;
      return withOtpRecord(check, {
        writes: [{ streamId: tokenStreamId(serial), expectedVersion: target.version, events: decision.right.events }],
        output: { serial, status: 'assigned' as const, activation: activation.right },
      });
    }),
  // The activation code itself is handed over once: a replay rebuilds everything else.
  outcomeOf: (events) => activationIssuedOutcome(events, 'TokenAssignmentConfirmed'),
});
