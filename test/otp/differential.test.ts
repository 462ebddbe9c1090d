/**
 * Differential tests: our codes against otpauth (an independent implementation on node:crypto)
 * over random secrets, algorithms, digits, periods, times and counters; beyond otpauth's range
 * (counters above 2^53, time steps above 2^32), against a plain reference built on
 * @noble/hashes' HMAC.
 */
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import fc from 'fast-check';
import * as otpauth from 'otpauth';
import { describe, expect, it } from 'vitest';
import { hotp, totp, verifyHotp, verifyTotp } from '../../src/index.js';
import type { OtpAlgorithm } from '../../src/index.js';

const algorithm = fc.constantFrom<OtpAlgorithm>('SHA1', 'SHA256', 'SHA512');
const digits = fc.integer({ min: 6, max: 8 });
const secret = fc.uint8Array({ minLength: 16, maxLength: 80 });
const otpauthSecret = (bytes: Uint8Array): otpauth.Secret => new otpauth.Secret({ buffer: Uint8Array.from(bytes).buffer });

/** The RFC 4226 algorithm spelled out, for counters otpauth cannot take. */
const referenceHotp = (key: Uint8Array, counter: bigint, options: { algorithm: OtpAlgorithm; digits: number }): string => {
  const message = new Uint8Array(8);
  new DataView(message.buffer).setBigUint64(0, counter);
  const mac = hmac({ SHA1: sha1, SHA256: sha256, SHA512: sha512 }[options.algorithm], key, message);
  const offset = mac[mac.length - 1]! & 0xf;
  const value = ((mac[offset]! & 0x7f) << 24) | (mac[offset + 1]! << 16) | (mac[offset + 2]! << 8) | mac[offset + 3]!;
  return (value % 10 ** options.digits).toString().padStart(options.digits, '0');
};

describe('against otpauth', () => {
  it('TOTP: 10,000 random cases, zero mismatches', () => {
    let mismatches = 0;
    fc.assert(
      fc.property(
        secret,
        algorithm,
        digits,
        fc.integer({ min: 1, max: 300 }),
        // From 1970 to about the year 2600, so past 2038 and 2106.
        fc.oneof(fc.integer({ min: 0, max: 2 ** 44 }), fc.integer({ min: 2 ** 31 * 1000, max: 2 ** 32 * 1000 + 10 ** 9 })),
        (key, hash, length, period, timeMs) => {
          const ours = totp(key, timeMs, { algorithm: hash, digits: length, period });
          const theirs = otpauth.TOTP.generate({ secret: otpauthSecret(key), algorithm: hash, digits: length, period, timestamp: timeMs });
          if (ours !== theirs) mismatches++;
          expect(ours).toBe(theirs);
        },
      ),
      { numRuns: 10_000 },
    );
    expect(mismatches).toBe(0);
  });

  it('HOTP: 5,000 random cases up to 2^53 - 1, zero mismatches', () => {
    fc.assert(
      fc.property(secret, algorithm, digits, fc.oneof(fc.integer({ min: 0, max: 1000 }), fc.maxSafeNat()), (key, hash, length, counter) => {
        const theirs = otpauth.HOTP.generate({ secret: otpauthSecret(key), algorithm: hash, digits: length, counter });
        expect(hotp(key, counter, { algorithm: hash, digits: length })).toBe(theirs);
        expect(hotp(key, BigInt(counter), { algorithm: hash, digits: length })).toBe(theirs);
      }),
      { numRuns: 5_000 },
    );
  });

  it('verifyTotp accepts what otpauth accepts, in a ±1 window, with the same delta', () => {
    fc.assert(
      fc.property(secret, algorithm, digits, fc.integer({ min: 90_000, max: 2 ** 43 }), fc.integer({ min: -3, max: 3 }), (key, hash, length, timeMs, offset) => {
        const code = totp(key, timeMs + offset * 30_000, { algorithm: hash, digits: length });
        const theirs = otpauth.TOTP.validate({ token: code, secret: otpauthSecret(key), algorithm: hash, digits: length, timestamp: timeMs, window: 1 });
        const ours = verifyTotp(key, code, { algorithm: hash, digits: length, timeMs });
        // Both accept or both refuse; on acceptance both see the token's offset (a chance
        // collision within the window may make either report another step: then the codes agree).
        expect(ours._tag === 'Right').toBe(theirs !== null);
        if (ours._tag === 'Right' && theirs !== null && ours.right.drift !== theirs) {
          expect(totp(key, timeMs + ours.right.drift * 30_000, { algorithm: hash, digits: length })).toBe(code);
        }
      }),
      { numRuns: 2_000 },
    );
  });
});

describe('beyond otpauth: large counters and far times, against the reference', () => {
  it('HOTP counters above 2^32 and 2^53, up to 2^64 - 1', () => {
    const counter = fc.oneof(
      fc.bigInt(2n ** 32n - 2n, 2n ** 32n + 2n),
      fc.bigInt(2n ** 53n - 2n, 2n ** 53n + 2n),
      fc.bigInt(2n ** 53n, 2n ** 64n - 1n),
      fc.bigInt(2n ** 64n - 3n, 2n ** 64n - 1n),
    );
    fc.assert(
      fc.property(secret, algorithm, digits, counter, (key, hash, length, value) => {
        const expected = referenceHotp(key, value, { algorithm: hash, digits: length });
        expect(hotp(key, value, { algorithm: hash, digits: length })).toBe(expected);
        expect(verifyHotp(key, expected, { counter: value, lookAhead: 0, algorithm: hash, digits: length })).toEqual({
          _tag: 'Right',
          right: { counter: value, drift: 0 },
        });
      }),
      { numRuns: 2_000 },
    );
  });

  it('TOTP time steps above 2^32 (1 s periods after 2106, 30 s periods after year 6000)', () => {
    fc.assert(
      fc.property(secret, algorithm, fc.integer({ min: 1, max: 60 }), fc.integer({ min: 2 ** 32, max: 2 ** 40 }), (key, hash, period, step) => {
        const timeMs = step * period * 1000 + 999;
        if (timeMs > Number.MAX_SAFE_INTEGER) return;
        expect(totp(key, timeMs, { algorithm: hash, period })).toBe(referenceHotp(key, BigInt(step), { algorithm: hash, digits: 6 }));
      }),
      { numRuns: 1_000 },
    );
  });
});
