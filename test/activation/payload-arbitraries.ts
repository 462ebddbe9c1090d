import fc from 'fast-check';
import { dammCheckDigit } from '../../src/activation/check-digit.js';
import type { PayloadOtpParameters } from '../../src/activation/payload.js';
import { serialCheckCharacter } from '../../src/domain/token/serial.js';

/** A valid serial: 1 to 4 letters, 10 digits, its MOD 37-2 check character (never `*`). */
export const serialArbitrary = fc
  .tuple(fc.stringMatching(/^[A-Z]{1,4}$/u), fc.stringMatching(/^[0-9]{10}$/u))
  .map(([prefix, digits]) => `${prefix}${digits}`)
  .map((body) => `${body}${serialCheckCharacter(body)}`)
  .filter((serial) => !serial.endsWith('*'));

/** A canonical activation code: 27 digits and their Damm check digit. */
export const activationCodeArbitrary = fc.stringMatching(/^[0-9]{27}$/u).map((body) => `${body}${dammCheckDigit(body)}`);

export const parametersArbitrary: fc.Arbitrary<PayloadOtpParameters> = fc.record({
  mode: fc.constantFrom('totp' as const, 'hotp' as const),
  algorithm: fc.constantFrom('SHA1' as const, 'SHA256' as const, 'SHA512' as const),
  digits: fc.integer({ min: 6, max: 8 }),
  period: fc.integer({ min: 1, max: 3600 }),
});
