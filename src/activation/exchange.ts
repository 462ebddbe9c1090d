import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Random } from '../ports/random.js';
import { cryptoRandom } from '../ports/random.js';
import { parseActivationCode, type ActivationCode } from './activation-code.js';
import { constantTimeEqual } from './constant-time.js';
import { randomDigits } from './digits.js';
import type { ActivationProtocolError } from './errors.js';
import { NONCE_DIGITS } from './protocol.js';
import { composeRegistrationCode, parseRegistrationCode } from './registration-code.js';
import { deriveSeed, registrationMac } from './seed.js';
import { normalizeSerial } from './serial-input.js';

/** What the phone keeps after activation (the seed) and what it shows (the registration code). */
export interface DeviceRegistration {
  readonly serial: string;
  /** 24 digits without separators; show it with `formatRegistrationCode`. */
  readonly registrationCode: string;
  /** The derived OTP seed: stays on the device, never sent. */
  readonly seed: Uint8Array;
}

/** The phone's half: draw a nonce, derive the seed, and prove it with a registration code. */
export const registerDevice = (input: {
  readonly serial: unknown;
  readonly activationCode: unknown;
  readonly random?: Random;
}): E.Either<ActivationProtocolError, DeviceRegistration> =>
  pipe(
    E.Do,
    E.apS('serial', normalizeSerial(input.serial)),
    E.apS('activationCode', parseActivationCode(input.activationCode)),
    E.map(({ serial, activationCode }) => {
      const nonce = randomDigits(input.random ?? cryptoRandom, NONCE_DIGITS);
      const seed = deriveSeed(activationCode, serial, nonce);
      return { serial, seed, registrationCode: composeRegistrationCode(nonce, registrationMac(seed, serial, nonce)) };
    }),
  );

/**
 * The server's half: recompute the seed from the activation code kept in the vault and the nonce
 * carried by the registration code, and check the MAC in constant time. On success the seed goes
 * into the vault and the activation code is destroyed (the caller's job).
 */
export const verifyRegistration = (input: {
  readonly serial: string;
  readonly activationCode: ActivationCode;
  readonly registrationCode: unknown;
}): E.Either<ActivationProtocolError, { readonly seed: Uint8Array }> =>
  pipe(
    parseRegistrationCode(input.registrationCode),
    E.chain(({ nonce, mac }) => {
      const seed = deriveSeed(input.activationCode, input.serial, nonce);
      return constantTimeEqual(registrationMac(seed, input.serial, nonce), mac) ? E.right({ seed }) : E.left({ _tag: 'mismatch' as const });
    }),
  );
