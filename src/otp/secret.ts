/** New OTP seeds. */
import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import type { Random } from '../ports/random.js';
import { cryptoRandom } from '../ports/random.js';
import { MIN_SECRET_BYTES, fieldsOf, integerIn } from './internal/options.js';
import type { OtpRejection } from './rejection.js';
import { invalidOptions, unavailable, weakSecret } from './rejection.js';

/** Options of `generateSecret`. */
export interface GenerateSecretOptions {
  /** Seed length in bytes (default 20: 160 bits, as RFC 4226 recommends; at most 128). */
  readonly bytes?: number;
  /** Allow seeds shorter than 16 bytes (128 bits), for legacy tokens that need them. */
  readonly allowShortSecret?: boolean;
}

/** The longest seed worth having: HMAC hashes longer keys down to at most 64 bytes anyway. */
const MAX_SECRET_BYTES = 128;

/**
 * A new random OTP seed, 20 bytes unless told otherwise. Refuses (`weak-secret`) fewer than 16
 * bytes unless `allowShortSecret` is set, and never returns an empty seed. A `Random` port that
 * throws or returns the wrong number of bytes gives `unavailable`.
 */
export const generateSecret = (random: Random = cryptoRandom, options?: GenerateSecretOptions): Either<OtpRejection, Uint8Array> => {
  const fields = fieldsOf(options);
  if (fields === undefined) return left(invalidOptions('options must be an object'));
  const bytes = integerIn(fields.bytes, 20, 1, MAX_SECRET_BYTES);
  if (Number.isNaN(bytes)) return left(invalidOptions(`bytes must be a whole number from 1 to ${MAX_SECRET_BYTES}`));
  if (bytes < MIN_SECRET_BYTES && fields.allowShortSecret !== true) return left(weakSecret);
  let secret: unknown;
  try {
    secret = random.bytes(bytes);
  } catch {
    return left(unavailable('the random source failed'));
  }
  if (!(secret instanceof Uint8Array) || secret.length !== bytes) {
    return left(unavailable('the random source returned the wrong number of bytes'));
  }
  return right(secret);
};
