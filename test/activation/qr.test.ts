import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { activationQr, keyUriQr } from '../../src/index.js';
import { parseActivationPayload } from '../../src/device/index.js';
import { renderQr } from '../../src/qr/render.js';
import { defaultOtpParameters } from '../../src/otp/engine.js';
import { activationCodeArbitrary, parametersArbitrary, serialArbitrary } from './payload-arbitraries.js';
import { decodeModules, svgModules, terminalModules } from './qr-pixels.js';

describe('the activation QR code', () => {
  it('decodes back, from the SVG and from the terminal drawing, to the payload, and the phone reads the same token', () => {
    fc.assert(
      fc.property(serialArbitrary, activationCodeArbitrary, parametersArbitrary, (serial, activationCode, otpParameters) => {
        const qr = activationQr({ serial, activationCode, otpParameters });
        if (E.isLeft(qr)) throw new Error(qr.left._tag);
        expect(decodeModules(svgModules(qr.right.svg))).toBe(qr.right.text);
        expect(decodeModules(terminalModules(qr.right.terminal))).toBe(qr.right.text);
        expect(parseActivationPayload(qr.right.text)).toEqual(E.right({ serial, activationCode, otpParameters: { ...defaultOtpParameters, ...otpParameters } }));
      }),
      { numRuns: 100 },
    );
  });

  it('an SVG is a standalone element, a terminal drawing is half blocks only', () => {
    const qr = activationQr({ serial: 'ST8294934037E', activationCode: '1234567890123456789012345678' });
    if (E.isLeft(qr)) throw new Error(JSON.stringify(qr.left));
    expect(qr.right.svg).toMatch(/^<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg" viewBox="0 0 \d+ \d+">.*<\/svg>$/su);
    expect(qr.right.terminal).toMatch(/^[ ▀▄█\n]+$/u);
  });

  it('a payload the phone would refuse is never drawn', () => {
    expect(activationQr({ serial: 'ST8294934037X', activationCode: '1234567890123456789012345678' })).toEqual(E.left({ _tag: 'check-digit', field: 'serial' }));
  });
});

describe('the Key URI QR code (plain TOTP enrolment)', () => {
  it('decodes back to the otpauth:// URI', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 16, maxLength: 64 }), fc.stringMatching(/^[a-z][a-z0-9.]{0,20}@example\.com$/u), (secret, account) => {
        const qr = keyUriQr({ type: 'totp', issuer: 'Banco de Occidente', account, secret });
        if (E.isLeft(qr)) throw new Error(qr.left._tag);
        expect(qr.right.text).toMatch(/^otpauth:\/\/totp\//u);
        expect(decodeModules(svgModules(qr.right.svg))).toBe(qr.right.text);
      }),
      { numRuns: 100 },
    );
  });

  it('an invalid Key URI is the Key URI error, not a drawing', () => {
    expect(keyUriQr({ type: 'totp', account: '', secret: new Uint8Array(0) })).toMatchObject(E.left({ _tag: 'invalid-key-uri' }));
  });
});

describe('drawing a QR code', () => {
  it('refuses an empty or an over-long text, without repeating it', () => {
    expect(renderQr('')).toMatchObject(E.left({ _tag: 'qr-render' }));
    const long = 'x'.repeat(5000);
    const result = renderQr(long);
    expect(result).toMatchObject(E.left({ _tag: 'qr-render' }));
    expect(JSON.stringify(result)).not.toContain('xxxx');
  });
});
