/**
 * Base32 (RFC 4648 §6), the way OTP seeds travel in Key URIs and manual-entry screens. Output is
 * upper case without padding; input may be in either case, spaced out for reading, and padded.
 */
import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';

/** Why a text is not Base32. The detail never repeats the text: it is usually a secret. */
export interface Base32Error {
  readonly _tag: 'invalid-base32';
  readonly detail: string;
}

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

/**
 * The Base32 text of `bytes`: upper case, no padding. From plain JavaScript, anything that is not
 * a Uint8Array encodes as no bytes do (''), rather than throwing.
 */
export const encodeBase32 = (bytes: Uint8Array): string => {
  const given: unknown = bytes;
  if (!(given instanceof Uint8Array)) return '';
  let text = '';
  let pending = 0;
  let pendingBits = 0;
  for (const byte of bytes) {
    pending = ((pending << 8) | byte) & 0xfff;
    pendingBits += 8;
    while (pendingBits >= 5) {
      pendingBits -= 5;
      text += ALPHABET.charAt((pending >>> pendingBits) & 31);
    }
  }
  if (pendingBits > 0) text += ALPHABET.charAt((pending << (5 - pendingBits)) & 31);
  return text;
};

const NOT_BASE32 = -1;
const SKIP = -2;
const PADDING = -3;

/** The 5-bit value of a character code, or what else it is. */
const valueOf = (charCode: number): number => {
  if (charCode >= 65 && charCode <= 90) return charCode - 65; // A-Z
  if (charCode >= 97 && charCode <= 122) return charCode - 97; // a-z
  if (charCode >= 50 && charCode <= 55) return charCode - 24; // 2-7
  if (charCode === 32 || charCode === 9 || charCode === 10 || charCode === 13) return SKIP;
  if (charCode === 61) return PADDING; // =
  return NOT_BASE32;
};

const invalid = (detail: string): Either<Base32Error, never> => left({ _tag: 'invalid-base32', detail });

/**
 * The bytes of a Base32 text. Tolerates lower case, white space anywhere and `=` padding at the
 * end; refuses any other character, data after padding, and lengths that no byte string
 * encodes to (a last group of 1, 3 or 6 characters). Unused low bits of the last character are
 * ignored, as most authenticator apps do. Never throws.
 */
export const decodeBase32 = (text: string): Either<Base32Error, Uint8Array> => {
  const input: unknown = text;
  if (typeof input !== 'string') return invalid('Base32 text must be a string');
  let characters = 0;
  let padded = false;
  for (let i = 0; i < input.length; i++) {
    const value = valueOf(input.charCodeAt(i));
    if (value === NOT_BASE32) return invalid(`character ${i + 1} is not Base32`);
    if (value === PADDING) padded = true;
    else if (value >= 0) {
      if (padded) return invalid(`character ${i + 1} follows padding`);
      characters++;
    }
  }
  const lastGroup = characters % 8;
  if (lastGroup === 1 || lastGroup === 3 || lastGroup === 6) return invalid('the length is not that of any byte string');

  const bytes = new Uint8Array(Math.floor((characters * 5) / 8));
  let pending = 0;
  let pendingBits = 0;
  let written = 0;
  for (let i = 0; i < input.length && written < bytes.length; i++) {
    const value = valueOf(input.charCodeAt(i));
    if (value < 0) continue;
    pending = ((pending << 5) | value) & 0xfff;
    pendingBits += 5;
    if (pendingBits >= 8) {
      pendingBits -= 8;
      bytes[written++] = pending >>> pendingBits;
    }
  }
  return right(bytes);
};
