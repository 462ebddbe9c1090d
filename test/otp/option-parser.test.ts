/**
 * The OTP functions share one option parser that lends a reused object (no allocation per call).
 * A call started from inside another one's parsing (a getter of a hostile options object) must
 * neither see nor change the outer call's options.
 */
import { isRight } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { hotp, totp, verifyHotp, verifyTotp } from '../../src/index.js';

const seed = new TextEncoder().encode('12345678901234567890');

describe('the OTP option parser', () => {
  it('keeps an outer call\'s options when a getter calls another OTP function mid-parse', () => {
    const timeMs = 59_000;
    const code8 = totp(seed, timeMs, { digits: 8, algorithm: 'SHA1' });
    const options = {
      algorithm: 'SHA1' as const,
      get digits(): number {
        // A nested parse with other values for the same fields.
        totp(seed, timeMs, { algorithm: 'SHA512', digits: 6, period: 60 });
        verifyTotp(seed, '000000', { timeMs, algorithm: 'SHA256', digits: 7, period: 90, past: 3 });
        return 8;
      },
      timeMs,
    };
    const result = verifyTotp(seed, code8, options);
    expect(isRight(result)).toBe(true);
  });

  it('answers the same as fresh options after many calls with other values', () => {
    const counter = 7;
    const expected = hotp(seed, counter, { digits: 6 });
    verifyHotp(seed, '00000000', { counter: 100, digits: 8, algorithm: 'SHA512', lookAhead: 1000 });
    verifyTotp(seed, '0000000', { timeMs: 1e12, digits: 7, afterStep: 5n, drift: 3 });
    expect(verifyHotp(seed, expected, { counter })).toEqual({ _tag: 'Right', right: { counter: 7n, drift: 0 } });
    // afterStep from an earlier call must not leak into one that does not give it.
    const now = 90_000;
    expect(isRight(verifyTotp(seed, totp(seed, now), { timeMs: now }))).toBe(true);
  });
});
