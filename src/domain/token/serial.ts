/**
 * Soft-token serial numbers: a bank prefix of 1 to 4 letters, 10 digits, and an ISO 7064
 * MOD 37-2 check character over everything before it (e.g. `ST8294934037L`). Because 37 is
 * prime, the check catches every single-character typo and every swap of two adjacent characters
 * when a person copies a serial from the portal into the phone. MOD 37-2 may call for `*` as the
 * check character; such serials are never issued (the draw is repeated), so a serial is always
 * letters and digits.
 */

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ*';
const MODULUS = 37;

const checksum = (text: string): number => {
  let sum = 0;
  for (const character of text) sum = (2 * sum + ALPHABET.indexOf(character)) % MODULUS;
  return sum;
};

/** The ISO 7064 MOD 37-2 check character of a string of digits and upper-case letters. */
export const serialCheckCharacter = (body: string): string => ALPHABET.charAt((((1 - 2 * checksum(body)) % MODULUS) + MODULUS) % MODULUS);

/** A valid serial's shape: prefix, ten digits, check character. */
export const SERIAL_PATTERN = /^[A-Z]{1,4}[0-9]{10}[0-9A-Z]$/;

/** A bank prefix: 1 to 4 upper-case letters. */
export const SERIAL_PREFIX_PATTERN = /^[A-Z]{1,4}$/;

/** The prefix used when the host configures none. */
export const DEFAULT_SERIAL_PREFIX = 'ST';

/** True when a string has a soft-token serial's shape and its check character holds. */
export const isValidSerial = (serial: string): boolean => typeof serial === 'string' && SERIAL_PATTERN.test(serial) && checksum(serial) === 1;
