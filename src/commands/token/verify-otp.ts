import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { CommandHandler, Decision } from '../command-handler.js';
import { checkOtp } from '../confirmation.js';
import { refusal } from '../otp-record.js';
import { forbidden, preconditionFailed, type SdkError } from '../../errors/sdk-error.js';
import { VerifyOtpCodec, type VerifyOtpCommand } from '../../domain/token/commands.js';
import type { TokenHandlerDeps } from './context.js';
import { gatherActor } from '../gather-actor.js';
import { requireTokenActor } from '../../domain/token/authorize.js';
import { firstEvent, replayed, serialOfStream } from './outcomes.js';

/** What VerifyOtp returns: which token confirmed, at which step, with what drift. */
export interface VerifyOtpOutput {
  readonly serial: string;
  /** The accepted TOTP step or HOTP counter; for a lost token's one-time code, its index. */
  readonly step: string;
  readonly drift: number;
  /** Set when a lost token's one-time code confirmed instead of an OTP. */
  readonly factor?: 'recovery-code';
}

/** VerifyOtp: a host's step-up check (a login, say) of a code from the actor's own token. */
export const verifyOtpHandler = (deps: TokenHandlerDeps): CommandHandler<VerifyOtpCommand, VerifyOtpOutput> => ({
  type: 'VerifyOtp',
  codec: VerifyOtpCodec,
  secretFields: ['otp'],
  handle: (command, context) =>
    pipe(
      command.actor.kind === 'user' ? gatherActor(deps.directory, command.actor) : TE.left(forbidden("VerifyOtp may be issued only by the token's owner")),
      TE.chainEitherK(requireTokenActor),
      TE.chain(() => checkOtp(deps.otpEngine)(context, { actor: command.actor, code: command.otp, command: command.type })),
      TE.chainEitherK((check): E.Either<SdkError, Decision<VerifyOtpOutput>> => {
        switch (check._tag) {
          case 'NotEnrolled':
            return E.left(preconditionFailed('enrolled', 'the acting user has no active token to verify a code with'));
          case 'Refused':
            return E.right(refusal(check));
          case 'Confirmed':
            return E.right({
              writes: [check.write],
              output: { serial: check.serial, step: check.match.step.toString(), drift: check.match.drift, ...(check.factor === undefined ? {} : { factor: check.factor }) },
            });
          case 'Signed':
            // VerifyOtp carries no app confirmation, so the rule never answers this here.
            return E.left(preconditionFailed('confirmation-factor', 'VerifyOtp checks a typed code'));
        }
      }),
    ),
  outcomeOf: (events) =>
    replayed(events, () => {
      const accepted = firstEvent(events, 'OtpAccepted');
      if (accepted !== undefined) return { serial: serialOfStream(accepted.streamId), step: accepted.data.step, drift: accepted.data.drift };
      const recovered = firstEvent(events, 'RecoveryCodeUsed');
      return recovered === undefined ? undefined : { serial: serialOfStream(recovered.streamId), step: String(recovered.data.index), drift: 0, factor: 'recovery-code' as const };
    }),
});
