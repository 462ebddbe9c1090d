/**
 * Reading an OCRA suite (RFC 6287 §6): `OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1`. The suite is the
 * contract between token and server; its exact text is also the first part of every message
 * MACed, so it is parsed strictly (upper case, no spaces, each data input at most once).
 */
import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import type { OtpAlgorithm } from '../engine.js';

/** How the challenge question is written: alphanumeric, numeric (decimal) or hexadecimal. */
export type OcraQuestionFormat = 'A' | 'N' | 'H';

/** A parsed OCRA suite. */
export interface OcraSuite {
  /** The suite as written: it is part of the MACed message, byte for byte. */
  readonly text: string;
  /** The HMAC hash function (`HOTP-SHA1`, `HOTP-SHA256`, `HOTP-SHA512`). */
  readonly algorithm: OtpAlgorithm;
  /** Response length: 4 to 10 digits, or 0 for the whole HMAC in hexadecimal. */
  readonly digits: number;
  /** `C`: an 8-byte counter is part of the message. */
  readonly counter: boolean;
  /** `QFxx`: the question's format and the length of one challenge (4 to 64 characters). */
  readonly question: { readonly format: OcraQuestionFormat; readonly length: number };
  /** `PSHA1` / `PSHA256` / `PSHA512`: the hash of the PIN is part of the message. */
  readonly password?: OtpAlgorithm;
  /** `Snnn`: that many bytes of session information are part of the message (1 to 512). */
  readonly sessionBytes?: number;
  /** `T…`: the time step in seconds (`T30S`, `T1M`, `T1H`…), whose count since 1970 is part of the message. */
  readonly timeStepSeconds?: number;
}

/** Longer than any valid suite (the longest is 47 characters): bounds the work on hostile text. */
const MAX_SUITE_LENGTH = 64;

/** What a valid suite looks like, for error details (the text itself is never echoed). */
export const SUITE_DETAIL =
  'suite must read OCRA-1:HOTP-<SHA1|SHA256|SHA512>-<0|4-10>:[C-]Q<A|N|H><04-64>[-P<SHA1|SHA256|SHA512>][-S<001-512>][-T<1-59S|1-59M|1-48H>]';

const HASHES: Readonly<Record<string, OtpAlgorithm>> = { SHA1: 'SHA1', SHA256: 'SHA256', SHA512: 'SHA512' };
const TIME_UNITS: Readonly<Record<string, { readonly seconds: number; readonly max: number }>> = {
  S: { seconds: 1, max: 59 },
  M: { seconds: 60, max: 59 },
  H: { seconds: 3600, max: 48 },
};

/** A whole number written with exactly the digits of `text` (no sign, no spaces), or NaN. */
const decimal = (text: string): number => (/^[0-9]+$/.test(text) ? Number(text) : Number.NaN);

const invalid = (why: string): Either<string, never> => left(`${SUITE_DETAIL} (${why})`);

/** The crypto function `HOTP-SHA256-8`. */
const cryptoFunction = (text: string): Either<string, { algorithm: OtpAlgorithm; digits: number }> => {
  const parts = text.split('-');
  const algorithm = HASHES[parts[1] ?? ''];
  if (parts.length !== 3 || parts[0] !== 'HOTP' || algorithm === undefined) return invalid('unknown crypto function');
  const digitsText = parts[2] ?? '';
  const digits = digitsText.length <= 2 ? decimal(digitsText) : Number.NaN;
  if (!(digits === 0 || (digits >= 4 && digits <= 10)) || (digitsText.length === 2 && digitsText.startsWith('0'))) {
    return invalid('digits must be 0 or 4 to 10');
  }
  return right({ algorithm, digits });
};

/**
 * The suite `text`, parsed, or a detail saying what is wrong (without repeating the text). Never
 * throws, whatever `text` is.
 */
export const parseSuiteText = (text: unknown): Either<string, OcraSuite> => {
  if (typeof text !== 'string' || text.length > MAX_SUITE_LENGTH) return invalid('not a string of at most 64 characters');
  const sections = text.split(':');
  if (sections.length !== 3 || sections[0] !== 'OCRA-1') return invalid('three sections, the first OCRA-1');
  const crypto = cryptoFunction(sections[1] ?? '');
  if (crypto._tag === 'Left') return crypto;

  const inputs = (sections[2] ?? '').split('-');
  let at = 0;
  const counter = inputs[0] === 'C';
  if (counter) at++;
  const q = inputs[at++] ?? '';
  const format = q[1];
  const length = q.length === 4 ? decimal(q.slice(2)) : Number.NaN;
  if (q[0] !== 'Q' || (format !== 'A' && format !== 'N' && format !== 'H') || !(length >= 4 && length <= 64)) {
    return invalid('the question must be Q<A|N|H><04-64>');
  }

  let password: OtpAlgorithm | undefined;
  let sessionBytes: number | undefined;
  let timeStepSeconds: number | undefined;
  for (; at < inputs.length; at++) {
    const input = inputs[at] ?? '';
    if (input.startsWith('P') && password === undefined) {
      password = HASHES[input.slice(1)];
      if (password === undefined) return invalid('the password hash must be PSHA1, PSHA256 or PSHA512');
    } else if (input.startsWith('S') && sessionBytes === undefined) {
      sessionBytes = input.length === 4 ? decimal(input.slice(1)) : Number.NaN;
      if (!(sessionBytes >= 1 && sessionBytes <= 512)) return invalid('the session length must be S001 to S512');
    } else if (input.startsWith('T') && timeStepSeconds === undefined) {
      const unit = TIME_UNITS[input.slice(-1)];
      const countText = input.slice(1, -1);
      const count = countText.length <= 2 && !countText.startsWith('0') ? decimal(countText) : Number.NaN;
      if (unit === undefined || !(count >= 1 && count <= unit.max)) return invalid('the time step must be T1S-T59S, T1M-T59M or T1H-T48H');
      timeStepSeconds = count * unit.seconds;
    } else {
      return invalid('after the question only P, S and T, each at most once');
    }
  }

  return right({
    text,
    algorithm: crypto.right.algorithm,
    digits: crypto.right.digits,
    counter,
    question: { format, length },
    ...(password === undefined ? {} : { password }),
    ...(sessionBytes === undefined ? {} : { sessionBytes }),
    ...(timeStepSeconds === undefined ? {} : { timeStepSeconds }),
  });
};
