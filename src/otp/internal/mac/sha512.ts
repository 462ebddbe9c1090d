/**
 * The SHA-512 compression function (FIPS 180-4 §6.4.2), for HMAC-based OTPs. JavaScript has no
 * fast 64-bit integers, so every 64-bit word is a (high, low) pair of signed 32-bit words, laid
 * out high first: the same big-endian order as the digest bytes.
 *
 * Every typed-array index here is fixed by the algorithm and in range, hence the `as number`
 * on reads (`noUncheckedIndexedAccess` cannot see it, and a `?? 0` would be dead code).
 */

// Rotations of the 64-bit word (high, low) right by 0 < n < 32. A rotation by 32 + n is the
// same rotation applied to the swapped pair (low, high).
const rotrHigh = (high: number, low: number, n: number): number => (high >>> n) | (low << (32 - n));
const rotrLow = (high: number, low: number, n: number): number => (low >>> n) | (high << (32 - n));

/**
 * Makes a SHA-512 compression over the round constants `k` (80 pairs). The returned function
 * lets the state `from` (16 words: 8 pairs) absorb `block` (32 words: 16 pairs), writes the
 * result to the first 16 words of `into` (which may be `from`), and allocates nothing.
 */
export const sha512Compressor = (k: Int32Array): ((from: Int32Array, block: Int32Array, into: Int32Array) => void) => {
  const schedule = new Int32Array(160);
  return (from, block, into) => {
    const w = schedule;
    for (let i = 0; i < 32; i++) w[i] = block[i] as number;
    for (let t = 16; t < 80; t++) {
      // sigma0 of W[t-15]: rotr 1, rotr 8, shr 7
      const h15 = w[2 * (t - 15)] as number;
      const l15 = w[2 * (t - 15) + 1] as number;
      const sigma0High = rotrHigh(h15, l15, 1) ^ rotrHigh(h15, l15, 8) ^ (h15 >>> 7);
      const sigma0Low = rotrLow(h15, l15, 1) ^ rotrLow(h15, l15, 8) ^ ((l15 >>> 7) | (h15 << 25));
      // sigma1 of W[t-2]: rotr 19, rotr 61, shr 6
      const h2 = w[2 * (t - 2)] as number;
      const l2 = w[2 * (t - 2) + 1] as number;
      const sigma1High = rotrHigh(h2, l2, 19) ^ rotrHigh(l2, h2, 29) ^ (h2 >>> 6);
      const sigma1Low = rotrLow(h2, l2, 19) ^ rotrLow(l2, h2, 29) ^ ((l2 >>> 6) | (h2 << 26));
      const low =
        (sigma1Low >>> 0) + ((w[2 * (t - 7) + 1] as number) >>> 0) + (sigma0Low >>> 0) + ((w[2 * (t - 16) + 1] as number) >>> 0);
      w[2 * t] = (sigma1High + (w[2 * (t - 7)] as number) + sigma0High + (w[2 * (t - 16)] as number) + ((low / 0x100000000) | 0)) | 0;
      w[2 * t + 1] = low | 0;
    }
    let ah = from[0] as number, al = from[1] as number, bh = from[2] as number, bl = from[3] as number;
    let ch = from[4] as number, cl = from[5] as number, dh = from[6] as number, dl = from[7] as number;
    let eh = from[8] as number, el = from[9] as number, fh = from[10] as number, fl = from[11] as number;
    let gh = from[12] as number, gl = from[13] as number, hh = from[14] as number, hl = from[15] as number;
    for (let t = 0; t < 80; t++) {
      // Sigma1(e): rotr 14, rotr 18, rotr 41
      const s1High = rotrHigh(eh, el, 14) ^ rotrHigh(eh, el, 18) ^ rotrHigh(el, eh, 9);
      const s1Low = rotrLow(eh, el, 14) ^ rotrLow(eh, el, 18) ^ rotrLow(el, eh, 9);
      const chooseHigh = (eh & fh) ^ (~eh & gh);
      const chooseLow = (el & fl) ^ (~el & gl);
      const t1Sum =
        (hl >>> 0) + (s1Low >>> 0) + (chooseLow >>> 0) + ((k[2 * t + 1] as number) >>> 0) + ((w[2 * t + 1] as number) >>> 0);
      const t1High = (hh + s1High + chooseHigh + (k[2 * t] as number) + (w[2 * t] as number) + ((t1Sum / 0x100000000) | 0)) | 0;
      const t1Low = t1Sum | 0;
      // Sigma0(a): rotr 28, rotr 34, rotr 39
      const s0High = rotrHigh(ah, al, 28) ^ rotrHigh(al, ah, 2) ^ rotrHigh(al, ah, 7);
      const s0Low = rotrLow(ah, al, 28) ^ rotrLow(al, ah, 2) ^ rotrLow(al, ah, 7);
      const majorityHigh = (ah & bh) ^ (ah & ch) ^ (bh & ch);
      const majorityLow = (al & bl) ^ (al & cl) ^ (bl & cl);
      const t2Sum = (s0Low >>> 0) + (majorityLow >>> 0);
      const t2High = (s0High + majorityHigh + ((t2Sum / 0x100000000) | 0)) | 0;
      const t2Low = t2Sum | 0;
      hh = gh;
      hl = gl;
      gh = fh;
      gl = fl;
      fh = eh;
      fl = el;
      const eSum = (dl >>> 0) + (t1Low >>> 0);
      eh = (dh + t1High + ((eSum / 0x100000000) | 0)) | 0;
      el = eSum | 0;
      dh = ch;
      dl = cl;
      ch = bh;
      cl = bl;
      bh = ah;
      bl = al;
      const aSum = (t1Low >>> 0) + (t2Low >>> 0);
      ah = (t1High + t2High + ((aSum / 0x100000000) | 0)) | 0;
      al = aSum | 0;
    }
    addPair(from, into, 0, ah, al);
    addPair(from, into, 2, bh, bl);
    addPair(from, into, 4, ch, cl);
    addPair(from, into, 6, dh, dl);
    addPair(from, into, 8, eh, el);
    addPair(from, into, 10, fh, fl);
    addPair(from, into, 12, gh, gl);
    addPair(from, into, 14, hh, hl);
    // The schedule of an outer block holds words of the inner digest: leave nothing behind.
    w.fill(0);
  };
};

/** into[at..at+1] = from[at..at+1] + (high, low), modulo 2^64. */
const addPair = (from: Int32Array, into: Int32Array, at: number, high: number, low: number): void => {
  const sum = ((from[at + 1] as number) >>> 0) + (low >>> 0);
  into[at] = ((from[at] as number) + high + ((sum / 0x100000000) | 0)) | 0;
  into[at + 1] = sum | 0;
};
