/** The only source of randomness in the SDK: seeds, activation codes, serials, event ids. */
export interface Random {
  /** n cryptographically strong random bytes. */
  readonly bytes: (n: number) => Uint8Array;
}

/** Web Crypto, present in Node 20+, browsers and edge runtimes. */
export const cryptoRandom: Random = {
  bytes: (n) => {
    const out = new Uint8Array(n);
    // getRandomValues fills at most 65536 bytes per call.
    for (let offset = 0; offset < n; offset += 65536) {
      globalThis.crypto.getRandomValues(out.subarray(offset, Math.min(n, offset + 65536)));
    }
    return out;
  },
};

/**
 * A reproducible stream of bytes (xorshift128+ seeded from `seed`): for tests and the demo only,
 * never for production secrets.
 */
export const seededRandom = (seed: number): Random => {
  let s0 = (seed >>> 0) ^ 0x9e3779b9;
  let s1 = (Math.imul(seed, 0x85ebca6b) >>> 0) ^ 0xc2b2ae35;
  const next = (): number => {
    let x = s0;
    const y = s1;
    s0 = y;
    x ^= x << 23;
    x ^= x >>> 17;
    x ^= y ^ (y >>> 26);
    s1 = x;
    return (s0 + s1) >>> 0;
  };
  return {
    bytes: (n) => {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) out[i] = next() & 0xff;
      return out;
    },
  };
};
