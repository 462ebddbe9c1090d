import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { hasValidDammCheckDigit } from '../../activation/check-digit.js';
import { constantTimeEqual } from '../../activation/constant-time.js';
import { stripSeparators } from '../../activation/digits.js';

// Temporary access for a lost token: one-time recovery codes (or one emergency code), stored only as
// slow salted digests. The clear codes exist once, on their way to the owner through the delivery
// port. A digest costs PBKDF2_ITERATIONS HMACs to test one guess offline; online, wrong codes count
// toward the token's lock like wrong OTPs.

/** Digits of a recovery code, its Damm check digit included (about 50 bits of randomness). */
export const RECOVERY_CODE_LENGTH = 16;

/** PBKDF2-HMAC-SHA256 iterations per digest (see docs/decisions.md). */
export const PBKDF2_ITERATIONS = 10_000;

/** Temporary access as the token holds it: the salt, one digest per code, which are spent, and the expiry. */
export interface TemporaryAccess {
  readonly kind: 'recovery-codes' | 'emergency-code';
  readonly salt: string;
  readonly digests: readonly string[];
  /** Indexes of the codes already used. */
  readonly used: readonly number[];
  readonly expiresAtMs: number;
}

/** The slow, salted digest of a recovery code in canonical form (digits only), as hex. */
export const recoveryCodeDigest = (canonical: string, saltHex: string): string =>
  bytesToHex(pbkdf2(sha256, utf8ToBytes(canonical), hexToBytes(saltHex), { c: PBKDF2_ITERATIONS, dkLen: 32 }));

/** A typed recovery code in canonical form, or undefined when it cannot be one (wrong length, characters or check digit). */
export const canonicalRecoveryCode = (typed: unknown): string | undefined => {
  if (typeof typed !== 'string' || typed.length > 64) return undefined;
  const digits = stripSeparators(typed);
  return digits.length === RECOVERY_CODE_LENGTH && /^[0-9]+$/.test(digits) && hasValidDammCheckDigit(digits) ? digits : undefined;
};

/** True while the access has not expired and some code is unused. */
export const isTemporaryAccessOpen = (access: TemporaryAccess | undefined, nowMs: number): access is TemporaryAccess =>
  access !== undefined && nowMs < access.expiresAtMs && access.used.length < access.digests.length;

/**
 * The verdict on a typed code: the index of the unused code it matches, `malformed` when it cannot
 * be a recovery code, `replay` when it matches a spent one, `mismatch` otherwise. Every digest is
 * compared, in constant time, so the answer's timing tells nothing of which one matched.
 */
export const matchRecoveryCode = (access: TemporaryAccess, typed: unknown): { readonly index: number } | 'malformed' | 'replay' | 'mismatch' => {
  const canonical = canonicalRecoveryCode(typed);
  if (canonical === undefined) return 'malformed';
  const digest = recoveryCodeDigest(canonical, access.salt);
  let found = -1;
  access.digests.forEach((candidate, index) => {
    if (constantTimeEqual(candidate, digest) && found < 0) found = index;
  });
  if (found < 0) return 'mismatch';
  return access.used.includes(found) ? 'replay' : { index: found };
};
