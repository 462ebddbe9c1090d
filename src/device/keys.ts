import { agree, generateAgreementKeyPair, generateSigningKeyPair, signMessage } from '../activation/v2/p256.js';

/**
 * The app's ECDSA P-256 signing key. The private half never leaves the phone: the default keeps
 * it as an unextractable WebCrypto key; an app may implement this over the Secure Enclave or the
 * Android Keystore instead (P-256 is what they hold).
 */
export interface DeviceSigningKey {
  /** The public key, 65 bytes uncompressed (0x04 || X || Y). */
  readonly publicKey: Uint8Array;
  /** An ECDSA signature with SHA-256 of `message`, IEEE P1363 (r || s, 64 bytes). */
  readonly sign: (message: Uint8Array) => Promise<Uint8Array>;
}

/** The app's one-use ECDH P-256 key of an activation. */
export interface DeviceAgreementKey {
  /** The public key, 65 bytes uncompressed. */
  readonly publicKey: Uint8Array;
  /** The ECDH shared secret (X coordinate, 32 bytes) with the server's public key. */
  readonly agree: (peerPublicKey: Uint8Array) => Promise<Uint8Array>;
}

/** The two keys of a v2 activation. */
export interface DeviceKeys {
  readonly agreement: DeviceAgreementKey;
  readonly signing: DeviceSigningKey;
}

/** Fresh keys through WebCrypto (`globalThis.crypto.subtle`), private halves unextractable. */
export const generateDeviceKeys = async (): Promise<DeviceKeys> => {
  const [agreement, signing] = await Promise.all([generateAgreementKeyPair(), generateSigningKeyPair()]);
  return {
    agreement: { publicKey: agreement.publicKey, agree: (peer) => agree(agreement.privateKey, peer) },
    signing: { publicKey: signing.publicKey, sign: (message) => signMessage(signing.privateKey, message) },
  };
};
