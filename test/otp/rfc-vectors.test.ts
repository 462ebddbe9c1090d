/**
 * The published test vectors, typed in from RFC 4226 Appendix D and RFC 6238 Appendix B.
 */
import { describe, expect, it } from 'vitest';
import { hotp, totp, verifyHotp, verifyTotp } from '../../src/index.js';
import type { OtpAlgorithm } from '../../src/index.js';
import { otpMac } from '../../src/otp/internal/mac/otp-mac.js';

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
const hex = (bytes: Uint8Array): string => Array.from(bytes, (byte) => byte.toString(16).padStart(2, '0')).join('');

describe('RFC 4226 Appendix D (HOTP, SHA-1, secret "12345678901234567890")', () => {
  const secret = ascii('12345678901234567890');
  // count, intermediate HMAC-SHA-1, truncated value (hex), HOTP
  const vectors: readonly (readonly [number, string, number, string])[] = [
    [0, 'cc93cf18508d94934c64b65d8ba7667fb7cde4b0', 0x4c93cf18, '755224'],
    [1, '75a48a19d4cbe100644e8ac1397eea747a2d33ab', 0x41397eea, '287082'],
    [2, '0bacb7fa082fef30782211938bc1c5e70416ff44', 0x82fef30, '359152'],
    [3, '66c28227d03a2d5529262ff016a1e6ef76557ece', 0x66ef7655, '969429'],
    [4, 'a904c900a64b35909874b33e61c5938a8e15ed1c', 0x61c5938a, '338314'],
    [5, 'a37e783d7b7233c083d4f62926c7a25f238d0316', 0x33c083d4, '254676'],
    [6, 'bc9cd28561042c83f219324d3c607256c03272ae', 0x7256c032, '287922'],
    [7, 'a4fb960c0bc06e1eabb804e5b397cdc4b45596fa', 0x4e5b397, '162583'],
    [8, '1b3c89f65e6c9e883012052823443f048b4332db', 0x2823443f, '399871'],
    [9, '1637409809a679dc698207310c8c7fc07290d9e5', 0x2679dc69, '520489'],
  ];

  it.each(vectors)('count %i: HMAC, truncation and code', (count, hmacHex, truncated, code) => {
    const mac = otpMac('SHA1');
    mac.load(secret);
    expect(hex(mac.digest(0, count))).toBe(hmacHex);
    expect(mac.truncate(0, count)).toBe(truncated);
    mac.wipe();
    expect(hotp(secret, count)).toBe(code);
    expect(hotp(secret, BigInt(count))).toBe(code);
  });

  it('verifies every vector code at its counter, from counter 0 with the default look-ahead', () => {
    for (const [count, , , code] of vectors) {
      expect(verifyHotp(secret, code, { counter: 0n })).toEqual({ _tag: 'Right', right: { counter: BigInt(count), drift: count } });
      expect(verifyHotp(secret, code, { counter: count, lookAhead: 0 })).toEqual({
        _tag: 'Right',
        right: { counter: BigInt(count), drift: 0 },
      });
    }
  });
});

describe('RFC 6238 Appendix B (TOTP, 8 digits, 30 s)', () => {
  const seeds: Record<OtpAlgorithm, Uint8Array> = {
    SHA1: ascii('12345678901234567890'),
    SHA256: ascii('12345678901234567890123456789012'),
    SHA512: ascii('1234567890123456789012345678901234567890123456789012345678901234'),
  };
  // time (s), T (hex), TOTP for SHA1, SHA256, SHA512
  const table: readonly (readonly [number, string, string, string, string])[] = [
    [59, '0000000000000001', '94287082', '46119246', '90693936'],
    [1111111109, '00000000023523EC', '07081804', '68084774', '25091201'],
    [1111111111, '00000000023523ED', '14050471', '67062674', '99943326'],
    [1234567890, '000000000273EF07', '89005924', '91819424', '93441116'],
    [2000000000, '0000000003F940AA', '69279037', '90698825', '38618901'],
    [20000000000, '0000000027BC86AA', '65353130', '77737706', '47863826'],
  ];
  const rows = table.flatMap(([time, step, ...codes]) =>
    (['SHA1', 'SHA256', 'SHA512'] as const).map((algorithm, index) => [time, step, algorithm, codes[index] ?? ''] as const),
  );

  it.each(rows)('time %i (T = %s), %s: %s', (time, step, algorithm, code) => {
    const secret = seeds[algorithm];
    expect(totp(secret, time * 1000, { algorithm, digits: 8 })).toBe(code);
    // The same code as HOTP at T.
    expect(hotp(secret, BigInt(`0x${step}`), { algorithm, digits: 8 })).toBe(code);
    // Accepted at that time, reporting T with no drift; refused as a replay once T is accepted.
    const options = { algorithm, digits: 8, timeMs: time * 1000 } as const;
    expect(verifyTotp(secret, code, options)).toEqual({ _tag: 'Right', right: { step: BigInt(`0x${step}`), drift: 0 } });
    expect(verifyTotp(secret, code, { ...options, afterStep: BigInt(`0x${step}`) })).toEqual({ _tag: 'Left', left: { _tag: 'replay' } });
  });

  it('covers times past 2^31 s (2038), past 2^32 s (2106) and the year 2603', () => {
    expect(table.some(([time]) => time > 2 ** 31)).toBe(true);
    expect(table.some(([time]) => time > 2 ** 32)).toBe(true);
    expect(new Date(20000000000 * 1000).getUTCFullYear()).toBe(2603);
  });
});
