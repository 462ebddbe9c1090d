/**
 * The dedicated HMAC path (precomputed key states, compressions run directly on 32-bit words)
 * against @noble/hashes' HMAC, over random keys of every length class and random counters.
 */
import { SHA256_IV, SHA512_IV } from '@noble/hashes/_md.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { OtpAlgorithm } from '../../src/index.js';
import { otpMac } from '../../src/otp/internal/mac/otp-mac.js';
import { sha2Constants } from '../../src/otp/internal/mac/sha2-constants.js';

const hashes = { SHA1: sha1, SHA256: sha256, SHA512: sha512 } as const;
const blockBytes: Record<OtpAlgorithm, number> = { SHA1: 64, SHA256: 64, SHA512: 128 };

const counterBytes = (counter: bigint): Uint8Array => {
  const bytes = new Uint8Array(8);
  new DataView(bytes.buffer).setBigUint64(0, counter);
  return bytes;
};

/** RFC 4226 §5.4 over a full HMAC, written independently of the code under test. */
const dynamicTruncation = (mac: Uint8Array): number => {
  const offset = mac[mac.length - 1]! & 0xf;
  return ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
};

const split = (counter: bigint): [number, number] => [Number(counter >> 32n), Number(counter & 0xffffffffn)];

describe('the OTP HMAC', () => {
  it.each(['SHA1', 'SHA256', 'SHA512'] as const)('%s equals @noble/hashes HMAC for random keys and counters', (algorithm) => {
    const block = blockBytes[algorithm];
    // Key lengths around the edges that matter: empty, short, one block exactly, longer (hashed).
    const key = fc.oneof(
      fc.uint8Array({ minLength: 0, maxLength: 40 }),
      fc.uint8Array({ minLength: block - 1, maxLength: block + 1 }),
      fc.uint8Array({ minLength: block + 2, maxLength: 3 * block }),
    );
    const counter = fc.oneof(fc.bigInt(0n, 2n ** 32n), fc.bigInt(0n, 2n ** 64n - 1n), fc.constantFrom(0n, 2n ** 32n - 1n, 2n ** 64n - 1n));
    fc.assert(
      fc.property(key, fc.array(counter, { minLength: 1, maxLength: 4 }), (secret, counters) => {
        const mac = otpMac(algorithm);
        mac.load(secret);
        // Several counters under one loaded key: the key state must survive each use.
        for (const value of counters) {
          const expected = hmac(hashes[algorithm], secret, counterBytes(value));
          const [high, low] = split(value);
          expect(mac.digest(high, low)).toEqual(expected);
          expect(mac.truncate(high, low)).toBe(dynamicTruncation(expected));
        }
        mac.wipe();
      }),
      { numRuns: 1500 },
    );
  });

  it('switching secrets and algorithms leaves no state behind', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom<OtpAlgorithm>('SHA1', 'SHA256', 'SHA512'), fc.uint8Array({ maxLength: 80 }), fc.bigInt(0n, 2n ** 64n - 1n)), {
          minLength: 2,
          maxLength: 6,
        }),
        (steps) => {
          for (const [algorithm, secret, value] of steps) {
            const mac = otpMac(algorithm);
            mac.load(secret);
            const [high, low] = split(value);
            expect(mac.digest(high, low)).toEqual(hmac(hashes[algorithm], secret, counterBytes(value)));
          }
        },
      ),
      { numRuns: 300 },
    );
  });

  it('wipe zero-fills the key states', () => {
    const mac = otpMac('SHA1');
    mac.load(new Uint8Array(20).fill(7));
    mac.wipe();
    // With zeroed key states the output is no longer HMAC under the seed.
    expect(mac.digest(0, 1)).not.toEqual(hmac(sha1, new Uint8Array(20).fill(7), counterBytes(1n)));
  });

  it('derives the SHA-2 initial values and round constants of FIPS 180-4', () => {
    const { iv256, iv512, k256, k512 } = sha2Constants();
    expect(Array.from(iv256, (word) => word >>> 0)).toEqual(Array.from(SHA256_IV));
    expect(Array.from(iv512, (word) => word >>> 0)).toEqual(Array.from(SHA512_IV));
    // Spot checks typed in from FIPS 180-4 §4.2.2 and §4.2.3: first and last constants.
    expect(k256[0]! >>> 0).toBe(0x428a2f98);
    expect(k256[63]! >>> 0).toBe(0xc67178f2);
    expect([k512[0]! >>> 0, k512[1]! >>> 0]).toEqual([0x428a2f98, 0xd728ae22]);
    expect([k512[158]! >>> 0, k512[159]! >>> 0]).toEqual([0x6c44198c, 0x4a475817]);
    expect(sha2Constants()).toBe(sha2Constants());
  });
});
