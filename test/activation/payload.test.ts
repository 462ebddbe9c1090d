import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatActivationPayload } from '../../src/index.js';
import { activateDevice, parseActivationPayload } from '../../src/device/index.js';
import { verifyRegistration } from '../../src/activation/exchange.js';
import { parseActivationCode } from '../../src/activation/activation-code.js';
import { defaultOtpParameters } from '../../src/otp/engine.js';
import { activationCodeArbitrary, parametersArbitrary, serialArbitrary } from './payload-arbitraries.js';

const SERIAL = 'ST8294934037E';
const CODE = '1234567890123456789012345678';
const code = (): string => {
  // The fixed code above with its real check digit.
  const body = CODE.slice(0, 27);
  for (let digit = 0; digit <= 9; digit++) if (E.isRight(parseActivationCode(`${body}${String(digit)}`))) return `${body}${String(digit)}`;
  throw new Error('no check digit');
};

const written = (payload: Parameters<typeof formatActivationPayload>[0]): string => {
  const text = formatActivationPayload(payload);
  if (E.isLeft(text)) throw new Error(`not written: ${JSON.stringify(text.left)}`);
  return text.right;
};

/** A payload with a valid check over whatever body it is given, to reach the checks behind it. */
const withCheck = async (body: string): Promise<string> => {
  const { sha256 } = await import('@noble/hashes/sha2.js');
  const { bytesToHex, utf8ToBytes } = await import('@noble/hashes/utils.js');
  return `${body}&c=${bytesToHex(sha256(utf8ToBytes(body)).slice(0, 4))}`;
};

describe('the activation payload', () => {
  it('is a short URI: version, serial, code and check; the default parameters are left out', () => {
    const text = written({ serial: SERIAL, activationCode: code() });
    expect(text).toMatch(/^softtoken:1\?s=ST8294934037E&a=\d{28}&c=[0-9a-f]{8}$/u);
    expect(text.length).toBeLessThan(80);
  });

  it('round-trips: what the core writes, the device reads back, with the parameters over the defaults', () => {
    fc.assert(
      fc.property(serialArbitrary, activationCodeArbitrary, fc.option(parametersArbitrary, { nil: undefined }), fc.boolean(), (serial, activationCode, otpParameters, grouped) => {
        const shown = grouped ? activationCode.replace(/(\d{4})(?=\d)/gu, '$1-') : activationCode;
        const text = written({ serial, activationCode: shown, ...(otpParameters === undefined ? {} : { otpParameters }) });
        expect(parseActivationPayload(text)).toEqual(E.right({ serial, activationCode, otpParameters: { ...defaultOtpParameters, ...otpParameters } }));
      }),
      { numRuns: 500 },
    );
  });

  it('any single changed character is refused: the payload check or a field check catches it', () => {
    fc.assert(
      fc.property(serialArbitrary, activationCodeArbitrary, parametersArbitrary, fc.nat(), fc.constantFrom(...Array.from('0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ&=?:')), (serial, activationCode, otpParameters, at, replacement) => {
        const text = written({ serial, activationCode, otpParameters });
        const index = at % text.length;
        fc.pre(text[index] !== replacement);
        const changed = `${text.slice(0, index)}${replacement}${text.slice(index + 1)}`;
        expect(E.isLeft(parseActivationPayload(changed))).toBe(true);
      }),
      { numRuns: 1000 },
    );
  });

  it('the phone activates from a scanned payload, and the server accepts its registration code', () => {
    const text = written({ serial: SERIAL, activationCode: code() });
    const scanned = parseActivationPayload(text);
    if (E.isLeft(scanned)) throw new Error(scanned.left._tag);
    const phone = activateDevice({ serial: scanned.right.serial, activationCode: scanned.right.activationCode, parameters: scanned.right.otpParameters });
    if (E.isLeft(phone)) throw new Error(phone.left._tag);
    const server = verifyRegistration({ serial: SERIAL, activationCode: scanned.right.activationCode, registrationCode: phone.right.registrationCode });
    expect(E.isRight(server)).toBe(true);
  });

  it('the core refuses to write a payload the phone would refuse', () => {
    expect(formatActivationPayload({ serial: 'ST8294934037X', activationCode: code() })).toEqual(E.left({ _tag: 'check-digit', field: 'serial' }));
    expect(formatActivationPayload({ serial: SERIAL, activationCode: CODE.replace(/.$/u, (last) => String((Number(last) + 1) % 10)) })).toEqual(E.left({ _tag: 'check-digit', field: 'activationCode' }));
    expect(formatActivationPayload({ serial: SERIAL, activationCode: code(), otpParameters: { mode: 'totp', algorithm: 'SHA1', digits: 9, period: 30 } })).toMatchObject(E.left({ _tag: 'malformed', field: 'parameters' }));
    expect(formatActivationPayload(null as never)).toMatchObject(E.left({ _tag: 'malformed', field: 'payload' }));
  });
});

describe('hostile payloads are refused with typed errors that never repeat them', () => {
  const good = (): string => written({ serial: SERIAL, activationCode: code() });
  const cases: [string, () => Promise<string> | string, object][] = [
    ['not a string', () => 42 as unknown as string, { _tag: 'malformed', field: 'payload' }],
    ['empty', () => '', { _tag: 'malformed', field: 'payload' }],
    ['another scheme', () => good().replace('softtoken:', 'otpauth:'), { _tag: 'malformed', field: 'payload' }],
    ['a later version', () => good().replace('softtoken:1', 'softtoken:2'), { _tag: 'unsupported-version', version: 2 }],
    ['version 1 spelled 0001', () => good().replace('softtoken:1', 'softtoken:0001'), { _tag: 'malformed', field: 'payload' }],
    ['too long', () => `${good()}${'&x=1'.repeat(100)}`, { _tag: 'malformed', field: 'payload' }],
    ['no check', () => good().replace(/&c=.*$/u, ''), { _tag: 'malformed', field: 'payload' }],
    ['a wrong check', () => good().replace(/&c=.{8}$/u, '&c=00000000'), { _tag: 'check-digit', field: 'payload' }],
    ['an unknown field', () => withCheck(`softtoken:1?s=${SERIAL}&a=${code()}&x=1`), { _tag: 'malformed', field: 'payload' }],
    ['a repeated field', () => withCheck(`softtoken:1?s=${SERIAL}&s=${SERIAL}&a=${code()}`), { _tag: 'malformed', field: 'payload' }],
    ['fields out of order', () => withCheck(`softtoken:1?a=${code()}&s=${SERIAL}`), { _tag: 'malformed', field: 'payload' }],
    ['percent-encoding', () => withCheck(`softtoken:1?s=ST%38294934037L&a=${code()}`), { _tag: 'malformed', field: 'payload' }],
    ['a control character', () => withCheck(`softtoken:1?s=${SERIAL}\n&a=${code()}`), { _tag: 'malformed', field: 'payload' }],
    ['no serial', () => withCheck(`softtoken:1?a=${code()}`), { _tag: 'malformed', field: 'payload' }],
    ['a serial whose check fails', () => withCheck(`softtoken:1?s=ST8294934037X&a=${code()}`), { _tag: 'check-digit', field: 'serial' }],
    ['a code whose check fails', () => withCheck(`softtoken:1?s=${SERIAL}&a=${code().slice(0, 27)}${String((Number(code().at(-1)) + 1) % 10)}`), { _tag: 'check-digit', field: 'activationCode' }],
    ['a short code', () => withCheck(`softtoken:1?s=${SERIAL}&a=123`), { _tag: 'malformed', field: 'activationCode' }],
    ['letters in the code', () => withCheck(`softtoken:1?s=${SERIAL}&a=12345678901234567890123456AB`), { _tag: 'malformed', field: 'activationCode' }],
    ['an unknown algorithm', () => withCheck(`softtoken:1?s=${SERIAL}&a=${code()}&h=MD5`), { _tag: 'malformed', field: 'parameters' }],
    ['nine digits', () => withCheck(`softtoken:1?s=${SERIAL}&a=${code()}&d=9`), { _tag: 'malformed', field: 'parameters' }],
    ['a period of zero', () => withCheck(`softtoken:1?s=${SERIAL}&a=${code()}&p=0`), { _tag: 'malformed', field: 'parameters' }],
    ['a default written out', () => withCheck(`softtoken:1?s=${SERIAL}&a=${code()}&d=6`), { _tag: 'malformed', field: 'parameters' }],
  ];
  it.each(cases)('%s', async (_name, make, expected) => {
    const text = await make();
    const result = parseActivationPayload(text);
    expect(result).toMatchObject(E.left(expected));
    if (E.isLeft(result)) expect(JSON.stringify(result.left)).not.toContain(code());
  });
});
