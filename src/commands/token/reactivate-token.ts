import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { CommandHandler } from '../command-handler.js';
import { withOtpRecord } from '../otp-record.js';
import { decideAdmitted } from '../../domain/token/decide.js';
import { tokenStreamId } from '../../domain/token/events.js';
import { ReactivateTokenCodec, type ReactivateTokenCommand } from '../../domain/token/commands.js';
import { forbidden, type SdkError } from '../../errors/sdk-error.js';
import { handOverActivationCode, issueActivationCode, deliveryPort, type ActivationOutput, type TokenHandlerDeps } from './context.js';
import { firstEvent, replayed, serialOfStream } from './outcomes.js';
import { confirmedTokenCommand, type PassedOtpCheck } from './prepare.js';

/** What ReactivateToken returns: the new phone's code went to the owner; the current phone works until the new one enrols. */
export interface ReactivateTokenOutput {
  readonly serial: string;
  readonly activation: ActivationOutput;
}

/** The owner proves themselves with a code: from the old phone, a recovery code while lost, or their physical token. */
const requireOwnerCode = (role: string, check: PassedOtpCheck): E.Either<SdkError, void> =>
  role === 'owner' && check._tag === 'NotEnrolled'
    ? E.left(forbidden('the owner reactivates with a code from the old phone or a recovery code; without one, a company admin or the bank must'))
    : E.right(undefined);

/**
 * ReactivateToken (a new phone, same token): an active or lost soft token gets a new activation
 * code, delivered to the owner through the delivery port. The phone that enrols with it
 * (EnrollDevice) replaces the current one in that commit, whose seed is destroyed then. Who may
 * start it is the company's `reactivationBy` (default: the owner with a code, a company admin with
 * their own, the bank). A second reactivation replaces the pending code.
 */
export const reactivateTokenHandler = (deps: TokenHandlerDeps): CommandHandler<ReactivateTokenCommand, ReactivateTokenOutput> => ({
  type: 'ReactivateToken',
  codec: ReactivateTokenCodec,
  secretFields: ['otp'],
  handle: (command, context) =>
    confirmedTokenCommand(deps, context, command, ({ serial, admitted, version, facts }, check) => {
      const { companyId, userId } = admitted.token;
      // The new phone uses the parameters the token was assigned with.
      const policy = { ...facts.policy, otp: admitted.token.parameters };
      return pipe(
        TE.Do,
        TE.chainFirstEitherK(() => requireOwnerCode(admitted.role, check)),
        // The new phone's code goes through the delivery port only, even when the owner asked: the host's session is not the owner's channel.
        TE.bind('recipient', () => TE.fromEither(deliveryPort(deps, "ReactivateToken needs createSdk's activationCodeDelivery: the new phone's code goes only to the owner, through it"))),
        TE.bind('issued', () => issueActivationCode(deps.vault, context, policy)),
        TE.bind('events', ({ issued }) =>
          TE.fromEither(decideAdmitted({ type: 'ReactivateToken', serial, issue: { ref: issued.issue.ref, expiresAtMs: issued.issue.expiresAtMs } }, admitted, facts)),
        ),
        TE.bind('activation', ({ recipient, issued }) => handOverActivationCode(deps, recipient, issued, { companyId, userId, serial, reason: 'reactivation' })),
        TE.chainEitherK(({ events, activation }) =>
          withOtpRecord(check, { writes: [{ streamId: tokenStreamId(serial), expectedVersion: version, events }], output: { serial, activation } }),
        ),
      );
    }),
  outcomeOf: (events) =>
    replayed(events, () => {
      const started = firstEvent(events, 'ReactivationStarted');
      return started === undefined
        ? undefined
        : {
            serial: serialOfStream(started.streamId),
            activation: { codeDelivery: 'already-issued' as const, activationCodeExpiresAt: started.data.activationCodeExpiresAt, otpParameters: started.data.parameters },
          };
    }),
});
