import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { CommandHandler } from '../command-handler.js';
import { withOtpRecord } from '../otp-record.js';
import { decideAdmitted } from '../../domain/token/decide.js';
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
  handle: (command, context) =>
    confirmedTokenCommand(deps, context, command, ({ serial, admitted, version, facts }, check) => {
      const { companyId, userId } = admitted.token;
      // The app must keep using the parameters the token was assigned with.
      const policy = { ...facts.policy, otp: admitted.token.parameters };
      return pipe(
        TE.Do,
        TE.bind('recipient', () => TE.fromEither(codeRecipient(deps, command.type, admitted.owner))),
        TE.bind('issued', () => issueActivationCode(deps.vault, context, policy)),
        TE.bind('events', ({ issued }) =>
          TE.fromEither(decideAdmitted({ type: 'ReissueActivationCode', serial, issue: { ref: issued.issue.ref, expiresAtMs: issued.issue.expiresAtMs } }, admitted, { ...facts, policy })),
        ),
        TE.bind('activation', ({ recipient, issued }) => handOverActivationCode(deps, recipient, issued, { companyId, userId, serial, reason: 'reissue' })),
        TE.chainEitherK(({ events, activation }) =>
          withOtpRecord(check, {
            writes: [{ streamId: tokenStreamId(serial), expectedVersion: version, events }],
            output: { serial, status: 'assigned' as const, activation },
          }),
        ),
      );
    }),
  outcomeOf: (events) => activationIssuedOutcome(events, 'ActivationCodeReissued'),
});
