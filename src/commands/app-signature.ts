import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as T from 'fp-ts/lib/Task.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import type { DecisionWrite, HandlerContext } from './command-handler.js';
import type { OtpCheck } from './confirmation.js';
import { fromBase64Url } from '../activation/v2/bytes.js';
import { confirmationMessage } from '../activation/v2/confirmation-message.js';
import { verifySignature } from '../activation/v2/p256.js';
import { P256_PUBLIC_KEY_BYTES, P256_SIGNATURE_BYTES } from '../activation/v2/protocol.js';
import { infrastructure, type SdkError } from '../errors/sdk-error.js';
import type { CompanyPolicy } from '../domain/company/policy.js';
import { judgeAppSignature, judgeChallenge } from '../domain/otp-rule/app-signature.js';
import type { ConfirmationRefusal } from '../domain/token/events.js';
import { tokenStreamId } from '../domain/token/events.js';
import type { IssuedChallenge, Token } from '../domain/token/state.js';

/** What an app confirmation must be: `{ challengeId, signature }`, the signature 64 bytes in base64url. */
const readConfirmation = (input: unknown): E.Either<ConfirmationRefusal, { readonly challengeId: string; readonly signature: Uint8Array }> => {
  if (typeof input !== 'object' || input === null) return E.left('malformed');
  const { challengeId, signature } = input as Readonly<Record<string, unknown>>;
  const bytes = fromBase64Url(signature, P256_SIGNATURE_BYTES);
  return typeof challengeId === 'string' && challengeId.length <= 128 && bytes !== undefined ? E.right({ challengeId, signature: bytes }) : E.left('malformed');
};

/** Whether the token's app signed this challenge for this digest. */
const signatureVerdict = async (token: Token, challenge: IssuedChallenge, signature: Uint8Array): Promise<E.Either<ConfirmationRefusal, IssuedChallenge>> => {
  const key = fromBase64Url(token.signingKey, P256_PUBLIC_KEY_BYTES);
  if (key === undefined || token.signingKey === undefined) return E.left('bad-signature');
  const message = confirmationMessage('approve', { serial: token.serial, challengeId: challenge.challengeId, challenge: challenge.challenge, digest: challenge.digest });
  return (await verifySignature(key, token.signingKey, message, signature)) ? E.right(challenge) : E.left('bad-signature');
};

/**
 * The app-signature factor of the OTP rule: the named challenge must have been issued to this
 * token for this very command (its digest) and be pending and unexpired, and the signature must
 * verify under the token's key. The verdict is recorded on the token's stream at the version read,
 * so a challenge is used at most once, and a refusal counts toward the lock as a wrong code does.
 */
export const checkAppSignature =
  (
    context: HandlerContext,
    request: {
      readonly token: Token;
      readonly version: number;
      readonly confirmation: unknown;
      readonly command: string;
      readonly policy: CompanyPolicy;
    },
  ): TaskEither<SdkError, OtpCheck> =>
  pipe(
    TE.fromNullable(infrastructure('the command runtime gave no command digest to confirm against'))(context.confirmationDigest?.()),
    TE.chainTaskK((digest) => verdictOf(request.token, request.confirmation, digest, request.command, context.now)),
    TE.map((verdict): OtpCheck => {
      const { token, command } = request;
      const judgement = judgeAppSignature(token, verdict, { command, nowMs: context.now, policy: request.policy });
      const write: DecisionWrite = { streamId: tokenStreamId(token.serial), expectedVersion: request.version, events: judgement.events };
      return judgement._tag === 'Accepted'
        ? { _tag: 'Signed', serial: token.serial, challengeId: judgement.challengeId, write }
        : { _tag: 'Refused', serial: token.serial, write, error: judgement.error };
    }),
  );

/** The challenge the confirmation names, once its signature verified; or why not. */
const verdictOf = (token: Token, confirmation: unknown, digest: string, command: string, nowMs: number): T.Task<E.Either<ConfirmationRefusal, IssuedChallenge>> =>
  pipe(
    readConfirmation(confirmation),
    E.bindTo('read'),
    E.bind('challenge', ({ read }) => judgeChallenge(token, read.challengeId, digest, command, nowMs)),
    E.match(
      (refusal) => T.of(E.left(refusal)),
      ({ read, challenge }) => () => signatureVerdict(token, challenge, read.signature),
    ),
  );
