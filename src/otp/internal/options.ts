/**
 * Reading the options of the OTP functions defensively: they come from TypeScript callers and
 * from plain JavaScript alike, so each field is checked at run time, without allocating on the
 * way (these checks sit on the path of every verification).
 */
import type { OtpAlgorithm } from '../engine.js';
import type { OtpRejection } from '../rejection.js';
import { invalidOptions, weakSecret } from '../rejection.js';

/** An options object seen as a bag of fields of unknown type. */
export type Fields = Readonly<Record<string, unknown>>;

const NO_FIELDS: Fields = Object.freeze({});

/** The fields of `options`: none when it is absent, undefined when it is not an object. */
export const fieldsOf = (options: unknown): Fields | undefined => {
  if (options === undefined) return NO_FIELDS;
  return typeof options === 'object' && options !== null ? (options as Fields) : undefined;
};

/** The algorithm named by `value` ('SHA1' when absent), or undefined when it names none. */
export const algorithmOf = (value: unknown): OtpAlgorithm | undefined => {
  if (value === undefined) return 'SHA1';
  return value === 'SHA1' || value === 'SHA256' || value === 'SHA512' ? value : undefined;
};

/** `value` (or `fallback` when absent) when it is an integer in [min, max]; NaN otherwise. */
export const integerIn = (value: unknown, fallback: number, min: number, max: number): number => {
  if (value === undefined) return fallback;
  return typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max ? value : Number.NaN;
};

/** The largest HOTP counter: the counter is 8 bytes (RFC 4226 §5.2). */
export const MAX_COUNTER = (1n << 64n) - 1n;

/** `value` when it is a counter (a non-negative safe integer, or a bigint below 2^64). */
export const isCounter = (value: unknown): value is bigint | number =>
  typeof value === 'bigint' ? value >= 0n && value <= MAX_COUNTER : Number.isSafeInteger(value) && (value as number) >= 0;

/** The high 32 bits of a counter. */
export const counterHigh = (counter: bigint | number): number =>
  typeof counter === 'number' ? Math.floor(counter / 0x100000000) : Number(counter >> 32n);

/** The low 32 bits of a counter, unsigned. */
export const counterLow = (counter: bigint | number): number =>
  typeof counter === 'number' ? counter >>> 0 : Number(BigInt.asUintN(32, counter));

/** Bounds and messages shared by the OTP functions. */
export const limits = {
  digits: { min: 6, max: 8, detail: 'digits must be 6, 7 or 8' },
  period: { min: 1, max: 0x7fffffff, detail: 'period must be a whole number of seconds from 1 to 2^31 - 1' },
  window: { min: 0, max: 100, detail: 'must be a whole number of steps from 0 to 100' },
  lookAhead: { min: 0, max: 1000, detail: 'lookAhead must be a whole number of counters from 0 to 1000' },
  syncWindow: { min: 1, max: 10_000, detail: 'syncWindow must be a whole number from 1 to 10000' },
  lookBack: { min: 0, max: 100, detail: 'lookBack must be a whole number of steps from 0 to 100' },
  drift: { min: -0x7fffffff, max: 0x7fffffff, detail: 'drift must be a whole number of steps within ±(2^31 - 1)' },
} as const;

/** Detail for an algorithm that is not one of the three. */
export const ALGORITHM_DETAIL = 'algorithm must be SHA1, SHA256 or SHA512';
/** Detail for a bad counter. */
export const COUNTER_DETAIL = 'must be an integer from 0 to 2^64 - 1 (a bigint above 2^53 - 1)';
/** Detail for a bad time. */
export const TIME_DETAIL = 'timeMs must be a finite number of milliseconds since 1970, from 0 to 2^53 - 1';
/** Detail for a secret that is not bytes. */
export const SECRET_DETAIL = 'secret must be a Uint8Array';

/** Seeds shorter than this are weak (RFC 4226 §4 R6: at least 128 bits). */
export const MIN_SECRET_BYTES = 16;

/** True when `value` is a usable time: whole or fractional milliseconds, from 0 to 2^53 - 1. */
export const isTimeMs = (value: unknown): value is number =>
  typeof value === 'number' && value >= 0 && value <= Number.MAX_SAFE_INTEGER;

/**
 * Why a seed may not be used to verify codes, if it may not: empty, or shorter than 128 bits
 * without the legacy flag. Undefined when it is fine.
 */
export const secretStrengthProblem = (secret: Uint8Array, allowShortSecret: unknown): OtpRejection | undefined =>
  secret.length === 0 || (secret.length < MIN_SECRET_BYTES && allowShortSecret !== true) ? weakSecret : undefined;

/**
 * Why a secret given to a verifier may not be used, if it may not: not bytes (a caller's bug, told
 * as invalid options), or weak (`secretStrengthProblem`). The one secret check of every verifier.
 */
export const secretProblem = (secret: unknown, allowShortSecret: unknown): OtpRejection | undefined =>
  secret instanceof Uint8Array ? secretStrengthProblem(secret, allowShortSecret) : invalidOptions(SECRET_DETAIL);

/**
 * The TOTP time step of `timeMs` (RFC 6238 §4.2 with T0 = 0), for periods in whole seconds.
 *
 * Exact despite the floating-point division: for integers time < 2^53 and P = period · 1000,
 * a quotient k + f/P (f < P) is at least 1/P below k + 1, while the division's rounding error is
 * at most half an ulp of the quotient, below (2^53 / P) · 2^-53 = 1/P. So rounding never
 * reaches the next integer, and it never falls below k, which is representable.
 */
export const timeStep = (timeMs: number, period: number): number => Math.floor(Math.floor(timeMs) / (period * 1000));

/** An option the OTP functions read: the names of their options objects. */
export type OptionName =
  | 'algorithm'
  | 'digits'
  | 'period'
  | 'past'
  | 'future'
  | 'drift'
  | 'lookAhead'
  | 'syncWindow'
  | 'lookBack'
  | 'counter'
  | 'timeMs'
  | 'afterStep';

/** The options of an OTP function, checked, with their defaults filled in. */
export interface ParsedOptions {
  algorithm: OtpAlgorithm;
  digits: number;
  period: number;
  past: number;
  future: number;
  drift: number;
  lookAhead: number;
  syncWindow: number;
  lookBack: number;
  counter: bigint | number;
  timeMs: number;
  afterStep: bigint | number | undefined;
  /** As given: only `true` lets a short seed through. */
  allowShortSecret: unknown;
}

/** The detail when the options are not an object. */
export const OPTIONS_DETAIL = 'options must be an object';
/** The detail for a bad `afterStep`. */
export const AFTER_STEP_DETAIL = 'afterStep must be a bigint or a safe integer';
const COUNTER_FIELD_DETAIL = `counter ${COUNTER_DETAIL}`;
const PAST_DETAIL = `past ${limits.window.detail}`;
const FUTURE_DETAIL = `future ${limits.window.detail}`;

/** True when `value` can be an `afterStep`: absent, a bigint, or a safe integer. */
export const isAfterStep = (value: unknown): value is bigint | number | undefined =>
  value === undefined || typeof value === 'bigint' || Number.isSafeInteger(value);

const blank = (): ParsedOptions => ({
  algorithm: 'SHA1',
  digits: 6,
  period: 30,
  past: 1,
  future: 1,
  drift: 0,
  lookAhead: 10,
  syncWindow: 1000,
  lookBack: 1,
  counter: 0,
  timeMs: 0,
  afterStep: undefined,
  allowShortSecret: undefined,
});

/** The options that are whole numbers in a range: their default, bounds and the detail of a bad one. */
type IntegerOption = 'digits' | 'period' | 'past' | 'future' | 'drift' | 'lookAhead' | 'syncWindow' | 'lookBack';

const INTEGER_OPTIONS: Readonly<Record<IntegerOption, { readonly fallback: number; readonly min: number; readonly max: number; readonly detail: string }>> = {
  digits: { fallback: 6, ...limits.digits },
  period: { fallback: 30, ...limits.period },
  past: { fallback: 1, ...limits.window, detail: PAST_DETAIL },
  future: { fallback: 1, ...limits.window, detail: FUTURE_DETAIL },
  drift: { fallback: 0, ...limits.drift },
  lookAhead: { fallback: 10, ...limits.lookAhead },
  syncWindow: { fallback: 1000, ...limits.syncWindow },
  lookBack: { fallback: 1, ...limits.lookBack },
};

/** Reads one option into `into`; the detail of its problem, if it has one. */
const readOption = (name: OptionName, fields: Fields, into: ParsedOptions): string | undefined => {
  switch (name) {
    case 'algorithm': {
      const algorithm = algorithmOf(fields.algorithm);
      if (algorithm === undefined) return ALGORITHM_DETAIL;
      into.algorithm = algorithm;
      return undefined;
    }
    case 'counter': {
      const counter = fields.counter;
      if (!isCounter(counter)) return COUNTER_FIELD_DETAIL;
      into.counter = counter;
      return undefined;
    }
    case 'timeMs': {
      const timeMs = fields.timeMs;
      if (!isTimeMs(timeMs)) return TIME_DETAIL;
      into.timeMs = timeMs;
      return undefined;
    }
    case 'afterStep': {
      const afterStep = fields.afterStep;
      if (!isAfterStep(afterStep)) return AFTER_STEP_DETAIL;
      into.afterStep = afterStep;
      return undefined;
    }
    default: {
      const { fallback, min, max, detail } = INTEGER_OPTIONS[name];
      const value = integerIn(fields[name], fallback, min, max);
      into[name] = value;
      return Number.isNaN(value) ? detail : undefined;
    }
  }
};

// One parsed-options object is reused from call to call, so that checking options allocates
// nothing on the path of every verification. It is lent out while a call uses it: a call that
// starts meanwhile (from a getter of a hostile options object) gets a fresh one instead.
let spare: ParsedOptions | undefined = blank();

/**
 * The one option parser of the OTP functions: checks `options` (an object, or absent for all
 * defaults) and the fields `names`, in that order, and answers the detail of the first problem
 * (a string), or the parsed options. Those are lent: copy what you need, then pass them back to
 * {@link returnOptions}. Read only the fields you named (and `allowShortSecret`): the others hold
 * whatever an earlier call left.
 */
export const parseOptions = (options: unknown, names: readonly OptionName[]): ParsedOptions | string => {
  const fields = fieldsOf(options);
  if (fields === undefined) return OPTIONS_DETAIL;
  const into = spare ?? blank();
  spare = undefined;
  into.afterStep = undefined;
  for (let index = 0; index < names.length; index++) {
    const problem = readOption(names[index] as OptionName, fields, into);
    if (problem !== undefined) {
      spare = into;
      return problem;
    }
  }
  into.allowShortSecret = fields.allowShortSecret;
  return into;
};

/** Gives parsed options back for the next call to reuse. */
export const returnOptions = (parsed: ParsedOptions): void => {
  spare = parsed;
};
