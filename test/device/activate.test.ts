import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { generateActivationCode, formatActivationCode, verifyRegistration } from '../../src/activation/index.js';
import { activateDevice, restoreDeviceToken as restoreEither } from '../../src/device/activate.js';
import { drawSerial } from '../../src/commands/token/draw-serial.js';
import { defaultOtpParameters } from '../../src/otp/engine.js';
import { hotp } from '../../src/otp/hotp.js';
import { parseKeyUri } from '../../src/otp/key-uri.js';
import { totp } from '../../src/otp/totp.js';
import { seededRandom } from '../../src/ports/random.js';

const serial = drawSerial(seededRandom(5));

const restoreDeviceToken = (stored: Parameters<typeof restoreEither>[0]) => {
  const token = restoreEither(stored);
  if (E.isLeft(token)) throw new Error(`not restored: ${token.left._tag}`);
  return token.right;
};
const activationCode = generateActivationCode(seededRandom(6));

describe('activating the app', () => {
  it('turns the serial and the activation code into a registration code the server accepts', () => {
    const result = activateDevice({ serial: serial.toLowerCase(), activationCode: formatActivationCode(activationCode), random: seededRandom(7) });
    if (E.isLeft(result)) throw new Error(result.left._tag);
    expect(result.right.registrationCode).toMatch(/^1[0-9]{3}(-[0-9]{4}){5}$/);
    expect(result.right.token.serial).toBe(serial);
    expect(result.right.token.parameters).toEqual(defaultOtpParameters);
    const server = verifyRegistration({ serial, activationCode, registrationCode: result.right.registrationCode });
    if (E.isLeft(server)) throw new Error(server.left._tag);
    expect(Buffer.from(server.right.seed).equals(Buffer.from(result.right.token.seed()))).toBe(true);
  });

  it('uses Web Crypto for the nonce when given no random source', () => {
    const first = activateDevice({ serial, activationCode });
    const second = activateDevice({ serial, activationCode });
    expect(E.isRight(first) && E.isRight(second) && first.right.registrationCode !== second.right.registrationCode).toBe(true);
  });

  it('catches a mistyped serial or activation code before it costs a registration attempt', () => {
    const typoSerial = `${serial.slice(0, 3)}${serial[4]}${serial[3]}${serial.slice(5)}`;
    if (typoSerial !== serial) expect(activateDevice({ serial: typoSerial, activationCode })).toEqual(E.left({ _tag: 'check-digit', field: 'serial' }));
    expect(activateDevice({ serial: 'not a serial!', activationCode })).toEqual(E.left(expect.objectContaining({ _tag: 'malformed', field: 'serial' })));
    const typoCode = `${activationCode.slice(0, 27)}${String((Number(activationCode[27]) + 1) % 10)}`;
    expect(activateDevice({ serial, activationCode: typoCode })).toEqual(E.left({ _tag: 'check-digit', field: 'activationCode' }));
  });

  it('keeps the seed to itself: callers get copies', () => {
    const token = restoreDeviceToken({ serial, seed: new Uint8Array(20).fill(1), parameters: defaultOtpParameters });
    token.seed().fill(0);
    expect(token.seed()).toEqual(new Uint8Array(20).fill(1));
  });
});

describe('the app token', () => {
  const seed = Uint8Array.from({ length: 20 }, (_, index) => index * 7);

  it('shows the TOTP code of a moment, as the server computes it', () => {
    const token = restoreDeviceToken({ serial, seed, parameters: { ...defaultOtpParameters, digits: 8, algorithm: 'SHA256' } });
    const at = Date.UTC(2030, 5, 1);
    expect(token.code(at)).toBe(totp(seed, at, { digits: 8, algorithm: 'SHA256', period: 30 }));
    expect(token.code()).toMatch(/^[0-9]{8}$/);
    expect(token.counter()).toBe(0n);
  });

  it('steps through HOTP counters like a hardware token, and resumes from a stored counter', () => {
    const parameters = { ...defaultOtpParameters, mode: 'hotp' as const };
    const token = restoreDeviceToken({ serial, seed, parameters });
    expect([token.code(), token.code(), token.code()]).toEqual([hotp(seed, 0n), hotp(seed, 1n), hotp(seed, 2n)]);
    expect(token.counter()).toBe(3n);
    expect(restoreDeviceToken({ serial, seed, parameters, counter: 3n }).code()).toBe(hotp(seed, 3n));
  });

  it('exports an otpauth Key URI that reads back to the same token', () => {
    const token = restoreDeviceToken({ serial, seed, parameters: defaultOtpParameters });
    const uri = token.keyUri({ issuer: 'Banco de Occidente', account: 'victorp1' });
    if (E.isLeft(uri)) throw new Error(uri.left._tag);
    expect(uri.right.startsWith('otpauth://totp/')).toBe(true);
    const parsed = parseKeyUri(uri.right);
    expect(E.isRight(parsed) && parsed.right).toMatchObject({ type: 'totp', issuer: 'Banco de Occidente', account: 'victorp1', algorithm: 'SHA1', digits: 6, period: 30, secret: seed });
    const hotpUri = restoreDeviceToken({ serial, seed, parameters: { ...defaultOtpParameters, mode: 'hotp' }, counter: 9n }).keyUri({ account: 'v' });
    expect(E.isRight(hotpUri) && hotpUri.right).toContain('counter=9');
  });
});
