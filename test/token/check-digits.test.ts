import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { dammCheckDigit, hasValidDammCheckDigit } from '../../src/activation/check-digit.js';
import { drawSerial } from '../../src/commands/token/draw-serial.js';
import { DEFAULT_SERIAL_PREFIX, isValidSerial, serialCheckCharacter } from '../../src/domain/token/serial.js';
import { seededRandom } from '../../src/ports/random.js';

const digitString = fc.string({ unit: fc.constantFrom('0', '1', '2', '3', '4', '5', '6', '7', '8', '9'), minLength: 1, maxLength: 30 });
const ALNUM = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

describe('the Damm check digit', () => {
  it('matches the published example (572 -> 4)', () => {
    expect(dammCheckDigit('572')).toBe('4');
    expect(hasValidDammCheckDigit('5724')).toBe(true);
    expect(hasValidDammCheckDigit('5723')).toBe(false);
  });

  it('catches every single-digit substitution', () => {
    fc.assert(
      fc.property(digitString, fc.nat(), fc.integer({ min: 1, max: 9 }), (body, at, delta) => {
        const whole = body + dammCheckDigit(body);
        const index = at % whole.length;
        const changed = whole.slice(0, index) + String((Number(whole[index]) + delta) % 10) + whole.slice(index + 1);
        expect(hasValidDammCheckDigit(whole)).toBe(true);
        expect(hasValidDammCheckDigit(changed)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('catches every swap of two different adjacent digits', () => {
    fc.assert(
      fc.property(digitString.filter((s) => s.length >= 1), fc.nat(), (body, at) => {
        const whole = body + dammCheckDigit(body);
        const index = at % (whole.length - 1);
        fc.pre(whole[index] !== whole[index + 1]);
        const swapped = whole.slice(0, index) + whole[index + 1]! + whole[index]! + whole.slice(index + 2);
        expect(hasValidDammCheckDigit(swapped)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('refuses anything that is not digits', () => {
    expect(hasValidDammCheckDigit('57a4')).toBe(false);
    expect(hasValidDammCheckDigit('')).toBe(false);
  });
});

describe('serial numbers', () => {
  it('use the ISO 7064 MOD 37-2 check character', () => {
    expect(serialCheckCharacter('G123498654321')).toBe('H');
  });

  it('are never issued with the * check character', () => {
    // Bodies whose MOD 37-2 check would be '*' exist; the draw skips them.
    const starBodies = Array.from({ length: 2000 }, (_, n) => `ST${String(n).padStart(10, '0')}`).filter((body) => serialCheckCharacter(body) === '*');
    expect(starBodies.length).toBeGreaterThan(0);
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        expect(drawSerial(seededRandom(seed))).not.toContain('*');
      }),
      { numRuns: 1000 },
    );
  });

  it('are drawn with the bank prefix, ten digits and a valid check character', () => {
    fc.assert(
      fc.property(fc.integer(), fc.stringMatching(/^[A-Z]{1,4}$/), (seed, prefix) => {
        const serial = drawSerial(seededRandom(seed), prefix);
        expect(serial).toMatch(new RegExp(`^${prefix}[0-9]{10}[0-9A-Z]$`));
        expect(isValidSerial(serial)).toBe(true);
      }),
      { numRuns: 500 },
    );
    expect(drawSerial(seededRandom(1)).startsWith(DEFAULT_SERIAL_PREFIX)).toBe(true);
  });

  it('catch every single-character substitution', () => {
    fc.assert(
      fc.property(fc.integer(), fc.nat(), fc.integer({ min: 1, max: 35 }), (seed, at, delta) => {
        const serial = drawSerial(seededRandom(seed));
        const index = at % serial.length;
        const replacement = ALNUM[(ALNUM.indexOf(serial[index]!) + delta) % 36]!;
        const changed = serial.slice(0, index) + replacement + serial.slice(index + 1);
        expect(isValidSerial(changed)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('catch every swap of two different adjacent characters', () => {
    fc.assert(
      fc.property(fc.integer(), fc.nat(), (seed, at) => {
        const serial = drawSerial(seededRandom(seed));
        const index = at % (serial.length - 1);
        fc.pre(serial[index] !== serial[index + 1]);
        const swapped = serial.slice(0, index) + serial[index + 1]! + serial[index]! + serial.slice(index + 2);
        expect(isValidSerial(swapped)).toBe(false);
      }),
      { numRuns: 2000 },
    );
  });

  it('reject the wrong shape', () => {
    expect(isValidSerial('st01234567890')).toBe(false);
    expect(isValidSerial('ST012345678')).toBe(false);
    expect(isValidSerial('STXYZ0123456789')).toBe(false);
  });
});
