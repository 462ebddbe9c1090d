/**
 * OCRA (RFC 6287): challenge-response codes. The response MACs a question (and, as the suite
 * says, a counter, a PIN hash, session information and the time), so a code computed for one
 * question is worthless for another: the basis of dynamic linking, where the question is derived
 * from what is being approved.
 */
import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import { equalBit, formatCode, parseCode } from './internal/code.js';
import { messageOf } from './internal/ocra-inputs.js';
import type { OcraMessage } from './internal/ocra-message.js';
import { hashBytes, writeEight } from './internal/ocra-message.js';
import type { OcraQuestionFormat, OcraSuite } from './internal/ocra-suite.js';
import { parseSuiteText } from './internal/ocra-suite.js';
import {
  COUNTER_DETAIL,
  MAX_COUNTER,
  SECRET_DETAIL,
  TIME_DETAIL,
  counterHigh,
  counterLow,
  fieldsOf,
  integerIn,
  isCounter,
  isTimeMs,
  limits,
  secretProblem,
  timeStep,
} from './internal/options.js';
import type { OtpRejection } from './rejection.js';
import { invalidOptions, malformed, mismatch, replay } from './rejection.js';
import { firstFreshIndex } from './totp.js';
import { isAfterStep } from './internal/options.js';

export type { OcraQuestionFormat, OcraSuite };

/** The data inputs of one OCRA response; which are needed is the suite's choice. */
export interface OcraInputs {
  /** The challenge: 4 to 2·xx characters of the suite's format (twice: a mutual challenge is two joined). */
  readonly question: string;
  /** `C` suites only: the counter, 0 to 2^64 - 1. */
  readonly counter?: bigint | number;
  /** `P` suites only: the PIN, hashed here as UTF-8 with the suite's P hash. */
  readonly password?: string;
  /** `P` suites only, instead of `password`: the PIN's hash as a server keeps it (20, 32 or 64 bytes). */
  readonly passwordHash?: Uint8Array;
  /** `S` suites only: the session information, at most `nnn` bytes (padded with zero bytes on the left). */
  readonly session?: Uint8Array;
  /** `T` suites only: the time, in milliseconds since the Unix epoch; its time step is MACed. */
  readonly timeMs?: number;
}

/** Options of `verifyOcra`: the inputs, and the windows searched. */
export interface VerifyOcraOptions extends OcraInputs {
  /** `C` suites: counters searched beyond `counter` (default 0: challenges are fresh, there is nothing to catch up). */
  readonly lookAhead?: number;
  /** `T` suites: steps accepted before the current one (default 1, at most 100). */
  readonly past?: number;
  /** `T` suites: steps accepted after the current one (default 1, at most 100). */
  readonly future?: number;
  /** `T` suites: the last step accepted for this token; a response of this step or an earlier one is a `replay`. */
  readonly afterStep?: bigint | number;
  /** Accept seeds shorter than 128 bits (legacy tokens only). */
  readonly allowShortSecret?: boolean;
}

/** A verified OCRA response. */
export interface OcraMatch {
  /** `C` suites: the counter that produced it; the next challenge should use the one after it. */
  readonly counter?: bigint;
  /** `T` suites: the time step that produced it: pass it as the next `afterStep`. */
  readonly step?: bigint;
  /** `T` suites: the matched step minus the step of `timeMs`. */
  readonly drift?: number;
}

/** At most this many candidates (counters × steps) per verification: bounds the work one call can ask for. */
export const MAX_OCRA_CANDIDATES = 10_000;

/**
 * The suite `text` parsed (RFC 6287 §6), e.g. `parseOcraSuite('OCRA-1:HOTP-SHA256-8:QH64-T1M')`.
 * Never throws: anything that is not a valid suite is `invalid-options`, with a detail saying
 * which part is wrong.
 */
export const parseOcraSuite = (text: unknown): Either<OtpRejection, OcraSuite> => {
  const suite = parseSuiteText(text);
  return suite._tag === 'Left' ? left(invalidOptions(suite.left)) : suite;
};

const HASH_FUNCTIONS = { SHA1: sha1, SHA256: sha256, SHA512: sha512 } as const;

/** The RFC 4226 §5.4 dynamic truncation of a whole HMAC: a 31-bit integer. */
const truncate = (mac: Uint8Array): number => {
  const offset = (mac[mac.length - 1] as number) & 0xf;
  return (
    (((mac[offset] as number) & 0x7f) << 24) | ((mac[offset + 1] as number) << 16) | ((mac[offset + 2] as number) << 8) | (mac[offset + 3] as number)
  );
};

const hex = (bytes: Uint8Array): string => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');

/** The suite, given as text or already parsed (re-read from its text, so a hand-made object cannot lie). */
const suiteOf = (suite: unknown): Either<string, OcraSuite> =>
  parseSuiteText(typeof suite === 'object' && suite !== null ? (suite as { readonly text?: unknown }).text : suite);

/**
 * The OCRA response of `secret` to `inputs` under `suite` (RFC 6287), e.g. `'237653'` for
 * `OCRA-1:HOTP-SHA1-6:QN08`, the 20-byte RFC seed and question `'00000000'`. A suite of 0 digits
 * answers the whole HMAC, in lower-case hexadecimal.
 *
 * Like `hotp`, a generator for the host's (or the app's) own code: bad parameters throw.
 *
 * @throws RangeError when the suite is not valid or an input is missing, not allowed by the suite
 * or out of range; TypeError when `secret` is not a Uint8Array or `inputs` not an object.
 */
export const ocra = (suite: string | OcraSuite, secret: Uint8Array, inputs: OcraInputs): string => {
  const fields = fieldsOf(inputs);
  if (fields === undefined) throw new TypeError('inputs must be an object');
  const parsed = suiteOf(suite);
  if (parsed._tag === 'Left') throw new RangeError(parsed.left);
  if (!(secret instanceof Uint8Array)) throw new TypeError(SECRET_DETAIL);
  const message = messageOf(parsed.right, fields);
  if (message._tag === 'Left') throw new RangeError(message.left);
  const { bytes, counterAt, timeAt } = message.right;
  if (counterAt >= 0) {
    if (!isCounter(fields.counter)) throw new RangeError(`counter ${COUNTER_DETAIL}`);
    writeEight(bytes, counterAt, counterHigh(fields.counter), counterLow(fields.counter));
  }
  if (timeAt >= 0) {
    if (!isTimeMs(fields.timeMs)) throw new RangeError(TIME_DETAIL);
    const step = timeStep(fields.timeMs, parsed.right.timeStepSeconds ?? 1);
    writeEight(bytes, timeAt, counterHigh(step), counterLow(step));
  }
  const mac = hmac(HASH_FUNCTIONS[parsed.right.algorithm], secret, bytes);
  bytes.fill(0);
  const { digits } = parsed.right;
  return digits === 0 ? hex(mac) : formatCode(truncate(mac) % 10 ** digits, digits);
};

/** The response as a comparable value: a number for digit suites (-1 if it cannot match), bytes for 0-digit ones. */
const expectedOf = (response: unknown, suite: OcraSuite): number | Uint8Array | undefined => {
  if (suite.digits > 0) {
    const value = parseCode(response, suite.digits);
    // A 10-digit response above 2^31 - 1 is well formed but no truncation produces it.
    return value < 0 ? undefined : value > 0x7fffffff ? -1 : value;
  }
  const size = hashBytes(suite.algorithm);
  if (typeof response !== 'string' || response.length !== 2 * size || !/^[0-9A-Fa-f]+$/.test(response)) return undefined;
  const bytes = new Uint8Array(size);
  for (let i = 0; i < size; i++) bytes[i] = Number.parseInt(response.slice(2 * i, 2 * i + 2), 16);
  return bytes;
};

/** 1 when the MAC produces `expected`, 0 otherwise, in time independent of where they differ. */
const matchBit = (mac: Uint8Array, expected: number | Uint8Array, modulus: number): number => {
  if (typeof expected === 'number') return equalBit(truncate(mac) % modulus, expected);
  let difference = 0;
  for (let i = 0; i < mac.length; i++) difference |= (mac[i] as number) ^ (expected[i] as number);
  return equalBit(difference, 0);
};

interface Window {
  readonly counterStart: bigint;
  readonly counters: number;
  readonly firstStep: number;
  readonly steps: number;
  readonly firstFresh: number;
  readonly currentStep: number;
}

/** The counters and steps to search, or a detail naming the bad option. */
const windowOf = (suite: OcraSuite, fields: Readonly<Record<string, unknown>>): Either<string, Window> => {
  let counterStart = 0n;
  let counters = 1;
  if (suite.counter) {
    const lookAhead = integerIn(fields.lookAhead, 0, limits.lookAhead.min, limits.lookAhead.max);
    if (Number.isNaN(lookAhead)) return left(limits.lookAhead.detail);
    if (!isCounter(fields.counter)) return left(`counter ${COUNTER_DETAIL}`);
    counterStart = BigInt(fields.counter);
    // The window stops at the last 8-byte counter.
    counters = Math.min(lookAhead, Number(MAX_COUNTER - counterStart)) + 1;
  } else if (fields.lookAhead !== undefined) {
    return left('lookAhead: the suite has no C data input');
  }
  let firstStep = 0;
  let steps = 1;
  let firstFresh = 0;
  let currentStep = 0;
  if (suite.timeStepSeconds !== undefined) {
    const past = integerIn(fields.past, 1, limits.window.min, limits.window.max);
    if (Number.isNaN(past)) return left(`past ${limits.window.detail}`);
    const future = integerIn(fields.future, 1, limits.window.min, limits.window.max);
    if (Number.isNaN(future)) return left(`future ${limits.window.detail}`);
    if (!isTimeMs(fields.timeMs)) return left(TIME_DETAIL);
    if (!isAfterStep(fields.afterStep)) return left('afterStep must be a bigint or a safe integer');
    currentStep = timeStep(fields.timeMs, suite.timeStepSeconds);
    firstStep = Math.max(0, currentStep - past);
    steps = currentStep + future - firstStep + 1;
    firstFresh = firstFreshIndex(firstStep, steps, fields.afterStep);
  } else if (fields.past !== undefined || fields.future !== undefined || fields.afterStep !== undefined) {
    return left('past, future, afterStep: the suite has no T data input');
  }
  if (counters * steps > MAX_OCRA_CANDIDATES) return left(`lookAhead and the time window: at most ${MAX_OCRA_CANDIDATES} candidates`);
  return right({ counterStart, counters, firstStep, steps, firstFresh, currentStep });
};

/** Computes and compares every candidate of the window, without a branch on any comparison. */
const scan = (suite: OcraSuite, secret: Uint8Array, message: OcraMessage, window: Window, expected: number | Uint8Array): Either<OtpRejection, OcraMatch> => {
  const keyed = hmac.create(HASH_FUNCTIONS[suite.algorithm], secret);
  const modulus = 10 ** suite.digits;
  const { bytes, counterAt, timeAt } = message;
  let matchedCounter = -1;
  let matchedStep = -1;
  let stale = 0;
  for (let c = 0; c < window.counters; c++) {
    if (counterAt >= 0) {
      const counter = window.counterStart + BigInt(c);
      writeEight(bytes, counterAt, counterHigh(counter), counterLow(counter));
    }
    for (let s = 0; s < window.steps; s++) {
      if (timeAt >= 0) {
        const step = window.firstStep + s;
        writeEight(bytes, timeAt, counterHigh(step), counterLow(step));
      }
      const mac = keyed.clone().update(bytes).digest();
      const equal = matchBit(mac, expected, modulus);
      mac.fill(0);
      const fresh = s >= window.firstFresh ? 1 : 0;
      const take = -(equal & fresh);
      matchedCounter = (c & take) | (matchedCounter & ~take);
      matchedStep = (s & take) | (matchedStep & ~take);
      stale |= equal & (fresh ^ 1);
    }
  }
  keyed.destroy();
  if (matchedCounter < 0) return left(stale === 1 ? replay : mismatch);
  const step = window.firstStep + matchedStep;
  return right({
    ...(suite.counter ? { counter: window.counterStart + BigInt(matchedCounter) } : {}),
    ...(suite.timeStepSeconds === undefined ? {} : { step: BigInt(step), drift: step - window.currentStep }),
  });
};

/**
 * Checks an OCRA response to the inputs under `suite`, over the counters `counter` to
 * `counter + lookAhead` (`C` suites) and the steps `past` before to `future` after that of
 * `timeMs` (`T` suites). Never throws: a bad suite or option is `invalid-options`, a response
 * that is not `digits` digits (or, for 0 digits, the whole HMAC in hexadecimal) `malformed`, a
 * seed under 128 bits `weak-secret` (unless `allowShortSecret`), a response of a step at or
 * before `afterStep` a `replay`. Every candidate is computed and compared in constant time;
 * when several fresh ones match, the highest counter and latest step win.
 */
export const verifyOcra = (
  suite: string | OcraSuite,
  secret: Uint8Array,
  response: unknown,
  options: VerifyOcraOptions,
): Either<OtpRejection, OcraMatch> => {
  const fields = fieldsOf(options);
  if (fields === undefined) return left(invalidOptions('options must be an object'));
  const parsed = suiteOf(suite);
  if (parsed._tag === 'Left') return left(invalidOptions(parsed.left));
  const theSuite = parsed.right;
  const message = messageOf(theSuite, fields);
  if (message._tag === 'Left') return left(invalidOptions(message.left));
  const window = windowOf(theSuite, fields);
  if (window._tag === 'Left') return left(invalidOptions(window.left));
  const unusable = secretProblem(secret, fields.allowShortSecret);
  if (unusable !== undefined) return left(unusable);
  const expected = expectedOf(response, theSuite);
  if (expected === undefined) {
    return left(
      malformed(theSuite.digits > 0 ? `the response must be a string of ${theSuite.digits} digits` : 'the response must be the whole HMAC in hexadecimal'),
    );
  }
  const result = scan(theSuite, secret, message.right, window.right, expected);
  // The message holds the PIN's hash: leave nothing behind.
  message.right.bytes.fill(0);
  return result;
};
