import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decodeBase32, encodeBase32 } from '../../src/index.js';

const ascii = (text: string): Uint8Array => new TextEncoder().encode(text);
const invalid = { _tag: 'Left', left: { _tag: 'invalid-base32' } };

describe('Base32', () => {
  // RFC 4648 §10, without the padding we do not emit.
  const vectors: [string, string][] = [
    ['', ''],
    ['f', 'MY'],
    ['fo', 'MZXQ'],
    ['foo', 'MZXW6'],
    ['foob', 'MZXW6YQ'],
    ['fooba', 'MZXW6YTB'],
    ['foobar', 'MZXW6YTBOI'],
  ];

  it.each(vectors)('encodes %j as %j and back', (text, encoded) => {
    expect(encodeBase32(ascii(text))).toBe(encoded);
    expect(decodeBase32(encoded)).toEqual({ _tag: 'Right', right: ascii(text) });
  });

  it('reads the padded RFC forms, lower case and spaced-out groups', () => {
    expect(decodeBase32('MZXW6YQ=')).toEqual({ _tag: 'Right', right: ascii('foob') });
    expect(decodeBase32('MY======')).toEqual({ _tag: 'Right', right: ascii('f') });
    expect(decodeBase32('mzxw 6ytb oi')).toEqual({ _tag: 'Right', right: ascii('foobar') });
    expect(decodeBase32(' gezd gnbv\tgy3t qojq\r\ngezd gnbv gy3t qojq ')).toEqual({ _tag: 'Right', right: ascii('12345678901234567890') });
    expect(decodeBase32('MZXW6YQ= ')).toEqual({ _tag: 'Right', right: ascii('foob') });
  });

  it('refuses other characters, data after padding, and impossible lengths, without echoing the text', () => {
    for (const text of ['MZXW6YQ1', 'MZXW6YQ0', 'MZXW-6YQ', 'MZ=XW6YQ', 'M', 'MZX', 'MZXW6Y', 'MZXW6YTBO', 'ÄBCD']) {
      const result = decodeBase32(text);
      expect(result).toMatchObject(invalid);
      expect(JSON.stringify(result)).not.toContain(text);
    }
    expect(decodeBase32('MZXW6YQ1')).toMatchObject({ left: { detail: 'character 8 is not Base32' } });
  });

  it('round-trips any bytes, in any case and spacing', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.boolean(), fc.integer({ min: 1, max: 8 }), (bytes, lower, group) => {
        const encoded = encodeBase32(bytes);
        expect(encoded).toMatch(/^[A-Z2-7]*$/);
        expect(encoded.length).toBe(Math.ceil((bytes.length * 8) / 5));
        expect(decodeBase32(encoded)).toEqual({ _tag: 'Right', right: bytes });
        const spaced = (lower ? encoded.toLowerCase() : encoded).replace(new RegExp(`(.{${group}})`, 'g'), '$1 ');
        const padded = spaced + '='.repeat((8 - (encoded.length % 8)) % 8);
        expect(decodeBase32(padded)).toEqual({ _tag: 'Right', right: bytes });
      }),
      { numRuns: 1000 },
    );
  });
});
