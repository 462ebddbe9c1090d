import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { CommandHandler, Decision, HandlerContext } from '../command-handler.js';
import { fromHostPort } from '../host-port.js';
import { verifyRegistration } from '../../activation/exchange.js';
import { parseRegistrationCode } from '../../activation/registration-code.js';
import { withOtpRecord } from '../otp-record.js';
import { requireUsableActivationCode } from '../../domain/token/admit.js';
import { decideAdmitted, tokenRefusal } from '../../domain/token/decide.js';
import { tokenStreamId, type EnrollmentMethod } from '../../domain/token/events.js';
import { preconditionFailed, registrationCodeInvalid, type SdkError } from '../../errors/sdk-error.js';
import { EnrollDeviceCodec, type EnrollDeviceCommand } from '../../domain/token/commands.js';
import { newSecretRef, type TokenHandlerDeps } from './context.js';
import { activationCodeFromVault } from './activation-code-from-vault.js';
import { firstEvent, replayed, serialOfStream } from './outcomes.js';
import { confirmingOtp, prepareTokenCommand, type PassedOtpCheck, type PreparedTokenCommand } from './prepare.js';

/** What EnrollDevice returns. */
export interface EnrollDeviceOutput {
  readonly serial: string;
  /** `active` when the enrolment completed a reactivation: the new phone replaced the old one. */
  readonly status: 'pending-activation' | 'active';
  readonly method: EnrollmentMethod;
}

/** After the OTP rule: the method, the registration verdict from the activation code in the vault, the seed stored, the events. */
const enroll = (
  deps: TokenHandlerDeps,
  context: HandlerContext,
  command: EnrollDeviceCommand,
  { serial, admitted, version, company, facts }: PreparedTokenCommand,
  activationCodeRef: string,
  check: PassedOtpCheck,
): TaskEither<SdkError, Decision<EnrollDeviceOutput>> => {
  const physical = company.state.holdings.get(admitted.token.userId)?.physical;
  const physicalConfirmed = check._tag === 'Confirmed' && check.serial === physical;
  const requested = command.method ?? 'activation-code';
  if (requested === 'credentials+physical-token' && !physicalConfirmed) {
    return TE.left(preconditionFailed('physical-token', 'enrolling with a physical token needs an active physical token and its current code'));
  }
  const method: EnrollmentMethod = requested === 'credentials' && physicalConfirmed ? 'credentials+physical-token' : requested;
  type Registration = { readonly valid: true; readonly seedRef: string } | { readonly valid: false };
  return pipe(
    activationCodeFromVault(deps, context, serial, version, activationCodeRef),
    TE.map((activationCode) => verifyRegistration({ serial, activationCode, registrationCode: command.registrationCode })),
    TE.chain(
      E.match(
        (): TaskEither<SdkError, Registration> => TE.right({ valid: false }),
        ({ seed }) => {
          const seedRef = newSecretRef(context.random, 'seed');
          return pipe(
            fromHostPort('the secret vault', () => deps.vault.put(seedRef, seed)),
            TE.map((): Registration => ({ valid: true, seedRef })),
          );
        },
      ),
    ),
    TE.chainEitherK((registration) => decideAdmitted({ type: 'EnrollDevice', serial, method, registration }, admitted, facts)),
    TE.chainEitherK((events) => {
      const failure = tokenRefusal(events, serial);
      return withOtpRecord(check, {
        writes: [{ streamId: tokenStreamId(serial), expectedVersion: version, events }],
        output: { serial, status: events.some((event) => event.type === 'DeviceReplaced') ? 'active' : 'pending-activation', method },
        ...(failure === undefined ? {} : { failure }),
      });
    }),
  );
};

/**
 * EnrollDevice: the owner types the registration code their app showed. The server derives the
 * seed from the activation code in the vault and the nonce in the registration code, checks the
 * MAC, stores the seed and destroys the activation code (protocol v1, docs/activation-protocol.md).
 * An owner who holds an active physical token confirms with its current code (Occidente 8.2).
 * On an active or lost token with a pending reactivation (ReactivateToken), the new phone replaces
 * the old one at once: the token is active with the new seed, and the old seed is destroyed.
 */
export const enrollDeviceHandler = (deps: TokenHandlerDeps): CommandHandler<EnrollDeviceCommand, EnrollDeviceOutput> => ({
  type: 'EnrollDevice',
  codec: EnrollDeviceCodec,
  secretFields: ['otp', 'registrationCode'],
  handle: (command, context) =>
    pipe(
      prepareTokenCommand(deps, context, command),
      TE.bindTo('prepared'),
      TE.bind('usable', ({ prepared }) => TE.fromEither(requireUsableActivationCode(prepared.admitted.token, context.now))),
      // A malformed code (a typo the check digit caught) carries no guess: refused, not counted.
      TE.chainFirstEitherK(({ prepared }) =>
        E.mapLeft(() => registrationCodeInvalid(prepared.serial))(parseRegistrationCode(command.registrationCode)),
      ),
      TE.chain(({ prepared, usable }) => confirmingOtp(deps, context, command, (check) => enroll(deps, context, command, prepared, usable.ref, check))),
    ),
  outcomeOf: (events) =>
    replayed(events, () => {
      const enrolled = firstEvent(events, 'DeviceEnrolled');
      if (enrolled !== undefined) return { serial: serialOfStream(enrolled.streamId), status: 'pending-activation' as const, method: enrolled.data.method };
      const replaced = firstEvent(events, 'DeviceReplaced');
      return replaced === undefined ? undefined : { serial: serialOfStream(replaced.streamId), status: 'active' as const, method: replaced.data.method };
    }),
});
