import { createCipheriv, createDecipheriv, createSecretKey, randomBytes } from 'node:crypto';
import type { KeyObject } from 'node:crypto';

/**
 * AES-256-GCM through `node:crypto` (OpenSSL), synchronously: this module serves only the
 * PostgreSQL entry point, which is Node-only anyway, and a synchronous cipher costs a few
 * microseconds where WebCrypto's promise-per-call (key import and decrypt, each a trip to the
 * thread pool) doubled the time of a vault read. A sealed box is `nonce (12) || ciphertext || tag (16)`.
 * Nonces are random: 96 bits, one key per secret (data keys) or a few million wraps per KEK at
 * most, far below the 2^32 messages NIST allows under one key with random nonces.
 */

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const AES_KEY_BYTES = 32;
const ALGORITHM = 'aes-256-gcm';

/** An AES key held by OpenSSL (a `KeyObject`): its bytes are not in any JavaScript buffer. */
export type AesKey = KeyObject;

/** Imports 32 raw bytes as a key object (a copy); the caller may zero its bytes afterwards. */
export const importAesKey = (raw: Uint8Array): AesKey => createSecretKey(raw);

/** 32 fresh random bytes. */
export const randomAesKeyBytes = (): Uint8Array => new Uint8Array(randomBytes(AES_KEY_BYTES));

/** Encrypts and authenticates `plaintext` with `aad` bound to it, under a key object or raw key bytes. */
export const seal = (key: AesKey | Uint8Array, plaintext: Uint8Array, aad: Uint8Array): Uint8Array => {
  const nonce = randomBytes(NONCE_BYTES);
  const cipher = createCipheriv(ALGORITHM, key, nonce, { authTagLength: TAG_BYTES });
  cipher.setAAD(aad);
  // A copy of its own, not a view of Node's shared buffer pool.
  return Uint8Array.from(Buffer.concat([nonce, cipher.update(plaintext), cipher.final(), cipher.getAuthTag()]));
};

/** The plaintext of a sealed box, or undefined when it does not authenticate (changed, or other aad or key). */
export const open = (key: AesKey | Uint8Array, box: Uint8Array, aad: Uint8Array): Uint8Array | undefined => {
  if (box.length < NONCE_BYTES + TAG_BYTES) return undefined;
  const decipher = createDecipheriv(ALGORITHM, key, box.subarray(0, NONCE_BYTES), { authTagLength: TAG_BYTES });
  decipher.setAAD(aad);
  decipher.setAuthTag(box.subarray(box.length - TAG_BYTES));
  const body = decipher.update(box.subarray(NONCE_BYTES, box.length - TAG_BYTES));
  try {
    decipher.final();
  } catch {
    // OpenSSL answers "unable to authenticate data" for a box that does not authenticate: nothing else to tell.
    body.fill(0);
    return undefined;
  }
  const plaintext = Uint8Array.from(body);
  body.fill(0);
  return plaintext;
};
