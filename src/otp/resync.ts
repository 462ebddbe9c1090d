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
import type { HotpMatch, OtpCodeOptions } from './hotp.js';
import { otpMac } from './internal/mac/otp-mac.js';
import type { OptionName } from './internal/options.js';
import { MAX_COUNTER, counterHigh, counterLow, parseOptions, returnOptions, secretProblem, timeStep } from './internal/options.js';
import type { OtpRejection } from './rejection.js';
import { invalidOptions, malformed, mismatch, replay } from './rejection.js';
import type { TotpMatch, TotpOptions } from './totp.js';
import { firstFreshIndex } from './totp.js';
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

const RESYNC_HOTP_OPTIONS: readonly OptionName[] = ['counter', 'algorithm', 'digits', 'syncWindow'];
const RESYNC_TOTP_OPTIONS: readonly OptionName[] = ['period', 'timeMs', 'afterStep', 'lookBack', 'algorithm', 'digits', 'syncWindow'];

/** The two codes' values. */
interface CodePair {
  readonly first: number;
  readonly second: number;
}

/** Checks the seed and then the codes, both resyncs alike (after the options, so bad options are reported first). */
const checkSecretAndCodes = (secret: Uint8Array, allowShortSecret: unknown, codes: unknown, digits: number): Either<OtpRejection, CodePair> => {
  const unusable = secretProblem(secret, allowShortSecret);
  if (unusable !== undefined) return left(unusable);
  if (!Array.isArray(codes) || codes.length !== 2) return left(malformed('codes must be a pair of consecutive codes'));
  const first = parseCode(codes[0], digits);
  const second = parseCode(codes[1], digits);
  if (first < 0 || second < 0) return left(malformed(malformedDetail(digits)));
  return right({ first, second });
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
  const parsed = parseOptions(options, RESYNC_HOTP_OPTIONS);
  if (typeof parsed === 'string') return left(invalidOptions(parsed));
  const { counter: start, algorithm, digits, syncWindow, allowShortSecret } = parsed;
  returnOptions(parsed);
  const checked = checkSecretAndCodes(secret, allowShortSecret, codes, digits);
  if (checked._tag === 'Left') return checked;
  const { first, second } = checked.right;

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
  const parsed = parseOptions(options, RESYNC_TOTP_OPTIONS);
  if (typeof parsed === 'string') return left(invalidOptions(parsed));
  const { period, timeMs, afterStep, lookBack, algorithm, digits, syncWindow, allowShortSecret } = parsed;
  returnOptions(parsed);
  const checked = checkSecretAndCodes(secret, allowShortSecret, codes, digits);
  if (checked._tag === 'Left') return checked;
  const { first, second } = checked.right;

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
