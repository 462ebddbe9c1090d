/**
 * TOTP (RFC 6238): the code of a moment, and verification over a window of time steps with
 * replay protection.
 */
import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import { malformedDetail, parseCode } from './internal/code.js';
import type { OtpCodeOptions } from './hotp.js';
import { codeAt, optionError } from './hotp.js';
import { otpMac } from './internal/mac/otp-mac.js';
import type { OptionName } from './internal/options.js';
import {
  SECRET_DETAIL,
  TIME_DETAIL,
  counterHigh,
  counterLow,
  isTimeMs,
  parseOptions,
  returnOptions,
  secretProblem,
  timeStep,
} from './internal/options.js';
import type { OtpRejection } from './rejection.js';
import { invalidOptions, malformed, mismatch, replay } from './rejection.js';
import { NO_MATCH, scanWindow } from './internal/window-scan.js';

/** How TOTP codes are computed. */
export interface TotpOptions extends OtpCodeOptions {
  /** The time step in seconds (default 30). Time steps count from the Unix epoch. */
  readonly period?: number;
}

/** Options of `verifyTotp`. */
export interface VerifyTotpOptions extends TotpOptions {
  /** The server's time, in milliseconds since the Unix epoch. */
  readonly timeMs: number;
  /** Steps accepted before the current one (default 1, at most 100). */
  readonly past?: number;
  /** Steps accepted after the current one (default 1, at most 100). */
  readonly future?: number;
  /**
   * The last step accepted for this token: a code of this step or an earlier one is a `replay`,
   * even inside the window.
   */
  readonly afterStep?: bigint | number;
  /**
   * The token's known clock drift in steps (as reported by an earlier match or a resync): the
   * window is centred on the current step plus this. Default 0.
   */
  readonly drift?: number;
  /** Accept seeds shorter than 128 bits (legacy tokens only). */
  readonly allowShortSecret?: boolean;
}

/** A verified TOTP code. */
export interface TotpMatch {
  /** The time step that produced the code: pass it as the next `afterStep`. */
  readonly step: bigint;
  /** The matched step minus the step of `timeMs`: how far the token's clock is off, in steps. */
  readonly drift: number;
}

const TOTP_OPTIONS: readonly OptionName[] = ['algorithm', 'digits', 'period'];
const VERIFY_TOTP_OPTIONS: readonly OptionName[] = ['algorithm', 'digits', 'period', 'past', 'future', 'drift', 'timeMs', 'afterStep'];

/**
 * The TOTP code of `secret` at `timeMs` (RFC 6238, T0 = 0), e.g. `'287082'`.
 *
 * Like `hotp`, a generator for the host's own code: parameters out of range throw.
 *
 * @param timeMs - milliseconds since the Unix epoch, from 0 to 2^53 - 1 (past 2038 and 2106).
 * @throws RangeError when the time, `period`, `digits` or `algorithm` is out of range;
 * TypeError when `secret` is not a Uint8Array or `options` not an object.
 */
export const totp = (secret: Uint8Array, timeMs: number, options?: TotpOptions): string => {
  const parsed = parseOptions(options, TOTP_OPTIONS);
  if (typeof parsed === 'string') throw optionError(parsed);
  const { algorithm, digits, period } = parsed;
  returnOptions(parsed);
  if (!isTimeMs(timeMs)) throw new RangeError(TIME_DETAIL);
  if (!(secret instanceof Uint8Array)) throw new TypeError(SECRET_DETAIL);
  const step = timeStep(timeMs, period);
  return codeAt(secret, algorithm, digits, counterHigh(step), counterLow(step));
};

/**
 * The index, within a window starting at step `first` with `count` steps, of the first step
 * after `afterStep` (0 when there is none; `count` when every step is at or before it).
 */
export const firstFreshIndex = (first: number, count: number, afterStep: bigint | number | undefined): number => {
  if (afterStep === undefined || afterStep < first) return 0;
  if (afterStep >= first + count - 1) return count;
  return Number(afterStep) - first + 1;
};

/**
 * Checks a TOTP code against the steps from `past` before to `future` after the step of
 * `timeMs` (shifted by `drift`). Never throws: a code that is not a string of `digits` digits is
 * `malformed`, a bad option `invalid-options`, a seed under 128 bits `weak-secret` (unless
 * `allowShortSecret`), a code of a step at or before `afterStep` a `replay`. Every step of the
 * window is computed and compared in constant time; when several fresh steps produce the code,
 * the latest wins, so recording it retires the others.
 */
export const verifyTotp = (secret: Uint8Array, code: unknown, options: VerifyTotpOptions): Either<OtpRejection, TotpMatch> => {
  const parsed = parseOptions(options, VERIFY_TOTP_OPTIONS);
  if (typeof parsed === 'string') return left(invalidOptions(parsed));
  const { algorithm, digits, period, past, future, drift, timeMs, afterStep, allowShortSecret } = parsed;
  returnOptions(parsed);
  const unusable = secretProblem(secret, allowShortSecret);
  if (unusable !== undefined) return left(unusable);
  const expected = parseCode(code, digits);
  if (expected < 0) return left(malformed(malformedDetail(digits)));

  const current = timeStep(timeMs, period);
  const centre = current + drift;
  const first = Math.max(0, centre - past);
  const count = Math.max(0, centre + future - first + 1);
  const mac = otpMac(algorithm);
  mac.load(secret);
  const index = scanWindow(
    mac,
    counterHigh(first),
    counterLow(first),
    count,
    firstFreshIndex(first, count, afterStep),
    expected,
    10 ** digits,
  );
  mac.wipe();
  if (index >= 0) return right({ step: BigInt(first + index), drift: first + index - current });
  return left(index === NO_MATCH ? mismatch : replay);
};
