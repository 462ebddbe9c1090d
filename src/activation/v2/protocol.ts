/**
 * Activation protocol v2 (online): the constants both sides must agree on. The full description,
 * with test vectors, is in docs/activation-protocol.md. Changing any of these is a new version.
 */

/** The protocol version; the `protocol` field of an `EnrollDeviceV2` command and a transcript field. */
export const ACTIVATION_PROTOCOL_V2 = 2;

/** Bytes of an uncompressed P-256 public key (SEC1: 0x04 || X || Y). */
export const P256_PUBLIC_KEY_BYTES = 65;
/** Bytes of a P-256 ECDSA signature in IEEE P1363 form (r || s), as WebCrypto signs. */
export const P256_SIGNATURE_BYTES = 64;
/** Bytes of the activation proof: an HMAC-SHA256. */
export const ACTIVATION_PROOF_BYTES = 32;
/** Bytes of the server's key confirmation: an HMAC-SHA256. */
export const KEY_CONFIRMATION_BYTES = 32;

/** HKDF `info` prefix of the proof key; the serial follows. */
export const PROOF_KEY_LABEL = 'softtoken-sdk/activation/v2/proof-key';
/** First field of the proof message. */
export const PROOF_LABEL = 'softtoken-sdk/activation/v2/proof';
/** First field of the transcript. */
export const TRANSCRIPT_LABEL = 'softtoken-sdk/activation/v2/transcript';
/** HKDF `info` of the seed. */
export const SEED_V2_INFO_LABEL = 'softtoken-sdk/activation/v2/seed';
/** First field of the key confirmation message. */
export const KEY_CONFIRMATION_LABEL = 'softtoken-sdk/activation/v2/key-confirmation';

/** First field of the message an app signs to approve a confirmation challenge. */
export const APPROVE_LABEL = 'softtoken-sdk/confirmation/v1/approve';
/** First field of the message an app signs to reject one. */
export const REJECT_LABEL = 'softtoken-sdk/confirmation/v1/reject';
/** Bytes of a confirmation challenge. */
export const CHALLENGE_BYTES = 32;
