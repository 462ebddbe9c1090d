/**
 * The shell of dynamic linking: an approval a policy puts under it is confirmed by the approver's
 * OCRA response over the batch's digest (docs/dynamic-linking.md), checked by the same OTP rule as a
 * code (the actor's factor, its lock, failures counted, the record in the same append), with the
 * engine's `verifyOcra` in place of `verify`. A plain TOTP code is an OCRA mismatch: refused, counted.
 *
 * The seam for the app-signature factor (device keys, another issue): a second `DynamicLinkingCheck`
 * that verifies the device's signature over `linking.digest` instead of an OCRA response; the
 * approval handler chooses between them by what the approver sends.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { HandlerContext } from '../command-handler.js';
import type { OtpCheck, OtpConfirmationRequest } from '../confirmation.js';
import { checkOtp } from '../confirmation.js';
import { preconditionFailed, type SdkError } from '../../errors/sdk-error.js';
import type { OtpEngine, OtpMatch, OtpVerificationRequest } from '../../otp/engine.js';
import type { OtpRejection } from '../../otp/rejection.js';
import { unavailable } from '../../otp/rejection.js';
import type { MaybePromise } from '../../ports/maybe-async.js';

/** What dynamic linking binds the response to: the suite and the question derived from the batch's digest. */
export interface DynamicLinkingChallenge {
  readonly suite: string;
  readonly question: string;
}

/** The dynamic-linking rule: like `checkOtp`, for the OCRA response to `linking`'s question. */
export type DynamicLinkingCheck = (context: HandlerContext, request: OtpConfirmationRequest, linking: DynamicLinkingChallenge) => TaskEither<SdkError, OtpCheck>;

const mapAnswer = <A, B>(answer: MaybePromise<A>, f: (value: A) => B): MaybePromise<B> => (answer instanceof Promise ? answer.then(f) : f(answer));

/**
 * `engine` with `verify` answering the OCRA question instead of a TOTP/HOTP code. An accepted
 * response leaves the token's TOTP/HOTP position where it was (the match repeats its last accepted
 * step and drift): the OCRA time step is of another clock, and the approval it confirms cannot be
 * given twice by the same approver, which is what a replayed response could attempt.
 */
const ocraAsVerify =
  (engine: OtpEngine, linking: DynamicLinkingChallenge) =>
  (request: OtpVerificationRequest): MaybePromise<Either<OtpRejection, OtpMatch>> =>
    engine.verifyOcra === undefined
      ? E.left(unavailable('the OTP engine cannot verify dynamic-linking responses'))
      : mapAnswer(
          engine.verifyOcra({ serial: request.serial, seedRef: request.seedRef, suite: linking.suite, question: linking.question, response: request.code, timeMs: request.timeMs }),
          E.map((): OtpMatch => ({ step: request.lastAccepted ?? 0n, drift: request.drift ?? 0 })),
        );

/**
 * The dynamic-linking rule over `engine`. An approver with no active token cannot confirm a
 * dynamic-linking approval at all (`PreconditionFailed`, precondition `enrolled`): unlike the OTP
 * rule, there is no going on without a factor.
 */
export const checkDynamicLinking =
  (engine: OtpEngine): DynamicLinkingCheck =>
  (context, request, linking) =>
    pipe(
      checkOtp({ ...engine, verify: ocraAsVerify(engine, linking) })(context, request),
      TE.chain((check) =>
        check._tag === 'NotEnrolled'
          ? TE.left(preconditionFailed('enrolled', `${request.command} is under dynamic linking: it needs the approver's active soft token`))
          : TE.right(check),
      ),
    );
