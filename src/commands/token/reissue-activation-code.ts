import * as E from 'fp-ts/lib/Either.js';
import type { CommandHandler } from '../command-handler.js';
import { withOtpRecord } from '../confirmation.js';
import { decideToken } from '../../domain/token/decide.js';
import { tokenStreamId } from '../../domain/token/events.js';
import { ReissueActivationCodeCodec, type ReissueActivationCodeCommand } from '../../domain/token/commands.js';
import type { ActivationCodeOutput } from './context.js';
import { codeRecipient, handOverActivationCode, issueActivationCode, type TokenHandlerDeps } from './context.js';
import { activationIssuedOutcome } from './outcomes.js';
import { confirmedTokenCommand } from './prepare.js';

/**
 * ReissueActivationCode: a new activation code for an assigned token (expired, void, or lost); the
 * old one is destroyed. By a company admin, or by the owner when assignments need no confirmation.
 * The new code reaches only the owner: in the output when they are the actor, else through the
 * host's delivery port.
 */
export const reissueActivationCodeHandler = (deps: TokenHandlerDeps): CommandHandler<ReissueActivationCodeCommand, ActivationCodeOutput> => ({
  type: 'ReissueActivationCode',
  codec: ReissueActivationCodeCodec,
  secretFields: ['otp'],
  handle: (command, context) => () =>
    confirmedTokenCommand(deps, context, command, async ({ serial, target, company, roles }, check) => {
      const recipient = codeRecipient(deps, command.type, roles.owner);
      if (E.isLeft(recipient)) return recipient;
      // The app must keep using the parameters the token was assigned with.
      const policy = { ...company.state.policy, otp: target.token.parameters };
      const issued = await issueActivationCode(deps.vault, context, policy);
      if (E.isLeft(issued)) return issued;
      const { ref, expiresAtMs } = issued.right.issue;
      const decision = decideToken({ type: 'ReissueActivationCode', serial, issue: { ref, expiresAtMs } }, target.token, { nowMs: context.now, policy });
      if (E.isLeft(decision)) return decision;
      const { companyId, userId } = target.token;
      const activation = await handOverActivationCode(deps, recipient.right, issued.right, { companyId, userId, serial, reason: 'reissue' });
      if (E.isLeft(activation)) return activation;
      return withOtpRecord(check, {
        writes: [{ streamId: tokenStreamId(serial), expectedVersion: target.version, events: decision.right.events }],
        output: { serial, status: 'assigned' as const, activation: activation.right },
      });
    }),
  outcomeOf: (events) => activationIssuedOutcome(events, 'ActivationCodeReissued'),
});
