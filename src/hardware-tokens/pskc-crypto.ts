import * as E from 'fp-ts/lib/Either.js';
import { cbc } from '@noble/ciphers/aes.js';
import { equalBytes } from '@noble/ciphers/utils.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';

// The cryptography of RFC 6030 section 6: AES-CBC key encryption (XML Encryption: the IV is the
// first block of the cipher value, PKCS#7 padding), HMAC over the cipher value, PBKDF2 for
// password-based keys. Cipher and MAC by @noble/ciphers and @noble/hashes (audited, no native code).

const XMLENC = 'http://www.w3.org/2001/04/xmlenc#';
const BLOCK = 16;

/** Key length in bytes of each supported XML Encryption block cipher. */
const cbcKeyLengths: ReadonlyMap<string, number> = new Map([
  [`${XMLENC}aes128-cbc`, 16],
  [`${XMLENC}aes192-cbc`, 24],
  [`${XMLENC}aes256-cbc`, 32],
]);

type Hash = typeof sha1;

/** The MAC algorithms of RFC 6030 section 6.1.1 and XML Signature. */
const macHashes: ReadonlyMap<string, Hash> = new Map<string, Hash>([
  ['http://www.w3.org/2000/09/xmldsig#hmac-sha1', sha1],
  ['http://www.w3.org/2001/04/xmldsig-more#hmac-sha256', sha256],
  ['http://www.w3.org/2001/04/xmldsig-more#hmac-sha512', sha512],
]);

/** The PBKDF2 pseudo-random functions (the default is HMAC-SHA1). */
const prfHashes: ReadonlyMap<string, Hash> = new Map<string, Hash>([
  ['http://www.w3.org/2000/09/xmldsig#hmac-sha1', sha1],
  ['http://www.w3.org/2001/04/xmldsig-more#hmac-sha256', sha256],
  ['http://www.w3.org/2001/04/xmldsig-more#hmac-sha512', sha512],
]);

/** Base64 (white space allowed, as XML wraps it) to bytes; undefined when it is not Base64. */
export const decodeBase64 = (text: string): Uint8Array | undefined => {
  try {
    return Uint8Array.from(atob(text), (character) => character.charCodeAt(0));
  } catch {
    return undefined;
  }
};

/** True when the algorithm URI names a supported AES-CBC cipher. */
export const isSupportedCipher = (algorithm: string): boolean => cbcKeyLengths.has(algorithm);

/**
 * Decrypts an XML Encryption AES-CBC cipher value (IV, then cipher text) with `key`. A key of the
 * wrong length, a value that is not whole blocks, or bad padding (the usual sign of a wrong key)
 * is a reason, never a throw.
 */
export const decryptCbc = (algorithm: string, key: Uint8Array, cipherValue: Uint8Array): E.Either<string, Uint8Array> => {
  const keyLength = cbcKeyLengths.get(algorithm);
  if (keyLength === undefined) return E.left('the encryption algorithm is not AES-128/192/256-CBC');
  if (key.length !== keyLength) return E.left(`the key for this algorithm must be ${String(keyLength * 8)} bits`);
  if (cipherValue.length < 2 * BLOCK || cipherValue.length % BLOCK !== 0) return E.left('the cipher value is not an IV and whole AES blocks');
  return E.tryCatch(
    () => cbc(key, cipherValue.subarray(0, BLOCK)).decrypt(cipherValue.subarray(BLOCK)),
    () => 'the value does not decrypt with this key (wrong pre-shared key or password?)',
  );
};

/** True when the MAC algorithm URI is supported. */
export const isSupportedMac = (algorithm: string): boolean => macHashes.has(algorithm);

/** Whether `mac` is the HMAC of `data` under `key`, compared in constant time. */
export const macMatches = (algorithm: string, key: Uint8Array, data: Uint8Array, mac: Uint8Array): boolean => {
  const hash = macHashes.get(algorithm);
  return hash !== undefined && equalBytes(hmac(hash, key, data), mac);
};

/** PBKDF2 parameters as a PSKC file gives them. */
export interface Pbkdf2Parameters {
  readonly salt: Uint8Array;
  readonly iterations: number;
  readonly keyLength: number;
  /** The PRF's algorithm URI; undefined: HMAC-SHA1. */
  readonly prf: string | undefined;
}

/** The key PBKDF2 derives from a password, or why it cannot. */
export const derivePbkdf2 = (password: string, parameters: Pbkdf2Parameters): E.Either<string, Uint8Array> => {
  const hash = parameters.prf === undefined ? sha1 : prfHashes.get(parameters.prf);
  if (hash === undefined) return E.left('the PBKDF2 pseudo-random function is not HMAC-SHA1/256/512');
  return E.right(pbkdf2(hash, new TextEncoder().encode(password), parameters.salt, { c: parameters.iterations, dkLen: parameters.keyLength }));
};
