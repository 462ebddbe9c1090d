/**
 * OCRA beyond the RFC's vectors: the suite grammar, the inputs each suite requires or refuses,
 * properties (a response verifies for its own inputs and for no changed ones) and hostile input.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { MAX_OCRA_CANDIDATES, ocra, parseOcraSuite, verifyOcra } from '../../src/otp/ocra.js';
import type { OcraInputs, OcraSuite } from '../../src/otp/ocra.js';

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
const KEY32 = ascii('12345678901234567890123456789012');
const call = <F extends (...args: never[]) => unknown>(f: F, ...args: unknown[]): ReturnType<F> => (f as unknown as (...a: unknown[]) => ReturnType<F>)(...args);
const rejection = (result: { readonly _tag: string; readonly left?: unknown }): unknown => (result._tag === 'Left' ? result.left : undefined);

describe('parseOcraSuite', () => {
  it.each([
    ['OCRA-1:HOTP-SHA1-6:QN08', { algorithm: 'SHA1', digits: 6, counter: false, question: { format: 'N', length: 8 } }],
    ['OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1', { algorithm: 'SHA256', digits: 8, counter: true, password: 'SHA1' }],
    ['OCRA-1:HOTP-SHA512-8:QN08-T1M', { algorithm: 'SHA512', timeStepSeconds: 60 }],
    ['OCRA-1:HOTP-SHA256-8:QH64-T1M', { question: { format: 'H', length: 64 }, timeStepSeconds: 60 }],
    ['OCRA-1:HOTP-SHA1-0:QA04-S512-T48H', { digits: 0, sessionBytes: 512, timeStepSeconds: 48 * 3600 }],
    ['OCRA-1:HOTP-SHA512-10:C-QH40-T30S-S064-PSHA512', { digits: 10, timeStepSeconds: 30, sessionBytes: 64, password: 'SHA512' }],
    ['OCRA-1:HOTP-SHA1-4:QN04-T59M', { digits: 4, timeStepSeconds: 59 * 60 }],
  ] as const)('reads %s', (text, expected) => {
    const parsed = parseOcraSuite(text);
    expect(parsed).toMatchObject({ _tag: 'Right', right: { text, ...expected } });
  });

  it.each([
    'OCRA-2:HOTP-SHA1-6:QN08',
    'ocra-1:hotp-sha1-6:qn08',
    'OCRA-1:HOTP-MD5-6:QN08',
    'OCRA-1:HOTP-SHA1-3:QN08',
    'OCRA-1:HOTP-SHA1-11:QN08',
    'OCRA-1:HOTP-SHA1-06:QN08',
    'OCRA-1:HOTP-SHA1-6:QN03',
    'OCRA-1:HOTP-SHA1-6:QN65',
    'OCRA-1:HOTP-SHA1-6:QX08',
    'OCRA-1:HOTP-SHA1-6:QN8',
    'OCRA-1:HOTP-SHA1-6:C',
    'OCRA-1:HOTP-SHA1-6:QN08-C',
    'OCRA-1:HOTP-SHA1-6:QN08-PMD5',
    'OCRA-1:HOTP-SHA1-6:QN08-S000',
    'OCRA-1:HOTP-SHA1-6:QN08-S513',
    'OCRA-1:HOTP-SHA1-6:QN08-S64',
    'OCRA-1:HOTP-SHA1-6:QN08-T0H',
    'OCRA-1:HOTP-SHA1-6:QN08-T49H',
    'OCRA-1:HOTP-SHA1-6:QN08-T60S',
    'OCRA-1:HOTP-SHA1-6:QN08-T01M',
    'OCRA-1:HOTP-SHA1-6:QN08-T1D',
    'OCRA-1:HOTP-SHA1-6:QN08-T1M-T2M',
    'OCRA-1:HOTP-SHA1-6:QN08-PSHA1-PSHA1',
    'OCRA-1:HOTP-SHA1-6:QN08-',
    'OCRA-1:HOTP-SHA1-6:QN08:',
    ' OCRA-1:HOTP-SHA1-6:QN08',
    '',
    'OCRA-1:HOTP-SHA1-6:QN08'.repeat(10),
  ])('refuses %j, naming the rule, without echoing the text', (text) => {
    const result = parseOcraSuite(text);
    expect(result._tag).toBe('Left');
    const detail = (rejection(result) as { detail: string }).detail;
    expect(detail).toMatch(/^suite must read OCRA-1/);
    if (text.length > 8) expect(detail).not.toContain(text);
  });
});

describe('the inputs a suite requires, and those it refuses', () => {
  const bad = (suite: string, inputs: unknown): string => {
    const result = call(verifyOcra, suite, KEY32, '12345678', inputs);
    return (rejection(result) as { _tag: string; detail?: string }).detail ?? '';
  };
  it.each([
    ['OCRA-1:HOTP-SHA256-8:C-QN08', { question: '12345678' }, /^counter: the suite has a C data input/],
    ['OCRA-1:HOTP-SHA256-8:QN08', { question: '12345678', counter: 1 }, /^counter: the suite has no C data input/],
    ['OCRA-1:HOTP-SHA256-8:QN08-T1M', { question: '12345678' }, /^timeMs: the suite has a T/],
    ['OCRA-1:HOTP-SHA256-8:QN08', { question: '12345678', timeMs: 0 }, /^timeMs: the suite has no T/],
    ['OCRA-1:HOTP-SHA256-8:QN08-PSHA1', { question: '12345678' }, /^password: the suite needs a PIN/],
    ['OCRA-1:HOTP-SHA256-8:QN08-PSHA1', { question: '12345678', passwordHash: new Uint8Array(32) }, /^password: the suite needs/],
    ['OCRA-1:HOTP-SHA256-8:QN08-PSHA1', { question: '12345678', password: '1', passwordHash: new Uint8Array(20) }, /not both/],
    ['OCRA-1:HOTP-SHA256-8:QN08', { question: '12345678', password: '1234' }, /^password: the suite has no P/],
    ['OCRA-1:HOTP-SHA256-8:QN08-S004', { question: '12345678', session: new Uint8Array(5) }, /^session must be a Uint8Array of at most 4 bytes/],
    ['OCRA-1:HOTP-SHA256-8:QN08', { question: '12345678', session: new Uint8Array(1) }, /^session: the suite has no S/],
    ['OCRA-1:HOTP-SHA256-8:QN08', { question: '1234567a' }, /^question must be 4 to 16 decimal digits/],
    ['OCRA-1:HOTP-SHA256-8:QN08', { question: '123' }, /^question must be/],
    ['OCRA-1:HOTP-SHA256-8:QN08', { question: '1'.repeat(17) }, /^question must be/],
    ['OCRA-1:HOTP-SHA256-8:QH08', { question: '0123456g' }, /hexadecimal digits/],
    ['OCRA-1:HOTP-SHA256-8:QA08', { question: 'ABC DEFG' }, /letters and digits/],
  ] as const)('%s with %o', (suite, inputs, detail) => {
    expect(bad(suite, inputs)).toMatch(detail);
    expect(() => call(ocra, suite, KEY32, inputs)).toThrow(RangeError);
  });

  it.each([
    ['OCRA-1:HOTP-SHA256-8:QN08', { question: '12345678', lookAhead: 3 }, /^lookAhead: the suite has no C/],
    ['OCRA-1:HOTP-SHA256-8:QN08', { question: '12345678', afterStep: 3 }, /the suite has no T/],
    ['OCRA-1:HOTP-SHA256-8:QN08-T1M', { question: '12345678', timeMs: 0, past: 101 }, /^past must be/],
    ['OCRA-1:HOTP-SHA256-8:C-QN08-T1S', { question: '12345678', counter: 0, timeMs: 1e12, lookAhead: 1000, past: 100 }, /at most 10000 candidates/],
  ] as const)('verification: %s with %o', (suite, inputs, detail) => {
    expect(bad(suite, inputs)).toMatch(detail);
  });

  it('binds the session information, aligned right', () => {
    const suite = 'OCRA-1:HOTP-SHA256-8:QN08-S064';
    const session = ascii('session-42');
    const response = ocra(suite, KEY32, { question: '12345678', session });
    expect(verifyOcra(suite, KEY32, response, { question: '12345678', session })._tag).toBe('Right');
    const padded = new Uint8Array(64);
    padded.set(session, 64 - session.length);
    expect(ocra(suite, KEY32, { question: '12345678', session: padded })).toBe(response);
    expect(verifyOcra(suite, KEY32, response, { question: '12345678', session: ascii('session-43') })._tag).toBe('Left');
  });

  it('answers the whole HMAC for 0 digits, verified in either case', () => {
    const suite = 'OCRA-1:HOTP-SHA256-0:QN08';
    const response = ocra(suite, KEY32, { question: '12345678' });
    expect(response).toMatch(/^[0-9a-f]{64}$/);
    expect(verifyOcra(suite, KEY32, response.toUpperCase(), { question: '12345678' })._tag).toBe('Right');
    expect(rejection(verifyOcra(suite, KEY32, response.slice(2), { question: '12345678' }))).toMatchObject({ _tag: 'malformed' });
    const flipped = (response.startsWith('0') ? '1' : '0') + response.slice(1);
    expect(rejection(verifyOcra(suite, KEY32, flipped, { question: '12345678' }))).toEqual({ _tag: 'mismatch' });
  });

  it('answers 10 digits, and refuses a 10-digit response no truncation can give as a mismatch', () => {
    const suite = 'OCRA-1:HOTP-SHA256-10:QN08';
    const response = ocra(suite, KEY32, { question: '12345678' });
    expect(response).toMatch(/^[0-2][0-9]{9}$/);
    expect(verifyOcra(suite, KEY32, response, { question: '12345678' })._tag).toBe('Right');
    expect(rejection(verifyOcra(suite, KEY32, '9999999999', { question: '12345678' }))).toEqual({ _tag: 'mismatch' });
  });

  it('refuses short seeds unless allowed, like the other verifiers', () => {
    const short = ascii('1234567890');
    const response = ocra('OCRA-1:HOTP-SHA1-6:QN08', short, { question: '12345678' });
    expect(rejection(verifyOcra('OCRA-1:HOTP-SHA1-6:QN08', short, response, { question: '12345678' }))).toEqual({ _tag: 'weak-secret' });
    expect(verifyOcra('OCRA-1:HOTP-SHA1-6:QN08', short, response, { question: '12345678', allowShortSecret: true })._tag).toBe('Right');
  });

  it('re-reads a parsed suite from its text, so an edited object cannot change what is computed', () => {
    const parsed = parseOcraSuite('OCRA-1:HOTP-SHA1-6:QN08');
    if (parsed._tag === 'Left') throw new Error('valid suite');
    const forged: OcraSuite = { ...parsed.right, digits: 4 };
    expect(ocra(forged, KEY32, { question: '12345678' })).toHaveLength(6);
  });
});

// ---------------------------------------------------------------------------------------------
// properties
// ---------------------------------------------------------------------------------------------

const algorithm = fc.constantFrom('SHA1', 'SHA256', 'SHA512');
const suiteArbitrary = (digits: readonly number[]) =>
  fc
    .record({
      algorithm,
      digits: fc.constantFrom(...digits),
      counter: fc.boolean(),
      format: fc.constantFrom('A', 'N', 'H'),
      length: fc.integer({ min: 4, max: 64 }),
      password: fc.option(algorithm, { nil: undefined }),
      session: fc.option(fc.integer({ min: 1, max: 512 }), { nil: undefined }),
      time: fc.option(fc.constantFrom('30S', '1M', '5M', '1H'), { nil: undefined }),
    })
    .map((s) => ({
      ...s,
      text:
        `OCRA-1:HOTP-${s.algorithm}-${s.digits}:${s.counter ? 'C-' : ''}Q${s.format}${String(s.length).padStart(2, '0')}` +
        `${s.password === undefined ? '' : `-P${s.password}`}${s.session === undefined ? '' : `-S${String(s.session).padStart(3, '0')}`}` +
        (s.time === undefined ? '' : `-T${s.time}`),
    }));
type SuiteParts = ReturnType<typeof suiteArbitrary> extends fc.Arbitrary<infer T> ? T : never;

const ALPHABETS: Readonly<Record<string, string>> = {
  N: '0123456789',
  H: '0123456789abcdef',
  A: 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
};
const alphabetOf = (format: string): string => ALPHABETS[format] ?? '';

/** A suite and a full set of inputs for it. */
const scenario = (digits: readonly number[]) =>
  suiteArbitrary(digits).chain((suite) =>
    fc.record({
      suite: fc.constant(suite),
      key: fc.uint8Array({ minLength: 16, maxLength: 80 }),
      question: fc.string({ unit: fc.constantFrom(...alphabetOf(suite.format).split('')) /* ASCII alphabets */, minLength: suite.length, maxLength: suite.length }),
      counter: fc.bigInt({ min: 0n, max: (1n << 64n) - 2n }),
      pin: fc.string({ maxLength: 12 }),
      session: fc.uint8Array({ minLength: 0, maxLength: suite.session ?? 0 }),
      timeMs: fc.integer({ min: 0, max: 4_000_000_000_000 }),
    }),
  );
type Scenario = ReturnType<typeof scenario> extends fc.Arbitrary<infer T> ? T : never;

const inputsOf = (s: Scenario): OcraInputs => ({
  question: s.question,
  ...(s.suite.counter ? { counter: s.counter } : {}),
  ...(s.suite.password === undefined ? {} : { password: s.pin }),
  ...(s.suite.session === undefined ? {} : { session: s.session }),
  ...(s.suite.time === undefined ? {} : { timeMs: s.timeMs }),
});
const exactly = (suite: SuiteParts) => (suite.time === undefined ? {} : { past: 0, future: 0 });

/**
 * The RFC's encoding of a numeric question: the number in hexadecimal, left-aligned, zero-padded
 * on the right. Numbers whose hexadecimal differs only by trailing zeros (1 and 16) share it.
 */
const numericField = (question: string): string => BigInt(question).toString(16).replace(/0+$/, '');

describe('properties', () => {
  it('a response verifies for its own inputs, with no window, and reports its counter and step', () => {
    fc.assert(
      fc.property(scenario([4, 5, 6, 7, 8, 9, 10]), (s) => {
        const response = ocra(s.suite.text, s.key, inputsOf(s));
        expect(response).toMatch(new RegExp(`^[0-9]{${s.suite.digits}}$`));
        const verified = verifyOcra(s.suite.text, s.key, response, { ...inputsOf(s), ...exactly(s.suite) });
        expect(verified._tag).toBe('Right');
        if (verified._tag === 'Right') {
          expect(verified.right.counter).toBe(s.suite.counter ? s.counter : undefined);
          expect(verified.right.drift).toBe(s.suite.time === undefined ? undefined : 0);
        }
      }),
      { numRuns: 500 },
    );
  });

  // 8 and 10 digits: a chance match is 1 in 10^8 (2^31) per run, so the property cannot flake.
  it('changing the question, the counter, the time step, the PIN or the session makes it fail', () => {
    const change = fc.constantFrom('question', 'counter', 'time', 'pin', 'session');
    fc.assert(
      fc.property(scenario([8, 10]), change, fc.nat(), (s, what, n) => {
        fc.pre(
          !(
            (what === 'counter' && !s.suite.counter) ||
            (what === 'time' && s.suite.time === undefined) ||
            (what === 'pin' && s.suite.password === undefined) ||
            (what === 'session' && s.suite.session === undefined)
          ),
        );
        const response = ocra(s.suite.text, s.key, inputsOf(s));
        let changed: Scenario;
        switch (what) {
          case 'question': {
            const at = n % s.question.length;
            const alphabet = alphabetOf(s.suite.format);
            const next = alphabet.charAt((alphabet.indexOf(s.question.charAt(at)) + 1 + (n % (alphabet.length - 1))) % alphabet.length);
            changed = { ...s, question: s.question.slice(0, at) + next + s.question.slice(at + 1) };
            fc.pre(s.suite.format !== 'N' || numericField(s.question) !== numericField(changed.question));
            break;
          }
          case 'counter':
            changed = { ...s, counter: s.counter + 1n };
            break;
          case 'time': {
            const period = { '30S': 30_000, '1M': 60_000, '5M': 300_000, '1H': 3_600_000 }[s.suite.time ?? '1M'];
            changed = { ...s, timeMs: s.timeMs + period * (1 + (n % 5)) };
            break;
          }
          case 'pin':
            changed = { ...s, pin: `${s.pin}x` };
            break;
          case 'session':
            changed = { ...s, session: Uint8Array.from([...s.session.slice(1), (s.session[0] ?? 0) ^ 1]) };
            break;
        }
        expect(verifyOcra(s.suite.text, s.key, response, { ...inputsOf(changed), ...exactly(s.suite) })).toEqual({
          _tag: 'Left',
          left: { _tag: 'mismatch' },
        });
      }),
      { numRuns: 1000 },
    );
  });

  it('the RFC encoding of numeric questions: 00000001 and 00000016 (hex 1 and 10) get the same response', () => {
    // Why dynamic linking uses a hexadecimal question of fixed length (docs/dynamic-linking.md).
    const suite = 'OCRA-1:HOTP-SHA256-8:QN08';
    expect(ocra(suite, KEY32, { question: '00000016' })).toBe(ocra(suite, KEY32, { question: '00000001' }));
    expect(ocra('OCRA-1:HOTP-SHA256-8:QH08', KEY32, { question: '00000010' })).not.toBe(ocra('OCRA-1:HOTP-SHA256-8:QH08', KEY32, { question: '00000001' }));
  });
});

describe('hostile input never throws', () => {
  const anything = fc.anything({ withBigInt: true, withBoxedValues: true, withMap: true, withSet: true, withTypedArray: true, withNullPrototype: true });
  const suites = fc.constantFrom('OCRA-1:HOTP-SHA1-6:QN08', 'OCRA-1:HOTP-SHA256-8:C-QH64-PSHA1-S064-T1M', 'OCRA-1:HOTP-SHA512-0:QA10');
  it('verifyOcra and parseOcraSuite answer anything with a value', () => {
    fc.assert(
      fc.property(anything, anything, anything, anything, suites, (a, b, c, d, suite) => {
        for (const result of [
          call(verifyOcra, a, b, c, d),
          call(verifyOcra, suite, KEY32, a, b),
          call(verifyOcra, suite, KEY32, '12345678', { question: a, counter: b, timeMs: c, passwordHash: d }),
          call(verifyOcra, suite, KEY32, '12345678', { question: '12345678', counter: 0, timeMs: 0, password: a, session: b, afterStep: c, past: d }),
          call(parseOcraSuite, a),
        ]) {
          expect(['Left', 'Right']).toContain((result as { _tag: string })._tag);
        }
      }),
      { numRuns: 1000 },
    );
  });

  it('nor do suites and questions that look almost right', () => {
    const almost = fc
      .tuple(fc.constantFrom('OCRA-1:HOTP-SHA1-6:', 'OCRA-1:HOTP-SHA256-8:C-', 'OCRA-1:', 'OCRA-1:HOTP-SHA512-'), fc.string({ unit: 'binary', maxLength: 40 }))
      .map(([prefix, rest]) => prefix + rest);
    fc.assert(
      fc.property(almost, fc.string({ unit: 'binary', maxLength: 140 }), (suite, question) => {
        expect(['Left', 'Right']).toContain(parseOcraSuite(suite)._tag);
        expect(['Left', 'Right']).toContain(verifyOcra(suite, KEY32, '12345678', { question })._tag);
        expect(['Left', 'Right']).toContain(verifyOcra('OCRA-1:HOTP-SHA256-8:QA64', KEY32, '12345678', { question })._tag);
      }),
      { numRuns: 1000 },
    );
  });

  it('bounds the work a verification may ask for', () => {
    expect(MAX_OCRA_CANDIDATES).toBe(10_000);
    const largest = { question: '12345678', counter: 0, timeMs: 0, lookAhead: 99, past: 50, future: 49 };
    expect(verifyOcra('OCRA-1:HOTP-SHA1-6:C-QN08-T1M', KEY32, '123456', largest)).toEqual({ _tag: 'Left', left: { _tag: 'mismatch' } });
  });
});
