/**
 * Activation protocol v1: the constants both sides must agree on. The full description, with test
 * vectors, is in docs/activation-protocol.md. Changing any of these is a new protocol version.
 */

/** The protocol version this library speaks; the first digit of every registration code. */
export const ACTIVATION_PROTOCOL_VERSION = 1;

/** Random digits in an activation code: 27 decimal digits carry 89.7 bits of entropy. */
export const ACTIVATION_CODE_RANDOM_DIGITS = 27;
/** An activation code as typed: its random digits followed by one Damm check digit. */
export const ACTIVATION_CODE_LENGTH = ACTIVATION_CODE_RANDOM_DIGITS + 1;

/** Decimal digits of the device nonce carried in a registration code. */
export const NONCE_DIGITS = 12;
/** Decimal digits of the truncated MAC carried in a registration code. */
export const MAC_DIGITS = 10;
/** version (1) + nonce + MAC + Damm check digit (1). */
export const REGISTRATION_CODE_LENGTH = 1 + NONCE_DIGITS + MAC_DIGITS + 1;

/** Bytes of the derived seed: 160 bits, the OATH recommendation for HMAC-SHA1 tokens. */
export const SEED_BYTES = 20;

/** HKDF `info` prefix; the serial's UTF-8 bytes follow it. */
export const SEED_INFO_LABEL = 'softtoken-sdk/activation/v1/seed';
/** HMAC message prefix; the serial's and the nonce's UTF-8 bytes follow it. */
export const REGISTRATION_MAC_LABEL = 'softtoken-sdk/activation/v1/registration';

/** Digits per group when a code is shown to a person. */
export const DISPLAY_GROUP = 4;
