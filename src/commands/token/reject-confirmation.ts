import * as E from 'fp-ts/lib/Either.js';
import * as T from 'fp-ts/lib/Task.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { CommandHandler, Decision } from '../command-handler.js';
import { fromBase64Url } from '../../activation/v2/bytes.js';
import { confirmationMessage } from '../../activation/v2/confirmation-message.js';
import { verifySignature } from '../../activation/v2/p256.js';
import { P256_PUBLIC_KEY_BYTES, P256_SIGNATURE_BYTES } from '../../activation/v2/protocol.js';
import { judgeAppSignature, judgeChallenge } from '../../domain/otp-rule/app-signature.js';
import { RejectConfirmationCodec, type RejectConfirmationCommand } from '../../domain/token/confirmation-commands.js';
import { tokenEvent, tokenStreamId, type ConfirmationRefusal } from '../../domain/token/events.js';
import type { IssuedChallenge, Token } from '../../domain/token/state.js';
import type { SdkError } from '../../errors/sdk-error.js';
import { loadAppFactor } from './app-factor.js';
import type { ConfirmationHandlerDeps } from './request-confirmation.js';
import { firstEvent, replayed, serialOfStream } from './outcomes.js';

/** What RejectConfirmation returns. */
export interface RejectConfirmationOutput {
  readonly serial: string;
  readonly challengeId: string;
  readonly status: 'rejected';
}

/** The challenge named, pending and unexpired, and the app's signature of its rejection. */
const rejectionVerdict = (token: Token, command: RejectConfirmationCommand, nowMs: number): T.Task<E.Either<ConfirmationRefusal, IssuedChallenge>> => {
  const issued = (token.challenges ?? []).find((challenge) => challenge.challengeId === command.challengeId);
  return pipe(
    issued === undefined ? E.left<ConfirmationRefusal, IssuedChallenge>('unknown-challenge') : judgeChallenge(token, issued.challengeId, issued.digest, issued.command, nowMs),
    E.match(
      (refusal) => T.of(E.left(refusal)),
      (pending) => () => signedRejection(token, pending, command.signature),
    ),
  );
};

/** Whether the token's app signed the rejection of `issued`. */
const signedRejection = async (token: Token, issued: IssuedChallenge, signatureText: string): Promise<E.Either<ConfirmationRefusal, IssuedChallenge>> => {
  const key = fromBase64Url(token.signingKey, P256_PUBLIC_KEY_BYTES);
  const signature = fromBase64Url(signatureText, P256_SIGNATURE_BYTES);
  if (key === undefined || token.signingKey === undefined || signature === undefined) return E.left('malformed');
  const message = confirmationMessage('reject', { serial: token.serial, challengeId: issued.challengeId, challenge: issued.challenge, digest: issued.digest });
  return (await verifySignature(key, token.signingKey, message, signature)) ? E.right(issued) : E.left('bad-signature');
};

/**
 * RejectConfirmation: the user said no on the phone. The app's signature of the rejection is
 * checked like an approval's (a wrong one counts toward the lock); the challenge is then void and
 * the rejection recorded (`ConfirmationRejected`), so the command it was for cannot use it.
 */
export const rejectConfirmationHandler = (deps: ConfirmationHandlerDeps): CommandHandler<RejectConfirmationCommand, RejectConfirmationOutput> => ({
  type: 'RejectConfirmation',
  codec: RejectConfirmationCodec,
  handle: (command, context) =>
    pipe(
      loadAppFactor(deps.directory, context, command.actor, command.type),
      TE.chain((factor) =>
        pipe(
          TE.fromTask<E.Either<ConfirmationRefusal, IssuedChallenge>, SdkError>(rejectionVerdict(factor.token, command, context.now)),
          TE.map((verdict): Decision<RejectConfirmationOutput> => {
            const { token } = factor;
            const streamId = tokenStreamId(token.serial);
            const rejected = pipe(verdict, E.getOrElseW(() => undefined));
            if (rejected !== undefined) {
              const event = tokenEvent('ConfirmationRejected', { challengeId: rejected.challengeId, command: rejected.command });
              return { writes: [{ streamId, expectedVersion: factor.version, events: [event] }], output: { serial: token.serial, challengeId: command.challengeId, status: 'rejected' } };
            }
            const judgement = judgeAppSignature(token, verdict, { command: command.type, nowMs: context.now, policy: factor.company.state.policy });
            const failure = judgement._tag === 'Rejected' ? judgement.error : undefined;
            return {
              writes: [{ streamId, expectedVersion: factor.version, events: judgement.events }],
              output: { serial: token.serial, challengeId: command.challengeId, status: 'rejected' },
              ...(failure === undefined ? {} : { failure }),
            };
          }),
        ),
      ),
    ),
  outcomeOf: (events) =>
    replayed(events, () => {
      const rejected = firstEvent(events, 'ConfirmationRejected');
      return rejected === undefined ? undefined : { serial: serialOfStream(rejected.streamId), challengeId: rejected.data.challengeId, status: 'rejected' as const };
    }),
});
