/**
 * Every test vector of RFC 6287 Appendix C, typed in from the RFC: one-way challenge-response
 * (C.1), mutual challenge-response (C.2, server and client computations) and plain signature
 * (C.3). Each vector is generated, and verified, and its neighbour response refused.
 */
import { describe, expect, it } from 'vitest';
import { ocra, verifyOcra } from '../../src/otp/ocra.js';
import type { OcraInputs } from '../../src/otp/ocra.js';

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
const fromHex = (text: string): Uint8Array => Uint8Array.from(text.match(/../g) ?? [], (pair) => Number.parseInt(pair, 16));

// The RFC's keys: the ASCII digits "1234567890" repeated to 20, 32 and 64 bytes.
const KEY20 = ascii('12345678901234567890');
const KEY32 = ascii('12345678901234567890123456789012');
const KEY64 = ascii('1234567890123456789012345678901234567890123456789012345678901234');
// PIN "1234", hashed with SHA-1 (the RFC's "PIN (1234) SHA1 hash value").
const PIN_SHA1 = fromHex('7110eda4d09e062aa5e4a390b0a572ac0d2c0220');
// Timestamp "132d0b6": the count of 1-minute steps at 2008-03-25 12:06 UTC.
const T_132D0B6_MS = 0x132d0b6 * 60 * 1000;

interface Vector {
  readonly suite: string;
  readonly key: Uint8Array;
  readonly inputs: OcraInputs;
  readonly response: string;
}

const table = (suite: string, key: Uint8Array, rows: readonly (readonly [OcraInputs, string])[]): Vector[] =>
  rows.map(([inputs, response]) => ({ suite, key, inputs, response }));

const oneWay: Vector[] = [
  ...table('OCRA-1:HOTP-SHA1-6:QN08', KEY20, [
    [{ question: '00000000' }, '237653'],
    [{ question: '11111111' }, '243178'],
    [{ question: '22222222' }, '653583'],
    [{ question: '33333333' }, '740991'],
    [{ question: '44444444' }, '608993'],
    [{ question: '55555555' }, '388898'],
    [{ question: '66666666' }, '816933'],
    [{ question: '77777777' }, '224598'],
    [{ question: '88888888' }, '750600'],
    [{ question: '99999999' }, '294470'],
  ]),
  ...table('OCRA-1:HOTP-SHA256-8:C-QN08-PSHA1', KEY32, [
    [{ counter: 0, question: '12345678', passwordHash: PIN_SHA1 }, '65347737'],
    [{ counter: 1, question: '12345678', passwordHash: PIN_SHA1 }, '86775851'],
    [{ counter: 2, question: '12345678', passwordHash: PIN_SHA1 }, '78192410'],
    [{ counter: 3, question: '12345678', passwordHash: PIN_SHA1 }, '71565254'],
    [{ counter: 4, question: '12345678', passwordHash: PIN_SHA1 }, '10104329'],
    [{ counter: 5, question: '12345678', passwordHash: PIN_SHA1 }, '65983500'],
    [{ counter: 6, question: '12345678', passwordHash: PIN_SHA1 }, '70069104'],
    [{ counter: 7, question: '12345678', passwordHash: PIN_SHA1 }, '91771096'],
    [{ counter: 8, question: '12345678', passwordHash: PIN_SHA1 }, '75011558'],
    [{ counter: 9, question: '12345678', passwordHash: PIN_SHA1 }, '08522129'],
  ]),
  ...table('OCRA-1:HOTP-SHA256-8:QN08-PSHA1', KEY32, [
    [{ question: '00000000', passwordHash: PIN_SHA1 }, '83238735'],
    [{ question: '11111111', passwordHash: PIN_SHA1 }, '01501458'],
    [{ question: '22222222', passwordHash: PIN_SHA1 }, '17957585'],
    [{ question: '33333333', passwordHash: PIN_SHA1 }, '86776967'],
    [{ question: '44444444', passwordHash: PIN_SHA1 }, '86807031'],
  ]),
  ...table('OCRA-1:HOTP-SHA512-8:C-QN08', KEY64, [
    [{ counter: 0, question: '00000000' }, '07016083'],
    [{ counter: 1, question: '11111111' }, '63947962'],
    [{ counter: 2, question: '22222222' }, '70123924'],
    [{ counter: 3, question: '33333333' }, '25341727'],
    [{ counter: 4, question: '44444444' }, '33203315'],
    [{ counter: 5, question: '55555555' }, '34205738'],
    [{ counter: 6, question: '66666666' }, '44343969'],
    [{ counter: 7, question: '77777777' }, '51946085'],
    [{ counter: 8, question: '88888888' }, '20403879'],
    [{ counter: 9, question: '99999999' }, '31409299'],
  ]),
  ...table('OCRA-1:HOTP-SHA512-8:QN08-T1M', KEY64, [
    [{ question: '00000000', timeMs: T_132D0B6_MS }, '95209754'],
    [{ question: '11111111', timeMs: T_132D0B6_MS }, '55907591'],
    [{ question: '22222222', timeMs: T_132D0B6_MS }, '22048402'],
    [{ question: '33333333', timeMs: T_132D0B6_MS }, '24218844'],
    [{ question: '44444444', timeMs: T_132D0B6_MS }, '36209546'],
  ]),
];

const mutual: Vector[] = [
  // Server computation, then client computation, SHA-256.
  ...table('OCRA-1:HOTP-SHA256-8:QA08', KEY32, [
    [{ question: 'CLI22220SRV11110' }, '28247970'],
    [{ question: 'CLI22221SRV11111' }, '01984843'],
    [{ question: 'CLI22222SRV11112' }, '65387857'],
    [{ question: 'CLI22223SRV11113' }, '03351211'],
    [{ question: 'CLI22224SRV11114' }, '83412541'],
    [{ question: 'SRV11110CLI22220' }, '15510767'],
    [{ question: 'SRV11111CLI22221' }, '90175646'],
    [{ question: 'SRV11112CLI22222' }, '33777207'],
    [{ question: 'SRV11113CLI22223' }, '95285278'],
    [{ question: 'SRV11114CLI22224' }, '28934924'],
  ]),
  // Server computation, SHA-512.
  ...table('OCRA-1:HOTP-SHA512-8:QA08', KEY64, [
    [{ question: 'CLI22220SRV11110' }, '79496648'],
    [{ question: 'CLI22221SRV11111' }, '76831980'],
    [{ question: 'CLI22222SRV11112' }, '12250499'],
    [{ question: 'CLI22223SRV11113' }, '90856481'],
    [{ question: 'CLI22224SRV11114' }, '12761449'],
  ]),
  // Client computation, SHA-512, with the PIN.
  ...table('OCRA-1:HOTP-SHA512-8:QA08-PSHA1', KEY64, [
    [{ question: 'SRV11110CLI22220', passwordHash: PIN_SHA1 }, '18806276'],
    [{ question: 'SRV11111CLI22221', passwordHash: PIN_SHA1 }, '70020315'],
    [{ question: 'SRV11112CLI22222', passwordHash: PIN_SHA1 }, '01600026'],
    [{ question: 'SRV11113CLI22223', passwordHash: PIN_SHA1 }, '18951020'],
    [{ question: 'SRV11114CLI22224', passwordHash: PIN_SHA1 }, '32528969'],
  ]),
];

const signature: Vector[] = [
  ...table('OCRA-1:HOTP-SHA256-8:QA08', KEY32, [
    [{ question: 'SIG10000' }, '53095496'],
    [{ question: 'SIG11000' }, '04110475'],
    [{ question: 'SIG12000' }, '31331128'],
    [{ question: 'SIG13000' }, '76028668'],
    [{ question: 'SIG14000' }, '46554205'],
  ]),
  ...table('OCRA-1:HOTP-SHA512-8:QA10-T1M', KEY64, [
    [{ question: 'SIG1000000', timeMs: T_132D0B6_MS }, '77537423'],
    [{ question: 'SIG1100000', timeMs: T_132D0B6_MS }, '31970405'],
    [{ question: 'SIG1200000', timeMs: T_132D0B6_MS }, '10235557'],
    [{ question: 'SIG1300000', timeMs: T_132D0B6_MS }, '95213541'],
    [{ question: 'SIG1400000', timeMs: T_132D0B6_MS }, '65360607'],
  ]),
];

const name = (vector: Vector): string => `${vector.suite} ${JSON.stringify(vector.inputs, (_, value: unknown) => (value instanceof Uint8Array ? 'pin-hash' : value))}`;

describe.each([
  ['C.1 one-way challenge-response', oneWay],
  ['C.2 mutual challenge-response', mutual],
  ['C.3 plain signature', signature],
] as const)('RFC 6287 Appendix %s', (_, vectors) => {
  it.each(vectors.map((vector) => [name(vector), vector] as const))('%s', (_label, vector) => {
    expect(ocra(vector.suite, vector.key, vector.inputs)).toBe(vector.response);
    // Verification with no window at all: exactly the vector's counter and step.
    expect(verifyOcra(vector.suite, vector.key, vector.response, { ...vector.inputs, ...(vector.inputs.timeMs === undefined ? {} : { past: 0, future: 0 }) })._tag).toBe(
      'Right',
    );
    // Another response of the same length is refused.
    const other = vector.response.replace(/.$/, (digit) => String((Number(digit) + 1) % 10));
    expect(verifyOcra(vector.suite, vector.key, other, vector.inputs)).toEqual({ _tag: 'Left', left: { _tag: 'mismatch' } });
  });
});

describe('RFC 6287 Appendix C, inputs as a user gives them', () => {
  it('hashes the PIN "1234" to the RFC\'s SHA-1 value (password instead of passwordHash)', () => {
    for (const vector of [...oneWay, ...mutual].filter((entry) => entry.inputs.passwordHash !== undefined)) {
      const { passwordHash: _, ...rest } = vector.inputs;
      expect(ocra(vector.suite, vector.key, { ...rest, password: '1234' })).toBe(vector.response);
    }
  });

  it('reads 132d0b6 from any moment of that minute', () => {
    const inputs = { question: '00000000', timeMs: T_132D0B6_MS + 59_999 };
    expect(ocra('OCRA-1:HOTP-SHA512-8:QN08-T1M', KEY64, inputs)).toBe('95209754');
    expect(ocra('OCRA-1:HOTP-SHA512-8:QN08-T1M', KEY64, { ...inputs, timeMs: T_132D0B6_MS + 60_000 })).not.toBe('95209754');
  });

  it('finds the counter of a response ahead of the expected one, within lookAhead', () => {
    const suite = 'OCRA-1:HOTP-SHA512-8:C-QN08';
    expect(verifyOcra(suite, KEY64, '25341727', { counter: 0, question: '33333333', lookAhead: 5 })).toEqual({
      _tag: 'Right',
      right: { counter: 3n },
    });
    expect(verifyOcra(suite, KEY64, '25341727', { counter: 0, question: '33333333', lookAhead: 2 })._tag).toBe('Left');
  });

  it('accepts a T1M response one minute late, reports the drift, and refuses it as a replay after its step', () => {
    const suite = 'OCRA-1:HOTP-SHA512-8:QN08-T1M';
    const later = { question: '00000000', timeMs: T_132D0B6_MS + 60_000 };
    expect(verifyOcra(suite, KEY64, '95209754', later)).toEqual({ _tag: 'Right', right: { step: 0x132d0b6n, drift: -1 } });
    expect(verifyOcra(suite, KEY64, '95209754', { ...later, afterStep: 0x132d0b6 })).toEqual({ _tag: 'Left', left: { _tag: 'replay' } });
    expect(verifyOcra(suite, KEY64, '95209754', { ...later, past: 0 })).toEqual({ _tag: 'Left', left: { _tag: 'mismatch' } });
  });
});
