import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { invalidCommand, type FieldIssue, type SdkError } from '../../errors/sdk-error.js';
import type { OtpParameters } from '../../otp/engine.js';
import { DAY_MS, TIMED_UNLOCKS_PER_DAY } from '../token/timed-unlock.js';

/** The policy settings that decide how far a blind guesser gets. */
export interface GuessablePolicy {
  readonly otp: Pick<OtpParameters, 'mode' | 'digits' | 'past' | 'future' | 'lookAhead'>;
  readonly maxFailures: number;
  readonly timedUnlockSeconds: number | null;
}

/** A blind guesser's prospects against one token under a policy, for one day. */
export interface GuessingRisk {
  /** Codes one guess may hit: the TOTP window (`past + 1 + future`) or the HOTP look-ahead plus one. */
  readonly acceptedCodes: number;
  /** The chance one guess is accepted: `acceptedCodes / 10^digits`. */
  readonly successPerGuess: number;
  /** Guesses before the token locks: `maxFailures`. */
  readonly guessesBeforeLock: number;
  /** Timed unlocks a day can hold: 0 without a timer, else at most {@link TIMED_UNLOCKS_PER_DAY}. */
  readonly timedUnlocksPerDay: number;
  /** `guessesBeforeLock × (1 + timedUnlocksPerDay)`. */
  readonly guessesPerDay: number;
  /** The chance that one of a day's guesses is accepted (the union bound, RFC 4226 §7.3's s·v/10^Digit), at most 1. */
  readonly successPerDay: number;
}

/**
 * The most a policy may give a blind guesser per day against one token: 1 in 10,000. It is what
 * NIST SP 800-63B §5.2.2 allows in total (at most 100 consecutive failed attempts) against the
 * smallest OTP it accepts (§5.1.4.1, §5.1.5.1: 6 digits, one accepted code): 100 / 10^6. Every
 * budget the policy hands out in a day counts, timed unlocks included. See docs/decisions.md.
 */
export const MAX_GUESSING_SUCCESS_PER_DAY = 1e-4;

/**
 * A blind guesser's chance of success per day under `policy` (RFC 4226 §7.3: Sec = s·v/10^Digit,
 * with s the codes a guess may hit and v the guesses allowed). An unlock by an admin or the bank
 * is a person's decision and is not counted; a timed unlock is. Pure: the same policy always
 * gives the same figures.
 */
export const guessingRiskOf = (policy: GuessablePolicy): GuessingRisk => {
  const { otp, maxFailures, timedUnlockSeconds } = policy;
  const acceptedCodes = otp.mode === 'totp' ? otp.past + 1 + otp.future : otp.lookAhead + 1;
  const successPerGuess = acceptedCodes / 10 ** otp.digits;
  // Timed locks of `timedUnlockSeconds` each: one lifting in a day per that many seconds, plus the one already running.
  const timedUnlocksPerDay = timedUnlockSeconds === null ? 0 : Math.min(TIMED_UNLOCKS_PER_DAY, Math.floor(DAY_MS / (timedUnlockSeconds * 1000)) + 1);
  const guessesPerDay = maxFailures * (1 + timedUnlocksPerDay);
  return {
    acceptedCodes,
    successPerGuess,
    guessesBeforeLock: maxFailures,
    timedUnlocksPerDay,
    guessesPerDay,
    successPerDay: Math.min(1, (acceptedCodes * guessesPerDay) / 10 ** otp.digits),
  };
};

/** The policy fields that make up the risk, as ConfigureCompany names them. */
const riskFields = (policy: GuessablePolicy): readonly string[] => [
  'policy.maxFailures',
  ...(policy.timedUnlockSeconds === null ? [] : ['policy.timedUnlockSeconds']),
  ...(policy.otp.mode === 'totp' ? ['policy.otp.past', 'policy.otp.future'] : ['policy.otp.lookAhead']),
  'policy.otp.digits',
];

/**
 * Refuses a policy that gives a blind guesser more than {@link MAX_GUESSING_SUCCESS_PER_DAY},
 * naming every field that adds to the risk (any of them may be lowered, or the digits raised).
 */
export const refuseGuessablePolicy = <P extends GuessablePolicy>(policy: P): E.Either<SdkError, P> => {
  const risk = guessingRiskOf(policy);
  // In whole numbers, so that a policy exactly at the bound is not refused by a rounding error.
  if (risk.acceptedCodes * risk.guessesPerDay <= Math.round(MAX_GUESSING_SUCCESS_PER_DAY * 10 ** policy.otp.digits)) return E.right(policy);
  const message =
    `together these settings let a blind guesser in with probability ${risk.successPerDay.toExponential(2)} per day ` +
    `(${String(risk.acceptedCodes)} accepted codes in 10^${String(policy.otp.digits)}, ${String(risk.guessesPerDay)} guesses a day), ` +
    `above the bound of ${MAX_GUESSING_SUCCESS_PER_DAY.toExponential(0)}: lower maxFailures, the window or the timed unlock, or raise the digits`;
  const issues: FieldIssue[] = riskFields(policy).map((path, index) => ({ path, message: index === 0 ? message : 'adds to the same guessing risk' }));
  return E.left(invalidCommand(issues));
};

const wholeNumber = t.refinement(t.number, (value) => Number.isSafeInteger(value) && value >= 0, 'WholeNumber');

// What `guessingRisk` accepts from a host: the figures the formula reads, as whole numbers.
const GuessablePolicyCodec = t.type({
  otp: t.type({ mode: t.keyof({ totp: null, hotp: null }), digits: wholeNumber, past: wholeNumber, future: wholeNumber, lookAhead: wholeNumber }),
  maxFailures: wholeNumber,
  timedUnlockSeconds: t.union([wholeNumber, t.null]),
});

/**
 * A blind guesser's chance of success per day under `policy` (a company policy, or any object with
 * its `otp`, `maxFailures` and `timedUnlockSeconds`), per RFC 4226 §7.3: Sec = s·v/10^Digit, with s
 * the codes a guess may hit and v the guesses allowed. An unlock by an admin or the bank is a
 * person's decision and is not counted; a timed unlock is. Anything that is not such a policy is an
 * `InvalidCommand` naming `policy`.
 */
export const guessingRisk = (policy: unknown): E.Either<SdkError, GuessingRisk> =>
  GuessablePolicyCodec.is(policy)
    ? E.right(guessingRiskOf(policy))
    : E.left(invalidCommand([{ path: 'policy', message: 'must hold otp { mode, digits, past, future, lookAhead }, maxFailures and timedUnlockSeconds as whole numbers' }]));
