/**
 * HOTP (RFC 4226): the code of a counter, and verification with a look-ahead window.
 */
import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import { formatCode, malformedDetail, parseCode } from './internal/code.js';
import type { OtpAlgorithm } from './engine.js';
import { otpMac } from './internal/mac/otp-mac.js';
import type { OptionName } from './internal/options.js';
import {
  COUNTER_DETAIL,
  MAX_COUNTER,
  OPTIONS_DETAIL,
  SECRET_DETAIL,
  counterHigh,
  counterLow,
  isCounter,
  parseOptions,
  returnOptions,
  secretProblem,
} from './internal/options.js';
import type { OtpRejection } from './rejection.js';
import { invalidOptions, malformed, mismatch } from './rejection.js';
import { scanWindow } from './internal/window-scan.js';

/** How codes are computed: the same on the token and on the server. */
export interface OtpCodeOptions {
  /** The HMAC hash function (default `'SHA1'`). */
  readonly algorithm?: OtpAlgorithm;
  /** Code length: 6, 7 or 8 (default 6). */
  readonly digits?: number;
}

/** Options of `verifyHotp`. */
export interface VerifyHotpOptions extends OtpCodeOptions {
  /** The counter the token should be at: the one after the last accepted. */
  readonly counter: bigint | number;
  /** Counters searched beyond `counter`, for presses that never reached the server (default 10). */
  readonly lookAhead?: number;
  /** Accept seeds shorter than 128 bits (legacy tokens only). */
  readonly allowShortSecret?: boolean;
}

/** A verified HOTP code. */
export interface HotpMatch {
  /** The counter that produced the code: the next verification expects the one after it. */
  readonly counter: bigint;
  /** Counters skipped: the matched counter minus the expected one (0 to `lookAhead`). */
  readonly drift: number;
}

/** The options of the code generators, in the order they are checked. */
export const CODE_OPTIONS: readonly OptionName[] = ['algorithm', 'digits'];
const VERIFY_HOTP_OPTIONS: readonly OptionName[] = ['algorithm', 'digits', 'lookAhead', 'counter'];

/** What a generator throws for an option's problem: a TypeError for a non-object, else a RangeError. */
export const optionError = (detail: string): Error => (detail === OPTIONS_DETAIL ? new TypeError(detail) : new RangeError(detail));

/** The code of the counter (`high`, `low`) under `secret`. */
export const codeAt = (secret: Uint8Array, algorithm: OtpAlgorithm, digits: number, high: number, low: number): string => {
  const mac = otpMac(algorithm);
  mac.load(secret);
  const value = mac.truncate(high, low) % 10 ** digits;
  mac.wipe();
  return formatCode(value, digits);
};

/**
 * The HOTP code of `secret` at `counter` (RFC 4226), e.g. `'755224'`.
 *
 * A generator, called by the host's own code with its own parameters, so parameters out of
 * range are programming errors and throw (the one place in the SDK that does): everything that
 * faces user input (`verifyHotp`, `verifyTotp`, `decodeBase32`, `parseKeyUri`) returns an
 * `Either` instead.
 *
 * @param counter - 0 to 2^64 - 1; use a bigint above 2^53 - 1.
 * @throws RangeError when the counter, `digits` or `algorithm` is out of range; TypeError when
 * `secret` is not a Uint8Array or `options` not an object.
 */
export const hotp = (secret: Uint8Array, counter: bigint | number, options?: OtpCodeOptions): string => {
  const parsed = parseOptions(options, CODE_OPTIONS);
  if (typeof parsed === 'string') throw optionError(parsed);
  const { algorithm, digits } = parsed;
  returnOptions(parsed);
  if (!isCounter(counter)) throw new RangeError(`counter ${COUNTER_DETAIL}`);
  if (!(secret instanceof Uint8Array)) throw new TypeError(SECRET_DETAIL);
  return codeAt(secret, algorithm, digits, counterHigh(counter), counterLow(counter));
};

/**
 * Checks an HOTP code against the counters `counter` to `counter + lookAhead`. Never throws:
 * a code that is not a string of `digits` digits is `malformed`, a bad option is
 * `invalid-options`, a seed under 128 bits is `weak-secret` (unless `allowShortSecret`).
 * Every counter of the window is computed and compared in constant time; when several produce
 * the code, the highest wins, so accepting it retires the others.
 */
export const verifyHotp = (secret: Uint8Array, code: unknown, options: VerifyHotpOptions): Either<OtpRejection, HotpMatch> => {
  const parsed = parseOptions(options, VERIFY_HOTP_OPTIONS);
  if (typeof parsed === 'string') return left(invalidOptions(parsed));
  const { algorithm, digits, lookAhead, counter: start, allowShortSecret } = parsed;
  returnOptions(parsed);
  const unusable = secretProblem(secret, allowShortSecret);
  if (unusable !== undefined) return left(unusable);
  const expected = parseCode(code, digits);
  if (expected < 0) return left(malformed(malformedDetail(digits)));

  // The window stops at the last 8-byte counter.
  const count = typeof start === 'number' ? lookAhead + 1 : Math.min(lookAhead, Number(MAX_COUNTER - start)) + 1;
  const mac = otpMac(algorithm);
  mac.load(secret);
  const index = scanWindow(mac, counterHigh(start), counterLow(start), count, 0, expected, 10 ** digits);
  mac.wipe();
  return index >= 0 ? right({ counter: BigInt(start) + BigInt(index), drift: index }) : left(mismatch);
};
