/**
 * verifyTotp and verifyHotp against a model: the window is computed code by code with `totp` /
 * `hotp` (themselves pinned by the RFC vectors and the differential tests), and the expected
 * answer follows the rules: accept the latest fresh step producing the code, else `replay` if a
 * stale one does, else `mismatch`.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { hotp, totp, verifyHotp, verifyTotp } from '../../src/index.js';
import type { OtpAlgorithm, OtpRejection } from '../../src/index.js';

const secret = fc.uint8Array({ minLength: 16, maxLength: 64 });
const algorithm = fc.constantFrom<OtpAlgorithm>('SHA1', 'SHA256', 'SHA512');
const seed20 = new TextEncoder().encode('12345678901234567890');
const left = (rejection: OtpRejection) => ({ _tag: 'Left', left: rejection });

describe('verifyTotp', () => {
  it('matches the model over random windows, drifts, replay marks and codes', () => {
    fc.assert(
      fc.property(
        fc.record({
          key: secret,
          algorithm,
          digits: fc.integer({ min: 6, max: 8 }),
          period: fc.constantFrom(1, 30, 60),
          timeMs: fc.oneof(fc.integer({ min: 0, max: 200_000 }), fc.integer({ min: 0, max: 2 ** 45 })),
          past: fc.integer({ min: 0, max: 3 }),
          future: fc.integer({ min: 0, max: 3 }),
          drift: fc.integer({ min: -3, max: 3 }),
          afterOffset: fc.option(fc.integer({ min: -6, max: 6 }), { nil: undefined }),
          // The code: one of a step near now, or any string of digits.
          codeOffset: fc.option(fc.integer({ min: -8, max: 8 }), { nil: undefined }),
          randomCode: fc.nat({ max: 99_999_999 }),
        }),
        (c) => {
          const options = { algorithm: c.algorithm, digits: c.digits, period: c.period };
          const periodMs = c.period * 1000;
          const current = Math.floor(c.timeMs / periodMs);
          const code =
            c.codeOffset === undefined || current + c.codeOffset < 0
              ? (c.randomCode % 10 ** c.digits).toString().padStart(c.digits, '0')
              : totp(c.key, (current + c.codeOffset) * periodMs, options);
          const afterStep = c.afterOffset === undefined ? undefined : BigInt(current + c.afterOffset);

          // The model.
          let fresh: number | undefined;
          let stale = false;
          for (let step = Math.max(0, current + c.drift - c.past); step <= current + c.drift + c.future; step++) {
            if (totp(c.key, step * periodMs, options) !== code) continue;
            if (afterStep !== undefined && BigInt(step) <= afterStep) stale = true;
            else fresh = step;
          }
          const expected =
            fresh !== undefined
              ? { _tag: 'Right', right: { step: BigInt(fresh), drift: fresh - current } }
              : left(stale ? { _tag: 'replay' } : { _tag: 'mismatch' });

          const result = verifyTotp(c.key, code, {
            ...options,
            timeMs: c.timeMs,
            past: c.past,
            future: c.future,
            drift: c.drift,
            ...(afterStep === undefined ? {} : { afterStep }),
          });
          expect(result).toEqual(expected);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('accepts a code in its own step and one step either side by default, and nowhere else', () => {
    fc.assert(
      fc.property(secret, fc.integer({ min: 10 * 30_000, max: 2 ** 44 }), fc.integer({ min: -4, max: 4 }), (key, timeMs, offset) => {
        const current = Math.floor(timeMs / 30_000);
        const code = totp(key, (current + offset) * 30_000);
        const inWindow = [-1, 0, 1].filter((delta) => totp(key, (current + delta) * 30_000) === code);
        const result = verifyTotp(key, code, { timeMs });
        if (inWindow.length === 0) expect(result).toEqual(left({ _tag: 'mismatch' }));
        else expect(result).toEqual({ _tag: 'Right', right: { step: BigInt(current + Math.max(...inWindow)), drift: Math.max(...inWindow) } });
        if (Math.abs(offset) <= 1) expect(result._tag).toBe('Right');
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses a code of a step at or before afterStep as a replay, even inside the window', () => {
    const timeMs = 1_700_000_000_000;
    const current = BigInt(Math.floor(timeMs / 30_000));
    const now = totp(seed20, timeMs);
    const previous = totp(seed20, timeMs - 30_000);
    expect(verifyTotp(seed20, now, { timeMs })).toEqual({ _tag: 'Right', right: { step: current, drift: 0 } });
    expect(verifyTotp(seed20, now, { timeMs, afterStep: current })).toEqual(left({ _tag: 'replay' }));
    expect(verifyTotp(seed20, now, { timeMs, afterStep: current + 5n })).toEqual(left({ _tag: 'replay' }));
    expect(verifyTotp(seed20, now, { timeMs, afterStep: current - 1n })._tag).toBe('Right');
    expect(verifyTotp(seed20, previous, { timeMs, afterStep: current - 1n })).toEqual(left({ _tag: 'replay' }));
    expect(verifyTotp(seed20, now, { timeMs, afterStep: Number(current) })).toEqual(left({ _tag: 'replay' }));
  });

  it('follows a known drift, and reports drift relative to the server clock', () => {
    const timeMs = 1_700_000_000_000;
    const tokenAhead = totp(seed20, timeMs + 10 * 30_000);
    expect(verifyTotp(seed20, tokenAhead, { timeMs })).toEqual(left({ _tag: 'mismatch' }));
    expect(verifyTotp(seed20, tokenAhead, { timeMs, drift: 10 })).toMatchObject({ _tag: 'Right', right: { drift: 10 } });
    expect(verifyTotp(seed20, tokenAhead, { timeMs, drift: 9 })).toMatchObject({ _tag: 'Right', right: { drift: 10 } });
    expect(verifyTotp(seed20, tokenAhead, { timeMs, drift: -2000 })).toEqual(left({ _tag: 'mismatch' }));
  });

  it('handles the first steps of the epoch and times past 2038 and 2106', () => {
    expect(verifyTotp(seed20, totp(seed20, 0), { timeMs: 0 })).toEqual({ _tag: 'Right', right: { step: 0n, drift: 0 } });
    expect(verifyTotp(seed20, totp(seed20, 0), { timeMs: 29_999, past: 5 })).toEqual({ _tag: 'Right', right: { step: 0n, drift: 0 } });
    for (const seconds of [2 ** 31 + 7, 2 ** 32 + 7, 20_000_000_000, 2 ** 40]) {
      const timeMs = seconds * 1000;
      expect(verifyTotp(seed20, totp(seed20, timeMs), { timeMs })).toEqual({
        _tag: 'Right',
        right: { step: BigInt(Math.floor(seconds / 30)), drift: 0 },
      });
    }
    expect(totp(seed20, Number.MAX_SAFE_INTEGER)).toMatch(/^\d{6}$/);
  });

  it('computes steps exactly at period boundaries', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 3600 }), fc.integer({ min: 1, max: 2 ** 36 }), (period, step) => {
        const boundary = step * period * 1000;
        fc.pre(boundary <= Number.MAX_SAFE_INTEGER);
        const at = verifyTotp(seed20, totp(seed20, boundary, { period }), { timeMs: boundary, period, past: 0, future: 0 });
        expect(at).toEqual({ _tag: 'Right', right: { step: BigInt(step), drift: 0 } });
        const before = verifyTotp(seed20, totp(seed20, boundary - 1, { period }), { timeMs: boundary - 1, period, past: 0, future: 0 });
        expect(before).toEqual({ _tag: 'Right', right: { step: BigInt(step - 1), drift: 0 } });
      }),
      { numRuns: 500 },
    );
  });
});

describe('verifyHotp', () => {
  it('matches the model over random counters (up to 2^64 - 1), look-aheads and codes', () => {
    fc.assert(
      fc.property(
        fc.record({
          key: secret,
          algorithm,
          digits: fc.integer({ min: 6, max: 8 }),
          counter: fc.oneof(fc.bigInt(0n, 1000n), fc.bigInt(2n ** 32n - 20n, 2n ** 32n + 20n), fc.bigInt(2n ** 53n - 20n, 2n ** 53n + 20n), fc.bigInt(2n ** 64n - 30n, 2n ** 64n - 1n)),
          lookAhead: fc.integer({ min: 0, max: 20 }),
          codeOffset: fc.option(fc.integer({ min: -3, max: 25 }), { nil: undefined }),
          randomCode: fc.nat({ max: 99_999_999 }),
        }),
        (c) => {
          const options = { algorithm: c.algorithm, digits: c.digits };
          const target = c.codeOffset === undefined ? -1n : c.counter + BigInt(c.codeOffset);
          const code =
            target < 0n || target > 2n ** 64n - 1n
              ? (c.randomCode % 10 ** c.digits).toString().padStart(c.digits, '0')
              : hotp(c.key, target, options);
          let matched: bigint | undefined;
          for (let counter = c.counter; counter <= c.counter + BigInt(c.lookAhead) && counter <= 2n ** 64n - 1n; counter++) {
            if (hotp(c.key, counter, options) === code) matched = counter;
          }
          const expected =
            matched === undefined ? left({ _tag: 'mismatch' }) : { _tag: 'Right', right: { counter: matched, drift: Number(matched - c.counter) } };
          expect(verifyHotp(c.key, code, { ...options, counter: c.counter, lookAhead: c.lookAhead })).toEqual(expected);
        },
      ),
      { numRuns: 1500 },
    );
  });

  it('looks 10 counters ahead by default, and takes number counters too', () => {
    const eleventh = hotp(seed20, 10);
    const twelfth = hotp(seed20, 11);
    expect(verifyHotp(seed20, eleventh, { counter: 0n })).toEqual({ _tag: 'Right', right: { counter: 10n, drift: 10 } });
    expect(verifyHotp(seed20, twelfth, { counter: 0n })).toEqual(left({ _tag: 'mismatch' }));
    expect(verifyHotp(seed20, twelfth, { counter: 1 })).toEqual({ _tag: 'Right', right: { counter: 11n, drift: 10 } });
  });

  it('stops at the last 8-byte counter', () => {
    const last = 2n ** 64n - 1n;
    expect(verifyHotp(seed20, hotp(seed20, last), { counter: last - 3n })).toEqual({ _tag: 'Right', right: { counter: last, drift: 3 } });
    expect(verifyHotp(seed20, hotp(seed20, 0), { counter: last })).toEqual(left({ _tag: 'mismatch' }));
  });
});
