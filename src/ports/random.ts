import { sha256 } from '@noble/hashes/sha2.js';

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
 * A reproducible stream of bytes for tests and the demo, never for production secrets: SHA-256
 * in counter mode over the seed, so the bytes are evenly spread whatever the seed.
 */
export const seededRandom = (seed: number): Random => {
  const key = new Uint8Array(12);
  const view = new DataView(key.buffer);
  // Tests call this from plain JavaScript too: a seed that is not a number seeds as NaN does.
  view.setFloat64(0, typeof seed === 'number' ? seed : Number.NaN);
  let counter = 0;
  let block = new Uint8Array(0);
  let used = 0;
  return {
    bytes: (n) => {
      const out = new Uint8Array(n);
      for (let i = 0; i < n; i++) {
        if (used === block.length) {
          view.setUint32(8, counter++);
          block = sha256(key);
          used = 0;
        }
        out[i] = block[used++] ?? 0;
      }
      return out;
    },
  };
};
