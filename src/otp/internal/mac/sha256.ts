/**
 * The SHA-256 compression function (FIPS 180-4 §6.2.2) over 32-bit words, for HMAC-based OTPs.
 * A plain loop: SHA-256 tokens are rarer than SHA-1 ones, so clarity wins over unrolling here.
 *
 * Every typed-array index here is fixed by the algorithm and in range, hence the `as number`
 * on reads (`noUncheckedIndexedAccess` cannot see it, and a `?? 0` would be dead code).
 */

const rotr = (word: number, bits: number): number => (word >>> bits) | (word << (32 - bits));

/**
 * Makes a SHA-256 compression over the round constants `k` (64 words). The returned function
 * lets the state `from` (8 words) absorb `block` (16 big-endian words), writes the result to the
 * first 8 words of `into` (which may be `from`), and allocates nothing.
 */
export const sha256Compressor = (k: Int32Array): ((from: Int32Array, block: Int32Array, into: Int32Array) => void) => {
  const schedule = new Int32Array(64);
  return (from, block, into) => {
    const w = schedule;
    for (let t = 0; t < 16; t++) w[t] = block[t] as number;
    for (let t = 16; t < 64; t++) {
      const w2 = w[t - 2] as number;
      const w15 = w[t - 15] as number;
      const sigma1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >>> 10);
      const sigma0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >>> 3);
      w[t] = (sigma1 + (w[t - 7] as number) + sigma0 + (w[t - 16] as number)) | 0;
    }
    let a = from[0] as number, b = from[1] as number, c = from[2] as number, d = from[3] as number;
    let e = from[4] as number, f = from[5] as number, g = from[6] as number, h = from[7] as number;
    for (let t = 0; t < 64; t++) {
      const bigSigma1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
      const choose = (e & f) ^ (~e & g);
      const t1 = (h + bigSigma1 + choose + (k[t] as number) + (w[t] as number)) | 0;
      const bigSigma0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
      const majority = (a & b) ^ (a & c) ^ (b & c);
      const t2 = (bigSigma0 + majority) | 0;
      h = g;
      g = f;
      f = e;
      e = (d + t1) | 0;
      d = c;
      c = b;
      b = a;
      a = (t1 + t2) | 0;
    }
    into[0] = ((from[0] as number) + a) | 0;
    into[1] = ((from[1] as number) + b) | 0;
    into[2] = ((from[2] as number) + c) | 0;
    into[3] = ((from[3] as number) + d) | 0;
    into[4] = ((from[4] as number) + e) | 0;
    into[5] = ((from[5] as number) + f) | 0;
    into[6] = ((from[6] as number) + g) | 0;
    into[7] = ((from[7] as number) + h) | 0;
    // The schedule of an outer block holds words of the inner digest: leave nothing behind.
    w.fill(0);
  };
};
