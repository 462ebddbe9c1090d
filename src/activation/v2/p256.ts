import { plainBytes } from './bytes.js';

// The P-256 operations of protocol v2, through WebCrypto (`globalThis.crypto.subtle`): native in
// Node 20 and in browsers, so the SDK imports no `node:` module and bundles no curve code. An app
// whose runtime lacks it (or keeps keys in secure hardware) brings its own `DeviceKeys`.

type Subtle = typeof globalThis.crypto.subtle;
/** A WebCrypto key, named from the global so that no DOM or `node:` typings are needed. */
export type WebCryptoKey = Awaited<ReturnType<Subtle['importKey']>>;
/** The fields of a P-256 JSON Web Key this protocol reads. */
export interface P256Jwk {
  readonly kty: 'EC';
  readonly crv: 'P-256';
  readonly x: string;
  readonly y: string;
  readonly d?: string;
}

const ECDH = { name: 'ECDH', namedCurve: 'P-256' } as const;
const ECDSA = { name: 'ECDSA', namedCurve: 'P-256' } as const;
const ECDSA_SHA256 = { name: 'ECDSA', hash: 'SHA-256' } as const;

/** WebCrypto's SubtleCrypto, or undefined where the runtime has none. */
export const subtleCrypto = (): Subtle | undefined => (globalThis as { readonly crypto?: { readonly subtle?: Subtle } }).crypto?.subtle;

const subtle = (): Subtle => {
  const found = subtleCrypto();
  if (found === undefined) throw new Error('WebCrypto (globalThis.crypto.subtle) is not available');
  return found;
};

/** An ECDH key pair of P-256: the public key raw (65 bytes), the private key unextractable. */
export interface AgreementKeyPair {
  readonly publicKey: Uint8Array;
  readonly privateKey: WebCryptoKey;
}

/** A fresh ECDH P-256 key pair. */
export const generateAgreementKeyPair = async (): Promise<AgreementKeyPair> => {
  const pair = await subtle().generateKey(ECDH, false, ['deriveBits']);
  return { publicKey: new Uint8Array(await subtle().exportKey('raw', pair.publicKey)), privateKey: pair.privateKey };
};

/** An ECDH key pair from a private JWK (test vectors, or a key the app kept). */
export const importAgreementKeyPair = async (jwk: P256Jwk): Promise<AgreementKeyPair> => {
  const privateKey = await subtle().importKey('jwk', { ...jwk }, ECDH, false, ['deriveBits']);
  const publicKey = await subtle().importKey('jwk', { kty: jwk.kty, crv: jwk.crv, x: jwk.x, y: jwk.y }, ECDH, true, []);
  return { publicKey: new Uint8Array(await subtle().exportKey('raw', publicKey)), privateKey };
};

/**
 * The ECDH shared secret (the X coordinate, 32 bytes) of our private key and a peer's raw public
 * key. WebCrypto refuses a point that is not on the curve (a rejected promise).
 */
export const agree = async (privateKey: WebCryptoKey, peerPublicKey: Uint8Array): Promise<Uint8Array> => {
  const peer = await subtle().importKey('raw', plainBytes(peerPublicKey), ECDH, false, []);
  return new Uint8Array(await subtle().deriveBits({ name: 'ECDH', public: peer }, privateKey, 256));
};

/** An ECDSA P-256 signing key pair: the public key raw (65 bytes). */
export interface SigningKeyPair {
  readonly publicKey: Uint8Array;
  readonly privateKey: WebCryptoKey;
}

/** A fresh ECDSA P-256 key pair whose private key cannot be exported. */
export const generateSigningKeyPair = async (): Promise<SigningKeyPair> => {
  const pair = await subtle().generateKey(ECDSA, false, ['sign', 'verify']);
  return { publicKey: new Uint8Array(await subtle().exportKey('raw', pair.publicKey)), privateKey: pair.privateKey };
};

/** An ECDSA signature (SHA-256, IEEE P1363 r || s) of a message. */
export const signMessage = async (privateKey: WebCryptoKey, message: Uint8Array): Promise<Uint8Array> =>
  new Uint8Array(await subtle().sign(ECDSA_SHA256, privateKey, plainBytes(message)));

/** Imported verification keys, by their base64url text: importing costs as much as verifying. */
const verifyKeys = new Map<string, Promise<WebCryptoKey>>();
const VERIFY_KEY_CACHE = 1024;

const verifyKey = (raw: Uint8Array, cacheKey: string): Promise<WebCryptoKey> => {
  const cached = verifyKeys.get(cacheKey);
  if (cached !== undefined) return cached;
  const imported = subtle().importKey('raw', plainBytes(raw), ECDSA, false, ['verify']);
  // A key that fails to import is not kept: the next call tries again and fails the same way.
  imported.catch(() => verifyKeys.delete(cacheKey));
  if (verifyKeys.size >= VERIFY_KEY_CACHE) verifyKeys.delete(verifyKeys.keys().next().value ?? '');
  verifyKeys.set(cacheKey, imported);
  return imported;
};

/**
 * Whether `signature` is a valid ECDSA P-256/SHA-256 signature (P1363) of `message` under the raw
 * public key. Never throws: a key off the curve, or any failure, is false.
 */
export const verifySignature = async (publicKey: Uint8Array, cacheKey: string, message: Uint8Array, signature: Uint8Array): Promise<boolean> => {
  try {
    return await subtle().verify(ECDSA_SHA256, await verifyKey(publicKey, cacheKey), plainBytes(signature), plainBytes(message));
  } catch {
    return false;
  }
};
