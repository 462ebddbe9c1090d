import { createHash, createHmac, hkdfSync } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ACTIVATION_CODE_LENGTH,
  composeRegistrationCode,
  constantTimeEqual,
  dammCheckDigit,
  deriveSeed,
  formatActivationCode,
  formatRegistrationCode,
  generateActivationCode,
  normalizeSerial,
  parseActivationCode,
  parseRegistrationCode,
  registerDevice,
  registrationMac,
  REGISTRATION_CODE_LENGTH,
  verifyRegistration,
  type ActivationCode,
} from '../../src/activation/index.js';
import { randomDigits } from '../../src/activation/digits.js';
import { drawSerial } from '../../src/commands/token/draw-serial.js';
import { seededRandom, type Random } from '../../src/ports/random.js';

const right = <A>(either: E.Either<unknown, A>): A => {
  if (E.isLeft(either)) throw new Error(`expected Right, got ${JSON.stringify(either.left)}`);
  return either.right;
};

const code = (seed: number): ActivationCode => generateActivationCode(seededRandom(seed));

describe('activation codes', () => {
  it('have 28 digits, 27 of them random, and a valid check digit', () => {
    fc.assert(
      fc.property(fc.integer(), (seed) => {
        const generated = code(seed);
        expect(generated).toMatch(/^[0-9]{28}$/);
        expect(right(parseActivationCode(generated))).toBe(generated);
      }),
      { numRuns: 500 },
    );
    expect(ACTIVATION_CODE_LENGTH).toBe(28);
    // 27 random decimal digits: log2(10^27) > 80 bits.
    expect(27 * Math.log2(10)).toBeGreaterThan(80);
  });

  it('are read back from the grouped form, with spaces or dashes', () => {
    const generated = code(7);
    const shown = formatActivationCode(generated);
    expect(shown).toMatch(/^([0-9]{4}-){6}[0-9]{4}$/);
    expect(right(parseActivationCode(shown))).toBe(generated);
    expect(right(parseActivationCode(shown.replaceAll('-', ' ')))).toBe(generated);
  });

  it('refuse a typo through the check digit, and malformed input by field', () => {
    const generated = code(8);
    const typo = `${generated.slice(0, 5)}${String((Number(generated[5]) + 1) % 10)}${generated.slice(6)}`;
    expect(parseActivationCode(typo)).toEqual(E.left({ _tag: 'check-digit', field: 'activationCode' }));
    for (const bad of [undefined, 42, 'x'.repeat(500), '12345', `${generated}0`, `${generated.slice(1)}a`]) {
      const result = parseActivationCode(bad);
      expect(E.isLeft(result) && result.left._tag === 'malformed' && result.left.field === 'activationCode').toBe(true);
    }
  });

  it('draw every digit equally often (rejection sampling)', () => {
    const counts = new Array<number>(10).fill(0);
    // A SHA-256 counter stream: deterministic and, unlike a small xorshift, uniform in every byte.
    let counter = 0;
    const uniform: Random = {
      bytes: (n) => {
        const out = new Uint8Array(n);
        for (let i = 0; i < n; i += 32) out.set(createHash('sha256').update(String(counter++)).digest().subarray(0, Math.min(32, n - i)), i);
        return out;
      },
    };
    const digits = randomDigits(uniform, 100_000);
    for (const digit of digits) counts[Number(digit)]! += 1;
    // The standard deviation of each count is about 95: five of them is a generous bound.
    for (const count of counts) expect(Math.abs(count - 10_000)).toBeLessThan(475);
  });

  it('skip bytes of 250 and above instead of folding them onto low digits', () => {
    let calls = 0;
    const skewed: Random = { bytes: (n) => new Uint8Array(n).fill(calls++ === 0 ? 255 : 3) };
    expect(randomDigits(skewed, 6)).toBe('333333');
  });
});

describe('the seed and the registration MAC', () => {
  it('follow HKDF-SHA256 and HMAC-SHA256 exactly as documented (independent implementation)', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer(), fc.stringMatching(/^[0-9]{12}$/), (codeSeed, serialSeed, nonce) => {
        const activationCode = code(codeSeed);
        const serial = drawSerial(seededRandom(serialSeed));
        const seed = deriveSeed(activationCode, serial, nonce);
        const expected = Buffer.from(hkdfSync('sha256', activationCode, nonce, `softtoken-sdk/activation/v1/seed${serial}`, 20));
        expect(Buffer.from(seed).equals(expected)).toBe(true);
        const mac = createHmac('sha256', seed).update(`softtoken-sdk/activation/v1/registration${serial}${nonce}`).digest();
        expect(registrationMac(seed, serial, nonce)).toBe((mac.readBigUInt64BE(0) % 10n ** 10n).toString().padStart(10, '0'));
      }),
      { numRuns: 200 },
    );
  });

  it('match the published test vector', () => {
    const activationCode = right(parseActivationCode('0123-4567-8901-2345-6789-0123-4561'));
    const seed = deriveSeed(activationCode, 'ST00000000014', '000000000042');
    expect(Buffer.from(seed).toString('hex')).toBe('3f2e3d7ab1278ea427b0351c089a2084d0932ac5');
    expect(composeRegistrationCode('000000000042', registrationMac(seed, 'ST00000000014', '000000000042'))).toBe('100000000004214979893718');
  });
});

describe('registration codes', () => {
  const registration = (seed: number) =>
    right(registerDevice({ serial: drawSerial(seededRandom(seed)), activationCode: code(seed), random: seededRandom(seed + 1) }));

  it('let the server derive the same seed the phone derived', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer(), (codeSeed, nonceSeed) => {
        const serial = drawSerial(seededRandom(codeSeed));
        const activationCode = code(codeSeed);
        const phone = right(registerDevice({ serial, activationCode: formatActivationCode(activationCode), random: seededRandom(nonceSeed) }));
        expect(phone.registrationCode).toMatch(/^1[0-9]{23}$/);
        const server = right(verifyRegistration({ serial, activationCode, registrationCode: formatRegistrationCode(phone.registrationCode) }));
        expect(Buffer.from(server.seed).equals(Buffer.from(phone.seed))).toBe(true);
      }),
      { numRuns: 300 },
    );
  });

  it('give every activation attempt a different seed (the nonce)', () => {
    const serial = drawSerial(seededRandom(1));
    const activationCode = code(1);
    const first = right(registerDevice({ serial, activationCode, random: seededRandom(10) }));
    const second = right(registerDevice({ serial, activationCode, random: seededRandom(11) }));
    expect(first.registrationCode).not.toBe(second.registrationCode);
    expect(Buffer.from(first.seed).equals(Buffer.from(second.seed))).toBe(false);
  });

  it('fail for another activation code or another serial', () => {
    fc.assert(
      fc.property(fc.integer(), fc.integer(), (seed, other) => {
        fc.pre(seed !== other);
        const phone = registration(seed);
        expect(verifyRegistration({ serial: phone.serial, activationCode: code(other), registrationCode: phone.registrationCode })).toEqual(
          E.left({ _tag: 'mismatch' }),
        );
        const otherSerial = drawSerial(seededRandom(other));
        fc.pre(otherSerial !== phone.serial);
        expect(verifyRegistration({ serial: otherSerial, activationCode: code(seed), registrationCode: phone.registrationCode })).toEqual(
          E.left({ _tag: 'mismatch' }),
        );
      }),
      { numRuns: 200 },
    );
  });

  it('catch a typo with the check digit before the MAC is looked at', () => {
    fc.assert(
      fc.property(fc.integer(), fc.nat(), fc.integer({ min: 1, max: 9 }), (seed, at, delta) => {
        const phone = registration(seed);
        const index = at % REGISTRATION_CODE_LENGTH;
        const digits = phone.registrationCode;
        const typo = digits.slice(0, index) + String((Number(digits[index]) + delta) % 10) + digits.slice(index + 1);
        expect(verifyRegistration({ serial: phone.serial, activationCode: code(seed), registrationCode: typo })).toEqual(
          E.left({ _tag: 'check-digit', field: 'registrationCode' }),
        );
      }),
      { numRuns: 500 },
    );
  });

  it('refuse a forged MAC even with a valid check digit', () => {
    const phone = registration(3);
    const parts = right(parseRegistrationCode(phone.registrationCode));
    const forgedMac = String((Number(parts.mac) + 1) % 10 ** 10).padStart(10, '0');
    const forged = composeRegistrationCode(parts.nonce, forgedMac);
    expect(verifyRegistration({ serial: phone.serial, activationCode: code(3), registrationCode: forged })).toEqual(E.left({ _tag: 'mismatch' }));
  });

  it('name an unknown protocol version', () => {
    const body = `2${'0'.repeat(22)}`;
    expect(parseRegistrationCode(`${body}${dammCheckDigit(body)}`)).toEqual(E.left({ _tag: 'unsupported-version', version: 2 }));
  });

  it('refuse malformed input by field, without echoing it', () => {
    for (const bad of [null, 12, '', 'abc', '1'.repeat(23), '1'.repeat(300)]) {
      const result = parseRegistrationCode(bad);
      expect(E.isLeft(result) && result.left._tag === 'malformed' && result.left.field === 'registrationCode').toBe(true);
      if (E.isLeft(result) && result.left._tag === 'malformed' && typeof bad === 'string' && bad.length > 0) expect(result.left.detail).not.toContain(bad);
    }
  });
});

describe('serial input', () => {
  it('is upper-cased and freed of separators, and bounded', () => {
    expect(right(normalizeSerial(' st-0123 4567-89x '))).toBe('ST0123456789X');
    for (const bad of [undefined, '', '???', 'A'.repeat(65), 'A'.repeat(200)]) expect(E.isLeft(normalizeSerial(bad))).toBe(true);
  });
});

describe('constant-time comparison', () => {
  it('agrees with ===', () => {
    fc.assert(fc.property(fc.string(), fc.string(), (a, b) => constantTimeEqual(a, b) === (a === b)));
    expect(constantTimeEqual('abc', 'abc')).toBe(true);
  });
});
