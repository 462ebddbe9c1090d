/**
 * What users and hosts get wrong: malformed codes, out-of-range options, weak seeds, and plain
 * garbage. Verification, resync, Base32 and Key URI parsing never throw; the generators
 * (`hotp`, `totp`) throw only for the host's own programming errors.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  decodeBase32,
  formatKeyUri,
  generateSecret,
  hotp,
  parseKeyUri,
  resyncHotp,
  resyncTotp,
  totp,
  verifyHotp,
  verifyTotp,
} from '../../src/index.js';

const seed = new TextEncoder().encode('12345678901234567890');
const timeMs = 1_700_000_000_000;
const valid = totp(seed, timeMs);

const call = <F extends (...args: never[]) => unknown>(f: F, ...args: unknown[]): ReturnType<F> => (f as unknown as (...a: unknown[]) => ReturnType<F>)(...args);

describe('malformed codes', () => {
  const malformedCodes: unknown[] = [
    valid.slice(1),
    `${valid}0`,
    `${valid.slice(0, 5)}a`,
    ` ${valid.slice(1)}`,
    `${valid.slice(0, 5)}\n`,
    '１２３４５６', // full-width digits
    '12 456',
    '-12345',
    '+12345',
    '1e5000',
    '',
    Number(valid),
    BigInt(valid),
    null,
    undefined,
    [valid],
    { toString: () => valid },
    new String(valid),
    Symbol('code'),
  ];

  it.each(malformedCodes.map((code) => [code]))('%s is malformed for TOTP and HOTP', (code) => {
    expect(verifyTotp(seed, code, { timeMs })).toEqual({ _tag: 'Left', left: { _tag: 'malformed', detail: 'the code must be a string of 6 digits' } });
    expect(verifyHotp(seed, code, { counter: 0n })._tag).toBe('Left');
    expect(verifyHotp(seed, code, { counter: 0n })).toMatchObject({ left: { _tag: 'malformed' } });
  });

  it('never repeats the code in the rejection', () => {
    const result = verifyTotp(seed, '12345', { timeMs });
    expect(JSON.stringify(result)).not.toContain('12345');
  });

  it('digits decide the length: 7 and 8 digit codes', () => {
    expect(verifyTotp(seed, totp(seed, timeMs, { digits: 7 }), { timeMs, digits: 7 })._tag).toBe('Right');
    expect(verifyTotp(seed, totp(seed, timeMs, { digits: 8 }), { timeMs, digits: 8 })._tag).toBe('Right');
    expect(verifyTotp(seed, valid, { timeMs, digits: 8 })).toMatchObject({ left: { _tag: 'malformed' } });
  });
});

describe('weak seeds', () => {
  const short = seed.slice(0, 15);
  it('refuses seeds under 128 bits unless allowShortSecret, and empty seeds always', () => {
    const code = totp(short, timeMs);
    expect(verifyTotp(short, code, { timeMs })).toEqual({ _tag: 'Left', left: { _tag: 'weak-secret' } });
    expect(verifyTotp(short, code, { timeMs, allowShortSecret: true })._tag).toBe('Right');
    expect(verifyHotp(short, hotp(short, 0), { counter: 0n })).toEqual({ _tag: 'Left', left: { _tag: 'weak-secret' } });
    expect(verifyHotp(short, hotp(short, 0), { counter: 0n, allowShortSecret: true })._tag).toBe('Right');
    expect(resyncHotp(short, [hotp(short, 0), hotp(short, 1)], { counter: 0n })).toEqual({ _tag: 'Left', left: { _tag: 'weak-secret' } });
    const empty = new Uint8Array(0);
    expect(verifyTotp(empty, totp(empty, timeMs), { timeMs, allowShortSecret: true })).toEqual({ _tag: 'Left', left: { _tag: 'weak-secret' } });
    expect(verifyTotp(seed.slice(0, 16), totp(seed.slice(0, 16), timeMs), { timeMs })._tag).toBe('Right');
  });
});

describe('options out of range', () => {
  const totpCases: [string, Record<string, unknown>][] = [
    ['algorithm', { algorithm: 'sha1' }],
    ['algorithm', { algorithm: 'MD5' }],
    ['digits', { digits: 5 }],
    ['digits', { digits: 9 }],
    ['digits', { digits: 6.5 }],
    ['digits', { digits: '6' }],
    ['period', { period: 0 }],
    ['period', { period: 1.5 }],
    ['period', { period: 2 ** 31 }],
    ['past', { past: -1 }],
    ['past', { past: 101 }],
    ['future', { future: Number.NaN }],
    ['drift', { drift: 2 ** 31 }],
    ['timeMs', { timeMs: -1 }],
    ['timeMs', { timeMs: Number.POSITIVE_INFINITY }],
    ['timeMs', { timeMs: Number.NaN }],
    ['timeMs', { timeMs: 2 ** 53 }],
    ['timeMs', { timeMs: '1700000000000' }],
    ['afterStep', { afterStep: 1.5 }],
    ['afterStep', { afterStep: '5' }],
  ];
  it.each(totpCases)('verifyTotp refuses a bad %s as invalid-options naming it', (field, override) => {
    const result = call(verifyTotp, seed, valid, { timeMs, ...override });
    expect(result).toMatchObject({ _tag: 'Left', left: { _tag: 'invalid-options' } });
    expect((result as { left: { detail: string } }).left.detail).toContain(field);
  });

  const hotpCases: [string, Record<string, unknown>][] = [
    ['counter', { counter: -1 }],
    ['counter', { counter: -1n }],
    ['counter', { counter: 2n ** 64n }],
    ['counter', { counter: 2 ** 53 }],
    ['counter', { counter: 0.5 }],
    ['counter', { counter: '0' }],
    ['counter', {}],
    ['lookAhead', { counter: 0n, lookAhead: -1 }],
    ['lookAhead', { counter: 0n, lookAhead: 1001 }],
    ['digits', { counter: 0n, digits: 10 }],
  ];
  it.each(hotpCases)('verifyHotp refuses a bad %s as invalid-options naming it', (field, options) => {
    const result = call(verifyHotp, seed, '755224', options);
    expect(result).toMatchObject({ _tag: 'Left', left: { _tag: 'invalid-options' } });
    expect((result as { left: { detail: string } }).left.detail).toContain(field);
  });

  it('verifyHotp and resync check algorithm, digits and the options object too', () => {
    expect(call(verifyHotp, seed, '755224', { counter: 0n, algorithm: 'SHA384' })).toMatchObject({ left: { _tag: 'invalid-options' } });
    expect(call(verifyHotp, seed, '755224', null)).toMatchObject({ left: { _tag: 'invalid-options', detail: 'options must be an object' } });
    expect(call(verifyTotp, seed, '755224', 'now')).toMatchObject({ left: { _tag: 'invalid-options', detail: 'options must be an object' } });
    for (const resync of [resyncHotp, resyncTotp]) {
      const base = { counter: 0n, timeMs };
      expect(call(resync, seed, ['755224', '287082'], { ...base, algorithm: 'SHA384' })).toMatchObject({ left: { _tag: 'invalid-options' } });
      expect(call(resync, seed, ['755224', '287082'], { ...base, digits: 4 })).toMatchObject({ left: { _tag: 'invalid-options' } });
      expect(call(resync, seed, ['755224', '287082'], 7)).toMatchObject({ left: { _tag: 'invalid-options', detail: 'options must be an object' } });
    }
  });

  it('resync refuses bad sync windows and malformed pairs', () => {
    expect(resyncHotp(seed, ['755224', '287082'], { counter: 0n, syncWindow: 0 })).toMatchObject({ left: { _tag: 'invalid-options' } });
    expect(resyncTotp(seed, ['755224', '287082'], { timeMs, syncWindow: 10_001 })).toMatchObject({ left: { _tag: 'invalid-options' } });
    expect(call(resyncHotp, seed, ['755224'], { counter: 0n })).toMatchObject({ left: { _tag: 'malformed' } });
    expect(call(resyncHotp, seed, '755224287082', { counter: 0n })).toMatchObject({ left: { _tag: 'malformed' } });
    expect(resyncHotp(seed, ['755224', 287082], { counter: 0n })).toMatchObject({ left: { _tag: 'malformed' } });
    expect(call(resyncTotp, seed, ['755224', '287082'], { timeMs: -5 })).toMatchObject({ left: { _tag: 'invalid-options' } });
    expect(call(resyncTotp, seed, ['755224', '287082'], { timeMs, afterStep: 'x' })).toMatchObject({ left: { _tag: 'invalid-options' } });
    expect(call(resyncTotp, seed, ['755224', '287082'], { timeMs, period: 0 })).toMatchObject({ left: { _tag: 'invalid-options' } });
    expect(call(resyncHotp, seed, ['755224', '287082'], { counter: -1 })).toMatchObject({ left: { _tag: 'invalid-options' } });
  });

  it('the secret must be bytes', () => {
    for (const secret of ['12345678901234567890', null, Array.from(seed), seed.buffer]) {
      expect(call(verifyTotp, secret, valid, { timeMs })).toMatchObject({ left: { _tag: 'invalid-options', detail: 'secret must be a Uint8Array' } });
      expect(call(verifyHotp, secret, valid, { counter: 0n })).toMatchObject({ left: { _tag: 'invalid-options' } });
      expect(call(resyncTotp, secret, [valid, valid], { timeMs })).toMatchObject({ left: { _tag: 'invalid-options' } });
    }
  });
});

describe('the generators', () => {
  it('throw RangeError or TypeError for programming errors, naming the parameter', () => {
    expect(() => hotp(seed, -1)).toThrow(RangeError);
    expect(() => hotp(seed, 2n ** 64n)).toThrow(/counter/);
    expect(() => hotp(seed, 2 ** 53)).toThrow(/counter/);
    expect(() => hotp(seed, 0, { digits: 9 })).toThrow(/digits/);
    expect(() => call(hotp, seed, 0, { algorithm: 'SHA3' })).toThrow(/algorithm/);
    expect(() => call(hotp, seed, 0, null)).toThrow(TypeError);
    expect(() => call(hotp, 'seed', 0)).toThrow(TypeError);
    expect(() => totp(seed, -1)).toThrow(/timeMs/);
    expect(() => totp(seed, Number.NaN)).toThrow(/timeMs/);
    expect(() => totp(seed, 0, { period: 0 })).toThrow(/period/);
    expect(() => totp(seed, 0, { digits: 5 })).toThrow(/digits/);
    expect(() => call(totp, seed, 0, { algorithm: 'sha1' })).toThrow(/algorithm/);
    expect(() => call(totp, seed, 0, 'x')).toThrow(TypeError);
    expect(() => call(totp, [1, 2], 0)).toThrow(TypeError);
  });

  it('an empty or very long secret is still HMAC (hashed down when longer than a block)', () => {
    expect(hotp(new Uint8Array(0), 0)).toMatch(/^\d{6}$/);
    expect(hotp(new Uint8Array(1000).fill(1), 0, { algorithm: 'SHA512' })).toMatch(/^\d{6}$/);
  });
});

describe('garbage never throws', () => {
  const anything = fc.anything({ withBigInt: true, withBoxedValues: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true });
  it('verification, resync, Base32, Key URI and secret generation answer anything with a value', () => {
    fc.assert(
      fc.property(anything, anything, anything, (a, b, c) => {
        for (const result of [
          call(verifyTotp, seed, a, b),
          call(verifyTotp, a, b, c),
          call(verifyHotp, seed, a, b),
          call(verifyHotp, a, b, c),
          call(resyncTotp, seed, a, b),
          call(resyncHotp, a, b, c),
          call(decodeBase32, a),
          call(parseKeyUri, a),
          call(formatKeyUri, a),
          call(generateSecret, undefined, a),
        ]) {
          expect(['Left', 'Right']).toContain((result as { _tag: string })._tag);
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('nor do strings that look almost right', () => {
    const almostUri = fc
      .tuple(fc.constantFrom('otpauth://totp/', 'otpauth://hotp/', 'OTPAUTH://TOTP/', 'otpauth://'), fc.string({ unit: 'binary', maxLength: 60 }), fc.string({ maxLength: 60 }))
      .map(([prefix, label, query]) => `${prefix}${label}?${query}`);
    fc.assert(
      fc.property(almostUri, fc.string({ unit: 'binary' }), (uri, text) => {
        expect(['Left', 'Right']).toContain(parseKeyUri(uri)._tag);
        expect(['Left', 'Right']).toContain(decodeBase32(text)._tag);
        expect(['Left', 'Right']).toContain(verifyTotp(seed, text, { timeMs })._tag);
      }),
      { numRuns: 1000 },
    );
  });
});
