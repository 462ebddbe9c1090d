import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { malformed, type ActivationProtocolError } from '../activation/errors.js';
import { OtpParametersCodec } from '../domain/token/codecs.js';
import { registerDevice } from '../activation/exchange.js';
import { formatRegistrationCode } from '../activation/registration-code.js';
import { normalizeSerial } from '../activation/serial-input.js';
import { isValidSerial } from '../domain/token/serial.js';
import { defaultOtpParameters, type OtpParameters } from '../otp/engine.js';
import { hotp } from '../otp/hotp.js';
import { formatKeyUri, type KeyUriError } from '../otp/key-uri.js';
import { totp } from '../otp/totp.js';
import type { Random } from '../ports/random.js';

/** A soft token as the phone holds it after activation. */
export interface DeviceToken {
  readonly serial: string;
  readonly parameters: OtpParameters;
  /** The derived seed (a copy); the app keeps it in the phone's secure storage. */
  readonly seed: () => Uint8Array;
  /**
   * The code to show now. TOTP: the code of `timeMs` (default: the phone's clock). HOTP: the code
   * of the next counter, which moves on, like a hardware token's button.
   */
  readonly code: (timeMs?: number) => string;
  /** HOTP: the counter of the next code (persist it with the seed). TOTP: 0. */
  readonly counter: () => bigint;
  /** The token as an `otpauth://` Key URI, for an authenticator app that scans QR codes. */
  readonly keyUri: (label: { readonly issuer?: string; readonly account: string }) => E.Either<KeyUriError, string>;
}

/** What the app shows after activation, and the token it keeps. */
export interface DeviceActivation {
  /** The registration code in groups of four, to be typed into the bank's portal. */
  readonly registrationCode: string;
  readonly token: DeviceToken;
}

/** What the user types into the app: the serial and the activation code the portal showed. */
export interface ActivateDeviceInput {
  readonly serial: unknown;
  readonly activationCode: unknown;
  /** The OATH parameters the portal gave with the code (default: TOTP, SHA1, 6 digits, 30 s). */
  readonly parameters?: OtpParameters;
  /** Where the device nonce comes from (default: Web Crypto). */
  readonly random?: Random;
}

/**
 * The app side of activation protocol v1: from the serial and the activation code, derive the
 * seed with a fresh device nonce and show the registration code that proves it. The serial's and
 * the activation code's check characters catch typing mistakes here, before they cost one of the
 * limited registration attempts.
 */
export const activateDevice = (input: ActivateDeviceInput): E.Either<ActivationProtocolError, DeviceActivation> => {
  // The app may call this from plain JavaScript with anything: every argument is checked, and a
  // host random source that throws is an answer too.
  const given: unknown = input;
  if (typeof given !== 'object' || given === null) return E.left(malformed('input', 'must be an object with serial and activationCode'));
  const parameters: unknown = input.parameters ?? defaultOtpParameters;
  if (!OtpParametersCodec.is(parameters)) return E.left(malformed('parameters', 'must be OATH parameters: mode, algorithm, digits, period'));
  const random: unknown = input.random;
  if (random !== undefined && (typeof random !== 'object' || random === null || typeof (random as { readonly bytes?: unknown }).bytes !== 'function')) {
    return E.left(malformed('random', 'must have a bytes(n) function'));
  }
  try {
    return pipe(
      normalizeSerial(input.serial),
      E.filterOrElse(isValidSerial, (): ActivationProtocolError => ({ _tag: 'check-digit', field: 'serial' })),
      E.chain((serial) => registerDevice({ serial, activationCode: input.activationCode, ...(input.random === undefined ? {} : { random: input.random }) })),
      E.chain((registration) =>
        pipe(
          restoreDeviceToken({ serial: registration.serial, seed: registration.seed, parameters }),
          E.map((token) => ({ registrationCode: formatRegistrationCode(registration.registrationCode), token })),
        ),
      ),
    );
  } catch {
    return E.left(malformed('random', 'the random source failed'));
  }
};

/** What the app stored after activation: the serial, the seed, the parameters; HOTP also the counter. */
export interface StoredDeviceToken {
  readonly serial: string;
  readonly seed: Uint8Array;
  readonly parameters: OtpParameters;
  readonly counter?: bigint;
}

/**
 * Rebuilds the app's token from what it stored (after a restart); HOTP tokens also need their
 * counter. What was read back from storage is checked: a bad record is a `malformed` answer,
 * never a token that throws later.
 */
export const restoreDeviceToken = (stored: StoredDeviceToken): E.Either<ActivationProtocolError, DeviceToken> => {
  const given: unknown = stored;
  if (typeof given !== 'object' || given === null) return E.left(malformed('input', 'must be an object with serial, seed and parameters'));
  const { serial, seed: storedSeed, parameters, counter: storedCounter } = stored as Partial<Record<keyof StoredDeviceToken, unknown>>;
  if (typeof serial !== 'string') return E.left(malformed('serial', 'must be a string'));
  if (!(storedSeed instanceof Uint8Array) || storedSeed.length === 0) return E.left(malformed('seed', 'must be non-empty bytes'));
  if (!OtpParametersCodec.is(parameters)) return E.left(malformed('parameters', 'must be OATH parameters: mode, algorithm, digits, period'));
  if (storedCounter !== undefined && (typeof storedCounter !== 'bigint' || storedCounter < 0n)) return E.left(malformed('counter', 'must be a non-negative bigint'));
  const seed = Uint8Array.from(storedSeed);
  let counter = parameters.mode === 'hotp' ? (storedCounter ?? 0n) : 0n;
  const options = { algorithm: parameters.algorithm, digits: parameters.digits };
  return E.right({
    serial,
    parameters,
    seed: () => Uint8Array.from(seed),
    code: (timeMs = Date.now()) => {
      if (parameters.mode === 'totp') return totp(seed, timeMs, { ...options, period: parameters.period });
      const code = hotp(seed, counter, options);
      counter += 1n;
      return code;
    },
    counter: () => counter,
    keyUri: ({ issuer, account }) =>
      formatKeyUri({
        ...(parameters.mode === 'totp' ? { type: 'totp', period: parameters.period } : { type: 'hotp', counter }),
        ...(issuer === undefined ? {} : { issuer }),
        account,
        secret: Uint8Array.from(seed),
        ...options,
      }),
  });
};
