/**
 * The SHA-2 round constants and initial hash values (FIPS 180-4 §4.2.2, §4.2.3, §5.3.3, §5.3.5),
 * derived from their definition rather than typed in: the first 64 bits of the fractional parts
 * of the cube roots (K) and square roots (IV) of the first primes. The SHA-256 words are the
 * upper halves of the SHA-512 ones. Computed once, on first use of a SHA-2 algorithm, so
 * SHA-1-only callers never pay for it.
 */

/** The SHA-2 constants as signed 32-bit words; 64-bit values as (high, low) word pairs. */
export interface Sha2Constants {
  /** SHA-256 K: 64 words. */
  readonly k256: Int32Array;
  /** SHA-256 H(0): 8 words. */
  readonly iv256: Int32Array;
  /** SHA-512 K: 80 (high, low) pairs, 160 words. */
  readonly k512: Int32Array;
  /** SHA-512 H(0): 8 (high, low) pairs, 16 words. */
  readonly iv512: Int32Array;
}

const firstPrimes = (count: number): number[] => {
  const primes: number[] = [];
  for (let candidate = 2; primes.length < count; candidate++) {
    if (primes.every((prime) => candidate % prime !== 0)) primes.push(candidate);
  }
  return primes;
};

/** floor(value^(1/degree)) by Newton's method from above. */
const integerRoot = (value: bigint, degree: bigint): bigint => {
  let root = 1n << (BigInt(value.toString(2).length) / degree + 1n);
  for (;;) {
    const next = ((degree - 1n) * root + value / root ** (degree - 1n)) / degree;
    if (next >= root) return root;
    root = next;
  }
};

const MASK_64 = (1n << 64n) - 1n;

/** The first 64 fractional bits of prime^(1/degree), as (high, low) signed 32-bit words. */
const fractionWords = (primes: readonly number[], degree: bigint): Int32Array => {
  const words = new Int32Array(primes.length * 2);
  primes.forEach((prime, index) => {
    const bits = integerRoot(BigInt(prime) << (64n * degree), degree) & MASK_64;
    words[2 * index] = Number(bits >> 32n) | 0;
    words[2 * index + 1] = Number(bits & 0xffffffffn) | 0;
  });
  return words;
};

const highWords = (pairs: Int32Array, count: number): Int32Array => {
  const words = new Int32Array(count);
  for (let index = 0; index < count; index++) words[index] = pairs[2 * index] as number;
  return words;
};

let cached: Sha2Constants | undefined;

/** The SHA-2 constants, derived on the first call. */
export const sha2Constants = (): Sha2Constants => {
  if (cached === undefined) {
    const primes = firstPrimes(80);
    const k512 = fractionWords(primes, 3n);
    const iv512 = fractionWords(primes.slice(0, 8), 2n);
    cached = { k256: highWords(k512, 64), iv256: highWords(iv512, 8), k512, iv512 };
  }
  return cached;
};
