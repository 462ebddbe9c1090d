/**
 * The message an OCRA response MACs (RFC 6287 §5.2): the suite's text, a zero byte, then the
 * data inputs the suite names, each at a fixed size:
 *
 *   suite | 00 | C (8 bytes) | Q (128 bytes) | P (hash size) | S (nnn bytes) | T (8 bytes)
 *
 * Counter and time sit at known offsets, so a verification rewrites only those 8 bytes for each
 * candidate of its window. Everything here reads user input defensively and never throws.
 */
import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import type { OtpAlgorithm } from '../engine.js';
import type { OcraSuite } from './ocra-suite.js';

/** The question field is always this long, whatever the suite (RFC 6287 §5.2). */
const QUESTION_BYTES = 128;

/** A whole hash of `bytes` under `algorithm` (the functions the OTP MAC is built on). */
export const hashOf = (algorithm: OtpAlgorithm, bytes: Uint8Array): Uint8Array =>
  algorithm === 'SHA1' ? sha1(bytes) : algorithm === 'SHA256' ? sha256(bytes) : sha512(bytes);

/** The size in bytes of a hash of `algorithm`. */
export const hashBytes = (algorithm: OtpAlgorithm): number => (algorithm === 'SHA1' ? 20 : algorithm === 'SHA256' ? 32 : 64);

const FORMAT_NAMES = { A: 'letters and digits (A-Z, a-z, 0-9)', N: 'decimal digits', H: 'hexadecimal digits' } as const;
const FORMAT_SYNTAX = { A: /^[0-9A-Za-z]+$/, N: /^[0-9]+$/, H: /^[0-9A-Fa-f]+$/ } as const;

/**
 * The question as its 128-byte field. A question has from 4 to twice the suite's `xx`
 * characters: twice, because mutual challenge-response (RFC 6287 §7.3) MACs the client's and the
 * server's challenges one after the other under the same `QFxx`.
 *
 * The encodings are the RFC's reference ones: `N` is the number written in hexadecimal, `H` the
 * hexadecimal digits themselves, both left-aligned and padded with zero digits on the right; `A` is
 * the characters' ASCII bytes, padded with zero bytes.
 */
export const questionField = (suite: OcraSuite, question: unknown): Either<string, Uint8Array> => {
  const { format, length } = suite.question;
  const detail = `question must be 4 to ${2 * length} ${FORMAT_NAMES[format]}`;
  if (typeof question !== 'string' || question.length < 4 || question.length > 2 * length || !FORMAT_SYNTAX[format].test(question)) {
    return left(detail);
  }
  const field = new Uint8Array(QUESTION_BYTES);
  if (format === 'A') {
    for (let i = 0; i < question.length; i++) field[i] = question.charCodeAt(i);
    return right(field);
  }
  // At most 128 decimal digits: below 10^128 < 2^426, so at most 107 hexadecimal digits.
  const hex = format === 'N' ? BigInt(question).toString(16) : question;
  for (let i = 0; i < hex.length; i++) {
    const nibble = Number.parseInt(hex.charAt(i), 16);
    const at = i >>> 1;
    field[at] = (field[at] as number) | ((i & 1) === 0 ? nibble << 4 : nibble);
  }
  return right(field);
};

/**
 * The `P` field: the hash of the PIN. Exactly one of `password` (the PIN, hashed here as UTF-8)
 * and `passwordHash` (the hash a server keeps, of the suite's hash size) when the suite has `P`;
 * neither when it has not, so a caller who believes a PIN is checked is told that it is not.
 */
export const passwordField = (suite: OcraSuite, password: unknown, passwordHash: unknown): Either<string, Uint8Array | undefined> => {
  if (suite.password === undefined) {
    return password === undefined && passwordHash === undefined ? right(undefined) : left('password: the suite has no P data input');
  }
  const size = hashBytes(suite.password);
  if (password !== undefined && passwordHash !== undefined) return left('password: give password or passwordHash, not both');
  if (typeof password === 'string') return right(hashOf(suite.password, new TextEncoder().encode(password)));
  if (passwordHash instanceof Uint8Array && passwordHash.length === size) return right(Uint8Array.from(passwordHash));
  return left(`password: the suite needs a PIN (password, a string) or its P${suite.password} hash (passwordHash, ${size} bytes)`);
};

/**
 * The `S` field: the session information, at most `Snnn` bytes, aligned right and padded with
 * zero bytes on the left (as the RFC's reference code pads its hexadecimal).
 */
export const sessionField = (suite: OcraSuite, session: unknown): Either<string, Uint8Array | undefined> => {
  const size = suite.sessionBytes;
  if (size === undefined) return session === undefined ? right(undefined) : left('session: the suite has no S data input');
  if (!(session instanceof Uint8Array) || session.length > size) return left(`session must be a Uint8Array of at most ${size} bytes`);
  const field = new Uint8Array(size);
  field.set(session, size - session.length);
  return right(field);
};

/** A message with room for the counter and the time step, which the caller writes. */
export interface OcraMessage {
  readonly bytes: Uint8Array;
  /** Offset of the 8-byte counter, or -1 when the suite has none. */
  readonly counterAt: number;
  /** Offset of the 8-byte time step, or -1 when the suite has none. */
  readonly timeAt: number;
}

/** Lays the message out; counter and time are left zero. */
export const layOutMessage = (
  suite: OcraSuite,
  question: Uint8Array,
  password: Uint8Array | undefined,
  session: Uint8Array | undefined,
): OcraMessage => {
  const text = new TextEncoder().encode(suite.text);
  const size =
    text.length + 1 + (suite.counter ? 8 : 0) + QUESTION_BYTES + (password?.length ?? 0) + (session?.length ?? 0) + (suite.timeStepSeconds === undefined ? 0 : 8);
  const bytes = new Uint8Array(size);
  bytes.set(text, 0);
  let at = text.length + 1; // the zero byte that ends the suite is already there
  const counterAt = suite.counter ? at : -1;
  if (suite.counter) at += 8;
  bytes.set(question, at);
  at += QUESTION_BYTES;
  if (password !== undefined) {
    bytes.set(password, at);
    at += password.length;
  }
  if (session !== undefined) {
    bytes.set(session, at);
    at += session.length;
  }
  const timeAt = suite.timeStepSeconds === undefined ? -1 : at;
  return { bytes, counterAt, timeAt };
};

/** Writes the 8-byte big-endian number (`high`, `low`: unsigned 32-bit halves) at `at`. */
export const writeEight = (bytes: Uint8Array, at: number, high: number, low: number): void => {
  bytes[at] = high >>> 24;
  bytes[at + 1] = (high >>> 16) & 0xff;
  bytes[at + 2] = (high >>> 8) & 0xff;
  bytes[at + 3] = high & 0xff;
  bytes[at + 4] = low >>> 24;
  bytes[at + 5] = (low >>> 16) & 0xff;
  bytes[at + 6] = (low >>> 8) & 0xff;
  bytes[at + 7] = low & 0xff;
};
