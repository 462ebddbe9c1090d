/**
 * Resynchronisation from two consecutive codes (RFC 4226 §7.4): when a token has drifted beyond
 * the verification window, the user types two codes in a row and the server searches a much
 * wider window for the pair. Two consecutive matches in a window of w are a 1-in-10^(2·digits)/w
 * coincidence, which is what makes the wide search safe against guessing.
 *
 * It is not what makes it safe against old codes. An HOTP counter never goes back, so a pair
 * ahead of the expected counter was never shown before. A TOTP step does: every code a correct
 * clock ever showed lies behind now, so a wide look-back would let codes phished hours ago move
 * the token onto themselves (and away from the codes the user's device shows now). TOTP resync
 * therefore looks back only `lookBack` steps (codes shown moments ago) and searches `syncWindow`
 * steps ahead, where only a device whose clock runs fast shows codes.
 */
import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import { malformedDetail, parseCode } from './internal/code.js';
import type { OtpAlgorithm } from './engine.js';
import type { HotpMatch, OtpCodeOptions } from './hotp.js';
import { otpMac } from './internal/mac/otp-mac.js';
import type { Fields } from './internal/options.js';
import {
  ALGORITHM_DETAIL,
  COUNTER_DETAIL,
  MAX_COUNTER,
  SECRET_DETAIL,
  TIME_DETAIL,
  algorithmOf,
  counterHigh,
  counterLow,
  fieldsOf,
  integerIn,
  isCounter,
  isTimeMs,
  limits,
  secretStrengthProblem,
  timeStep,
} from './internal/options.js';
import type { OtpRejection } from './rejection.js';
import { invalidOptions, malformed, mismatch, replay } from './rejection.js';
import type { TotpMatch, TotpOptions } from './totp.js';
import { firstFreshIndex, isAfterStep } from './totp.js';
import { NO_MATCH, scanWindowForPair } from './internal/window-scan.js';

/** Options of `resyncHotp`. */
export interface ResyncHotpOptions extends OtpCodeOptions {
  /** The counter the server expects: the one after the last accepted. */
  readonly counter: bigint | number;
  /** Counters searched from `counter` for the first code (default 1000, at most 10000). */
  readonly syncWindow?: number;
  /** Accept seeds shorter than 128 bits (legacy tokens only). */
  readonly allowShortSecret?: boolean;
}

/** Options of `resyncTotp`. */
export interface ResyncTotpOptions extends TotpOptions {
  /** The server's time, in milliseconds since the Unix epoch. */
  readonly timeMs: number;
  /** Steps searched ahead of the current one, for a clock that runs fast (default 1000, at most 10000). */
  readonly syncWindow?: number;
  /**
   * Steps searched behind the current one (default 1, at most 100): the second code may be this
   * many steps old, no older. Keep it within the verification window's `future` so that the
   * step of now stays accepted after the resync.
   */
  readonly lookBack?: number;
  /** The last step accepted for this token: the pair must come after it. */
  readonly afterStep?: bigint | number;
  /** Accept seeds shorter than 128 bits (legacy tokens only). */
  readonly allowShortSecret?: boolean;
}

interface Common {
  readonly algorithm: OtpAlgorithm;
  readonly digits: number;
  readonly syncWindow: number;
  /** The two codes' values. */
  readonly first: number;
  readonly second: number;
}

/** Checks what both resyncs share; the codes last, so bad options are reported first. */
const commonOptions = (
  secret: Uint8Array,
  codes: unknown,
  fields: Fields,
): Either<OtpRejection, Common> => {
  const algorithm = algorithmOf(fields.algorithm);
  if (algorithm === undefined) return left(invalidOptions(ALGORITHM_DETAIL));
  const digits = integerIn(fields.digits, 6, limits.digits.min, limits.digits.max);
  if (Number.isNaN(digits)) return left(invalidOptions(limits.digits.detail));
  const syncWindow = integerIn(fields.syncWindow, 1000, limits.syncWindow.min, limits.syncWindow.max);
  if (Number.isNaN(syncWindow)) return left(invalidOptions(limits.syncWindow.detail));
  if (!(secret instanceof Uint8Array)) return left(invalidOptions(SECRET_DETAIL));
  const weak = secretStrengthProblem(secret, fields.allowShortSecret);
  if (weak !== undefined) return left(weak);
  if (!Array.isArray(codes) || codes.length !== 2) return left(malformed('codes must be a pair of consecutive codes'));
  const first = parseCode(codes[0], digits);
  const second = parseCode(codes[1], digits);
  if (first < 0 || second < 0) return left(malformed(malformedDetail(digits)));
  return right({ algorithm, digits, syncWindow, first, second });
};

/**
 * Finds the counter of two consecutive HOTP codes within `syncWindow` counters of `counter`.
 * The match's `counter` is that of the second code; `drift` is how far it is from `counter`.
 * Never throws (see `verifyHotp` for the rejections).
 */
export const resyncHotp = (
  secret: Uint8Array,
  codes: readonly [unknown, unknown],
  options: ResyncHotpOptions,
): Either<OtpRejection, HotpMatch> => {
  const fields = fieldsOf(options);
  if (fields === undefined) return left(invalidOptions('options must be an object'));
  const start = fields.counter;
  if (!isCounter(start)) return left(invalidOptions(`counter ${COUNTER_DETAIL}`));
  const checked = commonOptions(secret, codes, fields);
  if (checked._tag === 'Left') return checked;
  const { algorithm, digits, syncWindow, first, second } = checked.right;

  // The first code may be at counter + syncWindow, so the second one at the counter after it.
  const span = syncWindow + 1;
  const count = (typeof start === 'number' ? span : Math.min(span, Number(MAX_COUNTER - start))) + 1;
  const mac = otpMac(algorithm);
  mac.load(secret);
  const index = scanWindowForPair(mac, counterHigh(start), counterLow(start), count, 0, first, second, 10 ** digits);
  mac.wipe();
  return index >= 0 ? right({ counter: BigInt(start) + BigInt(index + 1), drift: index + 1 }) : left(mismatch);
};

/**
 * Finds the time step of two consecutive TOTP codes whose second code lies from `lookBack` steps
 * behind to `syncWindow` steps ahead of the step of `timeMs`, after `afterStep`. The match's
 * `step` is that of the second code and `drift` its distance from the current step: pass it as
 * `drift` to later verifications. Never throws (see `verifyTotp` for the rejections).
 */
export const resyncTotp = (
  secret: Uint8Array,
  codes: readonly [unknown, unknown],
  options: ResyncTotpOptions,
): Either<OtpRejection, TotpMatch> => {
  const fields = fieldsOf(options);
  if (fields === undefined) return left(invalidOptions('options must be an object'));
  const period = integerIn(fields.period, 30, limits.period.min, limits.period.max);
  if (Number.isNaN(period)) return left(invalidOptions(limits.period.detail));
  const timeMs = fields.timeMs;
  if (!isTimeMs(timeMs)) return left(invalidOptions(TIME_DETAIL));
  const afterStep = fields.afterStep;
  if (!isAfterStep(afterStep)) return left(invalidOptions('afterStep must be a bigint or a safe integer'));
  const lookBack = integerIn(fields.lookBack, 1, limits.lookBack.min, limits.lookBack.max);
  if (Number.isNaN(lookBack)) return left(invalidOptions(limits.lookBack.detail));
  const checked = commonOptions(secret, codes, fields);
  if (checked._tag === 'Left') return checked;
  const { algorithm, digits, syncWindow, first, second } = checked.right;

  const current = timeStep(timeMs, period);
  // Candidates for the first code start one step before the oldest step the second may have.
  const firstStep = Math.max(0, current - lookBack - 1);
  const count = current + syncWindow - firstStep + 1;
  const mac = otpMac(algorithm);
  mac.load(secret);
  const index = scanWindowForPair(
    mac,
    counterHigh(firstStep),
    counterLow(firstStep),
    count,
    firstFreshIndex(firstStep, count, afterStep),
    first,
    second,
    10 ** digits,
  );
  mac.wipe();
  if (index >= 0) {
    const step = firstStep + index + 1;
    return right({ step: BigInt(step), drift: step - current });
  }
  return left(index === NO_MATCH ? mismatch : replay);
};
