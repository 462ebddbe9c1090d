import * as E from 'fp-ts/lib/Either.js';
import type { CommandHandler } from '../command-handler.js';
import { withOtpRecord } from '../confirmation.js';
import { decideToken } from '../../domain/token/decide.js';
import { tokenStreamId } from '../../domain/token/events.js';
import { ReissueActivationCodeCodec, type ReissueActivationCodeCommand } from './codecs.js';
import type { ActivationCodeOutput } from './context.js';
import { issueActivationCode, type TokenHandlerDeps } from './context.js';
import { activationIssuedOutcome } from './outcomes.js';
import { confirmedTokenCommand } from './prepare.js';

/**
 * ReissueActivationCode: a new activation code for an assigned token (expired, void, or lost); the
 * old one is destroyed. By a company admin, or by the owner when assignments need no confirmation.
 */
export const reissueActivationCodeHandler = (deps: TokenHandlerDeps): CommandHandler<ReissueActivationCodeCommand, ActivationCodeOutput> => ({
  type: 'ReissueActivationCode',
  codec: ReissueActivationCodeCodec,
  secretFields: ['otp'],
  handle: (command, context) => () =>
    confirmedTokenCommand(deps, context, command, async ({ serial, target, company }, check) => {
      // The app must keep using the parameters the token was assigned with.
      const policy = { ...company.state.policy, otp: target.token.parameters };
      const issued = await issueActivationCode(deps.vault, context, policy);
      if (E.isLeft(issued)) return issued;
      const { ref, expiresAtMs } = issued.right.issue;
      const decision = decideToken({ type: 'ReissueActivationCode', serial, issue: { ref, expiresAtMs } }, target.token, { nowMs: context.now, policy });
      if (E.isLeft(decision)) return decision;
      return withOtpRecord(check, {
        writes: [{ streamId: tokenStreamId(serial), expectedVersion: target.version, events: decision.right.events }],
        output: { serial, status: 'assigned' as const, activation: issued.right.output },
      });
    }),
  outcomeOf: (events) => activationIssuedOutcome(events, 'ActivationCodeReissued'),
});
