/**
 * The OCRA key of dynamic linking, derived from a token's seed on both sides (the server's engine and
 * the approver's app), so no second secret is enrolled and a code of one kind never serves as the
 * other: the TOTP key and the OCRA key are different keys.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8ToBytes } from '@noble/hashes/utils.js';

/** The label MACed with the seed: names the purpose and its version. */
export const DYNAMIC_LINKING_KEY_LABEL = 'softtoken-sdk/dynamic-linking-key/v1';

/**
 * The 32-byte OCRA key of a token for dynamic linking: HMAC-SHA-256(seed, `softtoken-sdk/dynamic-linking-key/v1`).
 * Like the code generators, it throws on a seed that is not bytes.
 */
export const dynamicLinkingKey = (seed: Uint8Array): Uint8Array => hmac(sha256, seed, utf8ToBytes(DYNAMIC_LINKING_KEY_LABEL));
