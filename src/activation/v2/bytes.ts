import { utf8ToBytes } from '@noble/hashes/utils.js';

// Byte helpers of protocol v2: base64url for keys, proofs and signatures in JSON, and the
// length-prefixed concatenation that makes every transcript unambiguous.

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const VALUE = new Map(Array.from(ALPHABET, (character) => character).map((character, index) => [character, index]));

/** Bytes as unpadded base64url (RFC 4648 section 5). */
export const toBase64Url = (bytes: Uint8Array): string => {
  let out = '';
  for (let index = 0; index < bytes.length; index += 3) {
    const chunk = ((bytes[index] ?? 0) << 16) | ((bytes[index + 1] ?? 0) << 8) | (bytes[index + 2] ?? 0);
    const characters = Math.min(4, Math.ceil(((bytes.length - index) * 8) / 6));
    for (let position = 0; position < characters; position++) out += ALPHABET.charAt((chunk >> (18 - 6 * position)) & 63);
  }
  return out;
};

/**
 * Unpadded base64url of exactly `length` bytes, or undefined: any other input (another alphabet,
 * padding, a wrong length, non-zero trailing bits, not a string) is refused, so one byte string
 * has one text form.
 */
export const fromBase64Url = (text: unknown, length: number): Uint8Array | undefined => {
  if (typeof text !== 'string' || text.length !== Math.ceil((length * 8) / 6)) return undefined;
  const out = new Uint8Array(length);
  let buffer = 0;
  let bits = 0;
  let written = 0;
  for (const character of text) {
    const value = VALUE.get(character);
    if (value === undefined) return undefined;
    buffer = ((buffer << 6) | value) & 0xffff;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out[written++] = (buffer >> bits) & 0xff;
    }
  }
  return (buffer & ((1 << bits) - 1)) === 0 ? out : undefined;
};

/** A field of a transcript: a 2-byte big-endian length, then the bytes (strings as UTF-8). */
export const lengthPrefixed = (...fields: readonly (Uint8Array | string)[]): Uint8Array<ArrayBuffer> => {
  const parts = fields.map((field) => (typeof field === 'string' ? utf8ToBytes(field) : field));
  const out = new Uint8Array(parts.reduce((total, part) => total + 2 + part.length, 0));
  let offset = 0;
  for (const part of parts) {
    out[offset] = part.length >> 8;
    out[offset + 1] = part.length & 0xff;
    out.set(part, offset + 2);
    offset += 2 + part.length;
  }
  return out;
};

/** A copy whose buffer is a plain ArrayBuffer, as WebCrypto's typings ask. */
export const plainBytes = (bytes: Uint8Array): Uint8Array<ArrayBuffer> => Uint8Array.from(bytes);
