import * as TE from 'fp-ts/lib/TaskEither.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { CommandHandler, Decision } from '../command-handler.js';
import { fromHostPort } from '../host-port.js';
import { unlessSeedRetired } from '../confirmation.js';
import { withOtpRecord } from '../otp-record.js';
import { judgeResync, resyncLookBack } from '../../domain/otp-rule/rule.js';
import { tokenStreamId } from '../../domain/token/events.js';
import { infrastructure, type SdkError } from '../../errors/sdk-error.js';
import { ResyncTokenCodec, type ResyncTokenCommand } from '../../domain/token/commands.js';
import { type TokenHandlerDeps } from './context.js';
import { firstEvent, replayed, serialOfStream } from './outcomes.js';
import { confirmingOtp, prepareTokenCommand, type PassedOtpCheck } from './prepare.js';

/** What ResyncToken returns: where the token was found. */
export interface ResyncTokenOutput {
  readonly serial: string;
  readonly step: string;
  readonly drift: number;
}

/**
 * ResyncToken: the owner (or a company admin) gives two consecutive codes of a drifted token; the
 * engine searches its resync window for them. A failed resync counts as an OTP failure. The
 * owner's two codes are their proof; an admin acting on another user's token falls under the OTP
 * rule (their own code when enrolled), as for unlocking or deleting it.
 */
export const resyncTokenHandler = (deps: TokenHandlerDeps): CommandHandler<ResyncTokenCommand, ResyncTokenOutput> => ({
  type: 'ResyncToken',
  codec: ResyncTokenCodec,
  secretFields: ['codes', 'otp'],
  handle: (command, context) =>
    pipe(
      prepareTokenCommand(deps, context, command),
      TE.chain(({ serial, admitted, version, facts }) => {
        const { token } = admitted;
        const { seedRef, lastAccepted } = token;
        if (seedRef === undefined) return TE.left(infrastructure(`token ${serial} has no seed reference`));
        const lookBack = resyncLookBack(token.parameters);
        const resync = (check: PassedOtpCheck): TaskEither<SdkError, Decision<ResyncTokenOutput>> =>
          pipe(
            fromHostPort('the OTP engine', () =>
              deps.otpEngine.resync({ serial, seedRef, parameters: token.parameters, codes: command.codes, timeMs: context.now, lookBack, ...(lastAccepted === undefined ? {} : { lastAccepted }) }),
            ),
            TE.chainFirst((verdict) => unlessSeedRetired(context, serial, version, verdict)),
            TE.chainEitherK((verdict) => judgeResync(token, verdict, facts)),
            TE.chainEitherK((judgement) => {
              const write = { streamId: tokenStreamId(serial), expectedVersion: version, events: judgement.events };
              return withOtpRecord(
                check,
                judgement._tag === 'Accepted'
                  ? { writes: [write], output: { serial, step: judgement.match.step.toString(), drift: judgement.match.drift } }
                  : { writes: [write], output: { serial, step: '', drift: 0 }, failure: judgement.error },
              );
            }),
          );
        // The owner's two codes are their proof; an admin confirms with their own OTP first.
        return admitted.role === 'admin' ? confirmingOtp(deps, context, command, resync) : resync({ _tag: 'NotEnrolled' });
      }),
    ),
  outcomeOf: (events) =>
    replayed(events, () => {
      const resynced = firstEvent(events, 'TokenResynced');
      return resynced === undefined ? undefined : { serial: serialOfStream(resynced.streamId), step: resynced.data.step, drift: resynced.data.drift };
    }),
});
