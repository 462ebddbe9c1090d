import * as E from 'fp-ts/lib/Either.js';
import type { CommandHandler } from '../command-handler.js';
import { fromHostPort } from '../host-port.js';
import { conflictIfMoved } from '../stale-read.js';
import { parseActivationCode } from '../../activation/activation-code.js';
import { verifyRegistration } from '../../activation/exchange.js';
import { parseRegistrationCode } from '../../activation/registration-code.js';
import { checkOtp, refusal, withOtpRecord } from '../confirmation.js';
import { decideAdmitted, requireUsableActivationCode, tokenRefusal } from '../../domain/token/decide.js';
import { tokenStreamId, type EnrollmentMethod } from '../../domain/token/events.js';
import { tokenFold } from '../../domain/token/fold.js';
import { activationCodeExpired, infrastructure, preconditionFailed, registrationCodeInvalid } from '../../errors/sdk-error.js';
import { EnrollDeviceCodec, type EnrollDeviceCommand } from './codecs.js';
import { newSecretRef, type TokenHandlerDeps } from './context.js';
import { firstEvent, replayed, serialOfStream } from './outcomes.js';
import { prepareTokenCommand } from './prepare.js';

/** What EnrollDevice returns. */
export interface EnrollDeviceOutput {
  readonly serial: string;
  readonly status: 'pending-activation';
  readonly method: EnrollmentMethod;
}

/**
 * EnrollDevice: the owner types the registration code their app showed. The server derives the
 * seed from the activation code in the vault and the nonce in the registration code, checks the
 * MAC, stores the seed and destroys the activation code (protocol v1, docs/activation-protocol.md).
 * An owner who holds an active physical token confirms with its current code (Occidente 8.2).
 */
export const enrollDeviceHandler = (deps: TokenHandlerDeps): CommandHandler<EnrollDeviceCommand, EnrollDeviceOutput> => ({
  type: 'EnrollDevice',
  codec: EnrollDeviceCodec,
  secretFields: ['otp', 'registrationCode'],
  handle: (command, context) => async () => {
    const prepared = await prepareTokenCommand(deps, context, command)();
    if (E.isLeft(prepared)) return prepared;
    const { serial, admitted, version, company } = prepared.right;
    const target = { token: admitted.token, version };
    const usable = requireUsableActivationCode(target.token, context.now);
    if (E.isLeft(usable)) return usable;
    // A malformed code (a typo the check digit caught) carries no guess: refused, not counted.
    if (E.isLeft(parseRegistrationCode(command.registrationCode))) return E.left(registrationCodeInvalid(serial));

    const check = await (checkOtp(deps.otpEngine)(context, { actor: command.actor, code: command.otp, command: command.type }))();
    if (E.isLeft(check)) return check;
    if (check.right._tag === 'Refused') return E.right(refusal(check.right));
    const physical = company.state.holdings.get(target.token.userId)?.physical;
    const physicalConfirmed = check.right._tag === 'Confirmed' && check.right.serial === physical;
    const requested = command.method ?? 'activation-code';
    if (requested === 'credentials+physical-token' && !physicalConfirmed) {
      return E.left(preconditionFailed('physical-token', 'enrolling with a physical token needs an active physical token and its current code'));
    }
    const method: EnrollmentMethod = requested === 'credentials' && physicalConfirmed ? 'credentials+physical-token' : requested;

    const stored = await (fromHostPort('the secret vault', () => deps.vault.get(usable.right.ref)))();
    if (E.isLeft(stored)) return stored;
    if (stored.right === undefined) {
      // Retired by a command committed meanwhile (a delete, an enrolment, a reissue)? Then answer from the new state.
      const current = await (conflictIfMoved(context, tokenStreamId(serial), tokenFold, target.version))();
      if (E.isLeft(current)) return current;
      return E.left({ ...activationCodeExpired(serial), message: `the activation code of token ${serial} is no longer available; ask for a new one` });
    }
    const activationCode = parseActivationCode(new TextDecoder().decode(stored.right));
    if (E.isLeft(activationCode)) return E.left(infrastructure(`the vault holds an unreadable activation code for token ${serial}`));
    const verified = verifyRegistration({ serial, activationCode: activationCode.right, registrationCode: command.registrationCode });

    let seedRef: string | undefined;
    if (E.isRight(verified)) {
      seedRef = newSecretRef(context.random, 'seed');
      const ref = seedRef;
      const put = await (fromHostPort('the secret vault', () => deps.vault.put(ref, verified.right.seed)))();
      if (E.isLeft(put)) return put;
    }
    const decision = decideAdmitted(
      { type: 'EnrollDevice', serial, method, registration: seedRef === undefined ? { valid: false } : { valid: true, seedRef } },
      admitted,
      prepared.right.facts,
    );
    if (E.isLeft(decision)) return decision;
    const failure = tokenRefusal(decision.right, serial);
    return withOtpRecord(check.right, {
      writes: [{ streamId: tokenStreamId(serial), expectedVersion: version, events: decision.right }],
      output: { serial, status: 'pending-activation' as const, method },
      ...(failure === undefined ? {} : { failure }),
    });
  },
  outcomeOf: (events) =>
    replayed(events, () => {
      const enrolled = firstEvent(events, 'DeviceEnrolled');
      return enrolled === undefined ? undefined : { serial: serialOfStream(enrolled.streamId), status: 'pending-activation' as const, method: enrolled.data.method };
    }),
});
