import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hotp, resyncHotp, resyncTotp, totp, verifyHotp, verifyTotp } from '../../src/index.js';
import type { OtpAlgorithm } from '../../src/index.js';

const secret = fc.uint8Array({ minLength: 16, maxLength: 64 });
const algorithm = fc.constantFrom<OtpAlgorithm>('SHA1', 'SHA256', 'SHA512');
const seed = new TextEncoder().encode('12345678901234567890');

describe('resyncHotp', () => {
  it('finds a token that ran ahead by up to the sync window, from two consecutive codes', () => {
    fc.assert(
      fc.property(
        secret,
        algorithm,
        fc.oneof(fc.bigInt(0n, 10_000n), fc.bigInt(2n ** 53n - 500n, 2n ** 53n + 500n)),
        fc.integer({ min: 0, max: 1000 }),
        (key, hash, expected, ahead) => {
          const first = expected + BigInt(ahead);
          const codes = [hotp(key, first, { algorithm: hash }), hotp(key, first + 1n, { algorithm: hash })] as const;
          const result = resyncHotp(key, codes, { counter: expected, algorithm: hash });
          // A chance pair further on would win (the latest match); then it also produces the codes.
          expect(result._tag).toBe('Right');
          if (result._tag === 'Right') {
            expect(result.right.counter >= first + 1n).toBe(true);
            expect(result.right.drift).toBe(Number(result.right.counter - expected));
            expect(hotp(key, result.right.counter, { algorithm: hash })).toBe(codes[1]);
            expect(hotp(key, result.right.counter - 1n, { algorithm: hash })).toBe(codes[0]);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('refuses a pair beyond the window, out of order, or not consecutive', () => {
    const codesAt = (counter: number): readonly [string, string] => [hotp(seed, counter), hotp(seed, counter + 1)];
    expect(resyncHotp(seed, codesAt(1000), { counter: 0n })).toEqual({ _tag: 'Right', right: { counter: 1001n, drift: 1001 } });
    expect(resyncHotp(seed, codesAt(1000), { counter: 0 })).toEqual({ _tag: 'Right', right: { counter: 1001n, drift: 1001 } });
    expect(resyncHotp(seed, codesAt(1001), { counter: 0n })).toEqual({ _tag: 'Left', left: { _tag: 'mismatch' } });
    expect(resyncHotp(seed, codesAt(1001), { counter: 0n, syncWindow: 1001 })._tag).toBe('Right');
    expect(resyncHotp(seed, [hotp(seed, 6), hotp(seed, 5)], { counter: 0n })).toEqual({ _tag: 'Left', left: { _tag: 'mismatch' } });
    expect(resyncHotp(seed, [hotp(seed, 5), hotp(seed, 7)], { counter: 0n })).toEqual({ _tag: 'Left', left: { _tag: 'mismatch' } });
  });

  it('after a resync, the next code verifies from the counter after the match', () => {
    const result = resyncHotp(seed, [hotp(seed, 500), hotp(seed, 501)], { counter: 3n });
    expect(result).toEqual({ _tag: 'Right', right: { counter: 501n, drift: 498 } });
    expect(verifyHotp(seed, hotp(seed, 502), { counter: 502n })).toEqual({ _tag: 'Right', right: { counter: 502n, drift: 0 } });
  });

  it('stops at the last 8-byte counter', () => {
    const last = 2n ** 64n - 1n;
    expect(resyncHotp(seed, [hotp(seed, last - 1n), hotp(seed, last)], { counter: last - 10n })).toEqual({
      _tag: 'Right',
      right: { counter: last, drift: 10 },
    });
    expect(resyncHotp(seed, [hotp(seed, last), hotp(seed, 0)], { counter: last - 10n })).toEqual({ _tag: 'Left', left: { _tag: 'mismatch' } });
  });
});

describe('resyncTotp', () => {
  const timeMs = 1_700_000_000_000;
  const current = Math.floor(timeMs / 30_000);
  const pairAt = (offset: number): readonly [string, string] => [
    totp(seed, timeMs + offset * 30_000),
    totp(seed, timeMs + (offset + 1) * 30_000),
  ];

  it('finds a clock that runs ahead by up to the sync window, or behind by up to lookBack, and verification then follows the drift', () => {
    fc.assert(
      fc.property(secret, fc.integer({ min: -2, max: 999 }), (key, offset) => {
        const codes = [totp(key, timeMs + offset * 30_000), totp(key, timeMs + (offset + 1) * 30_000)] as const;
        const result = resyncTotp(key, codes, { timeMs });
        expect(result._tag).toBe('Right');
        if (result._tag !== 'Right') return;
        expect(totp(key, Number(result.right.step) * 30_000)).toBe(codes[1]);
        expect(result.right.drift).toBe(Number(result.right.step) - current);
        // One step later the token shows its next code; with the learned drift it verifies.
        const later = timeMs + 30_000;
        const next = totp(key, later + result.right.drift * 30_000);
        expect(verifyTotp(key, next, { timeMs: later, drift: result.right.drift, afterStep: result.right.step })._tag).toBe('Right');
      }),
      { numRuns: 200 },
    );
  });

  it('refuses pairs outside the window, and pairs at or before afterStep as a replay', () => {
    expect(resyncTotp(seed, pairAt(999), { timeMs })).toEqual({ _tag: 'Right', right: { step: BigInt(current + 1000), drift: 1000 } });
    expect(resyncTotp(seed, pairAt(1000), { timeMs })).toEqual({ _tag: 'Left', left: { _tag: 'mismatch' } });
    // Behind now only `lookBack` steps (default 1): codes a correct clock showed long ago move nothing.
    expect(resyncTotp(seed, pairAt(-2), { timeMs })).toEqual({ _tag: 'Right', right: { step: BigInt(current - 1), drift: -1 } });
    expect(resyncTotp(seed, pairAt(-3), { timeMs })).toEqual({ _tag: 'Left', left: { _tag: 'mismatch' } });
    expect(resyncTotp(seed, pairAt(-1000), { timeMs })).toEqual({ _tag: 'Left', left: { _tag: 'mismatch' } });
    expect(resyncTotp(seed, pairAt(-5), { timeMs, lookBack: 4 })).toEqual({ _tag: 'Right', right: { step: BigInt(current - 4), drift: -4 } });
    expect(resyncTotp(seed, pairAt(-6), { timeMs, lookBack: 4 })).toEqual({ _tag: 'Left', left: { _tag: 'mismatch' } });
    expect(resyncTotp(seed, pairAt(-1), { timeMs, lookBack: 0 })._tag).toBe('Right');
    expect(resyncTotp(seed, pairAt(-2), { timeMs, lookBack: 0 })).toEqual({ _tag: 'Left', left: { _tag: 'mismatch' } });
    expect(resyncTotp(seed, pairAt(0), { timeMs, lookBack: 101 })).toEqual({ _tag: 'Left', left: { _tag: 'invalid-options', detail: 'lookBack must be a whole number of steps from 0 to 100' } });
    expect(resyncTotp(seed, pairAt(5), { timeMs, afterStep: BigInt(current + 5) })).toEqual({ _tag: 'Left', left: { _tag: 'replay' } });
    expect(resyncTotp(seed, pairAt(5), { timeMs, afterStep: BigInt(current + 4) })._tag).toBe('Right');
    expect(resyncTotp(seed, pairAt(3), { timeMs, syncWindow: 2 })).toEqual({ _tag: 'Left', left: { _tag: 'mismatch' } });
  });

  it('near the epoch the window starts at step 0', () => {
    expect(resyncTotp(seed, [totp(seed, 0), totp(seed, 30_000)], { timeMs: 0 })).toEqual({ _tag: 'Right', right: { step: 1n, drift: 1 } });
  });
});
