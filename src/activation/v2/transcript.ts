import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import type { ActivationCode } from '../activation-code.js';
import { constantTimeEqual } from '../constant-time.js';
import { SEED_BYTES } from '../protocol.js';
import { lengthPrefixed, toBase64Url } from './bytes.js';
import { ACTIVATION_PROTOCOL_V2, KEY_CONFIRMATION_LABEL, PROOF_KEY_LABEL, PROOF_LABEL, SEED_V2_INFO_LABEL, TRANSCRIPT_LABEL } from './protocol.js';

/** The public half of a v2 activation, as the app sends it (raw bytes). */
export interface DeviceKeyOffer {
  readonly serial: string;
  /** The app's ECDH P-256 public key, 65 bytes uncompressed. */
  readonly agreementKey: Uint8Array;
  /** The app's ECDSA P-256 public key, 65 bytes uncompressed: it signs confirmations later. */
  readonly signingKey: Uint8Array;
}

/** proofKey = HKDF-SHA256(ikm = activation code, salt = none, info = label || serial, 32 bytes). */
const proofKey = (activationCode: ActivationCode, serial: string): Uint8Array =>
  hkdf(sha256, utf8ToBytes(activationCode), undefined, concatBytes(utf8ToBytes(PROOF_KEY_LABEL), utf8ToBytes(serial)), 32);

/**
 * The activation proof: HMAC-SHA256(proofKey, lp(label) || lp(serial) || lp(agreementKey) ||
 * lp(signingKey)). It shows the activation code's holder sent these keys, and reveals nothing an
 * observer could use to derive the seed (the seed needs an ECDH private key).
 */
export const activationProof = (activationCode: ActivationCode, offer: DeviceKeyOffer): Uint8Array =>
  hmac(sha256, proofKey(activationCode, offer.serial), lengthPrefixed(PROOF_LABEL, offer.serial, offer.agreementKey, offer.signingKey));

/** Whether a proof matches, compared in constant time. */
export const proofMatches = (activationCode: ActivationCode, offer: DeviceKeyOffer, proof: Uint8Array): boolean =>
  constantTimeEqual(toBase64Url(activationProof(activationCode, offer)), toBase64Url(proof));

/** The transcript: lp(label) || lp(version) || lp(serial) || lp(proof) || lp(agreementKey) || lp(signingKey) || lp(serverKey). */
export const transcript = (offer: DeviceKeyOffer, proof: Uint8Array, serverKey: Uint8Array): Uint8Array =>
  lengthPrefixed(TRANSCRIPT_LABEL, Uint8Array.of(ACTIVATION_PROTOCOL_V2), offer.serial, proof, offer.agreementKey, offer.signingKey, serverKey);

/** seed = HKDF-SHA256(ikm = ECDH shared secret, salt = SHA-256(transcript), info = label, 20 bytes). */
export const deriveSeedV2 = (sharedSecret: Uint8Array, transcriptBytes: Uint8Array): Uint8Array =>
  hkdf(sha256, sharedSecret, sha256(transcriptBytes), utf8ToBytes(SEED_V2_INFO_LABEL), SEED_BYTES);

/** keyConfirmation = HMAC-SHA256(seed, lp(label) || lp(SHA-256(transcript))): the app checks the server derived the same seed. */
export const keyConfirmation = (seed: Uint8Array, transcriptBytes: Uint8Array): Uint8Array =>
  hmac(sha256, seed, lengthPrefixed(KEY_CONFIRMATION_LABEL, sha256(transcriptBytes)));
