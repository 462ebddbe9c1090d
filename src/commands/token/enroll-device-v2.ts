import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { CommandHandler, Decision, HandlerContext } from '../command-handler.js';
import { fromHostPort } from '../host-port.js';
import { withOtpRecord } from '../otp-record.js';
import { toBase64Url } from '../../activation/v2/bytes.js';
import { answerActivationV2, parseActivationV2Request, type ActivationV2Answer, type ParsedActivationV2Request } from '../../activation/v2/server.js';
import { requireUsableActivationCode } from '../../domain/token/admit.js';
import { EnrollDeviceV2Codec, type EnrollDeviceV2Command } from '../../domain/token/confirmation-commands.js';
import { decideAdmitted, tokenRefusal, type ExistingTokenCommand } from '../../domain/token/decide.js';
import { tokenStreamId } from '../../domain/token/events.js';
import { registrationCodeInvalid, type SdkError } from '../../errors/sdk-error.js';
import { activationCodeFromVault } from './activation-code-from-vault.js';
import { newSecretRef, type TokenHandlerDeps } from './context.js';
import { firstEvent, replayed, serialOfStream } from './outcomes.js';
import { confirmingOtp, prepareTokenCommand, type PassedOtpCheck, type PreparedTokenCommand } from './prepare.js';

/** What EnrollDeviceV2 returns: the server's half of the exchange, for the app to finish with. */
export interface EnrollDeviceV2Output extends ActivationV2Answer {
  readonly serial: string;
  readonly status: 'pending-activation';
  readonly protocol: 2;
}

type Enrolment = Extract<ExistingTokenCommand, { readonly type: 'EnrollDevice' }>;

/** The enrolment for `decide`, and what the app is answered when the proof held. */
interface Outcome {
  readonly enrolment: Enrolment;
  readonly answer?: ActivationV2Answer;
}

/** The proof checked against the activation code in the vault; on success the seed is stored and the keys recorded. */
const enrolV2 = (
  deps: TokenHandlerDeps,
  context: HandlerContext,
  { serial, admitted, version, facts }: PreparedTokenCommand,
  request: ParsedActivationV2Request,
  activationCodeRef: string,
  check: PassedOtpCheck,
): TaskEither<SdkError, Decision<EnrollDeviceV2Output>> =>
  pipe(
    activationCodeFromVault(deps, context, serial, version, activationCodeRef),
    TE.chain((activationCode) => TE.fromTask(() => answerActivationV2(activationCode, request))),
    TE.chain(
      E.match(
        // A wrong proof is a guess of the activation code, counted; a proof that holds over a key off the curve is not.
        (refusal): TaskEither<SdkError, Outcome> =>
          refusal._tag === 'mismatch'
            ? TE.right({ enrolment: { type: 'EnrollDevice', serial, method: 'activation-code', registration: { valid: false } } })
            : TE.left(registrationCodeInvalid(serial)),
        (answered): TaskEither<SdkError, Outcome> => {
          const seedRef = newSecretRef(context.random, 'seed');
          const { answer } = answered;
          const device = { signingKey: toBase64Url(request.offer.signingKey), ...answer };
          return pipe(
            fromHostPort('the secret vault', () => deps.vault.put(seedRef, answered.seed)),
            TE.map((): Outcome => ({ enrolment: { type: 'EnrollDevice', serial, method: 'activation-code', registration: { valid: true, seedRef, device } }, answer })),
          );
        },
      ),
    ),
    TE.chainEitherK(({ enrolment, answer }) =>
      pipe(
        decideAdmitted(enrolment, admitted, facts),
        E.chain((events) => {
          const failure = tokenRefusal(events, serial);
          return withOtpRecord(check, {
            writes: [{ streamId: tokenStreamId(serial), expectedVersion: version, events }],
            output: { serial, status: 'pending-activation' as const, protocol: 2 as const, serverKey: answer?.serverKey ?? '', keyConfirmation: answer?.keyConfirmation ?? '' },
            ...(failure === undefined ? {} : { failure }),
          });
        }),
      ),
    ),
  );

/**
 * EnrollDeviceV2: activation protocol v2 (online, docs/activation-protocol.md). The owner's app,
 * through the host that authenticated them, sends fresh P-256 keys and the proof of the activation
 * code over them; the server checks the proof, answers with its ephemeral key, derives the seed
 * from the key agreement and the whole transcript, stores it in the vault and records the app's
 * public signing key on the token (`DeviceEnrolled.signingKey`), which then confirms commands by
 * signature. Admitted and counted like `EnrollDevice`: a wrong proof uses one registration attempt.
 */
export const enrollDeviceV2Handler = (deps: TokenHandlerDeps): CommandHandler<EnrollDeviceV2Command, EnrollDeviceV2Output> => ({
  type: 'EnrollDeviceV2',
  codec: EnrollDeviceV2Codec,
  secretFields: ['otp'],
  handle: (command, context) =>
    pipe(
      // The same row of the lifecycle table as EnrollDevice: the owner, from `assigned`.
      prepareTokenCommand(deps, context, { type: 'EnrollDevice', serial: command.serial, actor: command.actor }),
      TE.bindTo('prepared'),
      TE.bind('usable', ({ prepared }) => TE.fromEither(requireUsableActivationCode(prepared.admitted.token, context.now))),
      // Malformed keys or proof carry no guess: refused, not counted.
      TE.bind('request', ({ prepared }) => TE.fromEither(E.mapLeft(() => registrationCodeInvalid(prepared.serial))(parseActivationV2Request(prepared.serial, command)))),
      TE.chain(({ prepared, usable, request }) => confirmingOtp(deps, context, command, (check) => enrolV2(deps, context, prepared, request, usable.ref, check))),
    ),
  outcomeOf: (events) =>
    replayed(events, () => {
      const enrolled = firstEvent(events, 'DeviceEnrolled');
      const { serverKey, keyConfirmation } = enrolled?.data ?? {};
      return enrolled === undefined || serverKey === undefined || keyConfirmation === undefined
        ? undefined
        : { serial: serialOfStream(enrolled.streamId), status: 'pending-activation' as const, protocol: 2 as const, serverKey, keyConfirmation };
    }),
});
