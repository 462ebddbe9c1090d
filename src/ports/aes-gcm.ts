/**
 * AES-256-GCM through WebCrypto (`globalThis.crypto.subtle`: Node 20+, Deno, Bun, browsers): the
 * platform's constant-time AES, nothing to install. A sealed box is `nonce (12) || ciphertext || tag (16)`.
 * Nonces are random: 96 bits, one key per secret (data keys) or a few million wraps per KEK at
 * most, far below the 2^32 messages NIST allows under one key with random nonces.
 */

const NONCE_BYTES = 12;
const TAG_BYTES = 16;
export const AES_KEY_BYTES = 32;

type Subtle = typeof globalThis.crypto.subtle;
/** An AES key held by the platform's crypto (WebCrypto's `CryptoKey`). */
export type AesKey = Awaited<ReturnType<Subtle['importKey']>>;

const subtle = (): Subtle => globalThis.crypto.subtle;

/** Imports 32 raw bytes as a non-extractable AES-GCM key; the caller may zero its bytes afterwards. */
export const importAesKey = (raw: Uint8Array): Promise<AesKey> => subtle().importKey('raw', raw, { name: 'AES-GCM' }, false, ['encrypt', 'decrypt']);

/** 32 fresh random bytes. */
export const randomAesKeyBytes = (): Uint8Array => globalThis.crypto.getRandomValues(new Uint8Array(AES_KEY_BYTES));

/** Encrypts and authenticates `plaintext` with `aad` bound to it. */
export const seal = async (key: AesKey, plaintext: Uint8Array, aad: Uint8Array): Promise<Uint8Array> => {
  const nonce = globalThis.crypto.getRandomValues(new Uint8Array(NONCE_BYTES));
  const body = new Uint8Array(await subtle().encrypt({ name: 'AES-GCM', iv: nonce, additionalData: aad, tagLength: TAG_BYTES * 8 }, key, plaintext));
  const box = new Uint8Array(NONCE_BYTES + body.length);
  box.set(nonce);
  box.set(body, NONCE_BYTES);
  body.fill(0);
  return box;
};

/** The plaintext of a sealed box, or undefined when it does not authenticate (changed, or other aad or key). */
export const open = async (key: AesKey, box: Uint8Array, aad: Uint8Array): Promise<Uint8Array | undefined> => {
  if (box.length < NONCE_BYTES + TAG_BYTES) return undefined;
  try {
    const plain = await subtle().decrypt(
      { name: 'AES-GCM', iv: box.subarray(0, NONCE_BYTES), additionalData: aad, tagLength: TAG_BYTES * 8 },
      key,
      box.subarray(NONCE_BYTES),
    );
    return new Uint8Array(plain);
  } catch {
    // WebCrypto answers an OperationError for a box that does not authenticate: nothing else to tell.
    return undefined;
  }
};
