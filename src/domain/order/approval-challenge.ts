/**
 * The OCRA question of an approval: derived from the approval digest, so the response the
 * approver's app computes (RFC 6287) is bound to the payees and amounts it shows. See
 * docs/dynamic-linking.md for the choice of suite.
 */
import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import type { SdkError } from '../../errors/sdk-error.js';
import { invalidCommand } from '../../errors/sdk-error.js';
import type { OcraSuite } from '../../otp/ocra.js';
import { parseOcraSuite } from '../../otp/ocra.js';
import type { ApprovalDigest } from './approval-digest.js';
import { APPROVAL_DIGEST_VERSION } from './approval-digest.js';

/**
 * The suite this SDK recommends for dynamic linking: HMAC-SHA-256, 8-digit responses, the whole
 * 256-bit digest as a 64-digit hexadecimal question, and one-minute time steps (a response is
 * good for about a minute either side, and `afterStep` refuses it a second time).
 */
export const DYNAMIC_LINKING_SUITE = 'OCRA-1:HOTP-SHA256-8:QH64-T1M';

const DIGEST_SYNTAX = /^[0-9a-f]{64}$/;
const BASE36 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/** `value` written with exactly `length` digits of `alphabet`: its residue modulo base^length, zero-padded. */
const digitsOf = (value: bigint, alphabet: string, length: number): string => {
  const base = BigInt(alphabet.length);
  let rest = value;
  let out = '';
  for (let i = 0; i < length; i++) {
    out = alphabet.charAt(Number(rest % base)) + out;
    rest /= base;
  }
  return out;
};

/**
 * The OCRA question of `digest` for `suite`: exactly `xx` characters of the suite's format.
 * - `QHxx`: the first `xx` hexadecimal digits of the digest (upper case); `QH64` is all of it.
 * - `QNxx`: the digest, read as a 256-bit number, modulo 10^xx, zero-padded: uniform to within
 *   10^xx / 2^256 (below 2^-43 even for xx = 64).
 * - `QAxx`: likewise in base 36 (`0-9A-Z`).
 * A suite that is not valid, or a digest of another version or shape, is `INVALID_COMMAND`.
 */
export const ocraChallengeOf = (digest: ApprovalDigest, suite: string | OcraSuite): Either<SdkError, string> => {
  const fields = typeof digest === 'object' && (digest as unknown) !== null ? (digest as { readonly sha256?: unknown; readonly version?: unknown }) : {};
  const hex = fields.sha256;
  const version = fields.version;
  if (version !== APPROVAL_DIGEST_VERSION || typeof hex !== 'string' || !DIGEST_SYNTAX.test(hex)) {
    return left(invalidCommand([{ path: 'digest', message: `must be a version ${APPROVAL_DIGEST_VERSION} approval digest (64 lower-case hexadecimal digits)` }]));
  }
  const parsed = parseOcraSuite(typeof suite === 'object' && (suite as unknown) !== null ? (suite as { readonly text?: unknown }).text : suite);
  if (parsed._tag === 'Left') {
    return left(invalidCommand([{ path: 'suite', message: parsed.left._tag === 'invalid-options' ? parsed.left.detail : 'must be an OCRA suite' }]));
  }
  const { format, length } = parsed.right.question;
  if (format === 'H') return right(hex.slice(0, length).toUpperCase());
  const value = BigInt(`0x${hex}`);
  return right(digitsOf(value, format === 'N' ? BASE36.slice(0, 10) : BASE36, length));
};
