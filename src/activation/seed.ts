import { hkdf } from '@noble/hashes/hkdf.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { concatBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import type { ActivationCode } from './activation-code.js';
import { MAC_DIGITS, REGISTRATION_MAC_LABEL, SEED_BYTES, SEED_INFO_LABEL } from './protocol.js';

/**
 * The token's OTP seed, derived the same way on the phone and on the server:
 * HKDF-SHA256(ikm = activation code, salt = nonce, info = label || serial, 20 bytes).
 * The serial in `info` binds the seed to one token; the nonce makes every activation attempt
 * produce a different seed.
 */
export const deriveSeed = (activationCode: ActivationCode, serial: string, nonce: string): Uint8Array =>
  hkdf(sha256, utf8ToBytes(activationCode), utf8ToBytes(nonce), concatBytes(utf8ToBytes(SEED_INFO_LABEL), utf8ToBytes(serial)), SEED_BYTES);

const MAC_MODULUS = 10n ** BigInt(MAC_DIGITS);

/**
 * Proof that the phone derived the seed: HMAC-SHA256(seed, label || serial || nonce), its first
 * 8 bytes read big-endian, reduced to 10 decimal digits. The label has a fixed length and the
 * nonce a fixed number of digits, so the concatenation is unambiguous.
 */
export const registrationMac = (seed: Uint8Array, serial: string, nonce: string): string => {
  const mac = hmac(sha256, seed, concatBytes(utf8ToBytes(REGISTRATION_MAC_LABEL), utf8ToBytes(serial), utf8ToBytes(nonce)));
  let value = 0n;
  for (let index = 0; index < 8; index++) value = (value << 8n) | BigInt(mac[index] ?? 0);
  return (value % MAC_MODULUS).toString().padStart(MAC_DIGITS, '0');
};
