import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as E from 'fp-ts/lib/Either.js';
import { hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { describe, expect, it } from 'vitest';
import type { SdkError } from '../../src/errors/sdk-error.js';
import { readHardwareTokens, type ReadHardwareTokensOptions } from '../../src/hardware-tokens/read.js';
import type { HardwareTokenRecord } from '../../src/hardware-tokens/record.js';
import { boxOfTokens, seedFor, writePskc } from './pskc-writer.js';

// RFC 6030's figures are the test vectors: every one decrypts to the RFC 4226 test key.
const figure = (number: number): string => readFileSync(join(import.meta.dirname, 'rfc6030', `figure${String(number)}.xml`), 'utf8');
const RFC_4226_KEY = utf8ToBytes('12345678901234567890');
const PSK = hexToBytes('12345678901234567890123456789012');

const read = (text: string, options: Partial<ReadHardwareTokensOptions> = {}): E.Either<SdkError, readonly HardwareTokenRecord[]> =>
  readHardwareTokens(text, { format: 'pskc', allowShortSeeds: false, ...options });

const tokens = (text: string, options: Partial<ReadHardwareTokensOptions> = {}): readonly HardwareTokenRecord[] => {
  const result = read(text, options);
  if (E.isLeft(result)) throw new Error(result.left.message);
  return result.right;
};

const refusal = (text: string, options: Partial<ReadHardwareTokensOptions> = {}): string => {
  const result = read(text, options);
  if (E.isRight(result)) throw new Error('the file was accepted');
  expect(result.left._tag).toBe('InvalidCommand');
  return result.left.message;
};

describe('PSKC: the RFC 6030 figures', () => {
  it('Figure 3 (plain, supplementary data): an 8-digit HOTP token at counter 0', () => {
    expect(tokens(figure(3))).toEqual([
      { where: '<KeyPackage> at line 6', serial: '987654321', seed: RFC_4226_KEY, mode: 'hotp', algorithm: 'SHA1', digits: 8, period: 30, counter: 0n },
    ]);
  });

  it('Figure 5 (PIN-protected): the OTP key imports, the device PIN key is not a token', () => {
    expect(tokens(figure(5)).map((token) => [token.serial, token.seed])).toEqual([['987654321', RFC_4226_KEY]]);
  });

  it('Figure 6 (AES-128-CBC under a pre-shared key, HMAC-SHA1 MAC) decrypts with the RFC key', () => {
    expect(tokens(figure(6), { preSharedKey: PSK }).map((token) => [token.serial, token.seed, token.digits])).toEqual([['987654321', RFC_4226_KEY, 8]]);
  });

  it('Figure 7 (PBKDF2 passphrase "qwerty") decrypts', () => {
    expect(tokens(figure(7), { password: 'qwerty' }).map((token) => [token.serial, token.seed])).toEqual([['987654321', RFC_4226_KEY]]);
  });

  it('Figure 9 (digital signature, section 7): the key imports; the signature is not verified', () => {
    expect(tokens(figure(9)).map((token) => [token.serial, token.seed, token.digits])).toEqual([['0755225266', RFC_4226_KEY, 6]]);
  });

  it('Figure 2 (a 4-byte key, no device): refused under 128 bits, imported with the legacy flag under its key Id', () => {
    expect(refusal(figure(2))).toContain('<Secret> at line 11: the seed is shorter than 128 bits');
    expect(tokens(figure(2), { allowShortSeeds: true }).map((token) => [token.serial, token.seed])).toEqual([['12345678', utf8ToBytes('1234')]]);
  });

  it('Figure 10 (bulk provisioning) names the serial its last two packages share', () => {
    expect(refusal(figure(10))).toBe('invalid command: file: <KeyPackage> at line 86: serial 9999999 repeats the token of <KeyPackage> at line 59');
  });
});

describe('PSKC: encrypted files refused, naming the element and never a seed', () => {
  it('a wrong pre-shared key', () => {
    expect(refusal(figure(6), { preSharedKey: hexToBytes('00000000000000000000000000000000') })).toMatch(/<MACKey> at line 12|<Secret> at line/);
  });

  it('no pre-shared key for an encrypted file, and a wrong password', () => {
    expect(refusal(figure(6))).toContain('<EncryptionKey> at line 8: the keys are encrypted with a pre-shared key: give preSharedKey');
    expect(refusal(figure(7), { password: 'azerty' })).toMatch(/<MACKey> at line|<Secret> at line/);
  });

  it('a tampered ValueMAC', () => {
    const tampered = figure(6).replace('Su+NvtQfmvfJzF6bmQiJqoLRExc=', 'Tu+NvtQfmvfJzF6bmQiJqoLRExc=');
    expect(refusal(tampered, { preSharedKey: PSK })).toContain('<Secret> at line 37: the ValueMAC does not match');
  });

  it('a tampered cipher value (the MAC covers it)', () => {
    const tampered = figure(6).replace('AAECAwQFBgcICQoLDA0OD+cIHItlB3Wra1DUpxVvOx2lef1VmNPCMl8jwZqIUqGv', 'AAECAwQFBgcICQoLDA0OD+cIHItlB3Wra1DUpxVvOx2lef1VmNPCMl8jwZqIUqGw');
    expect(refusal(tampered, { preSharedKey: PSK })).toContain('the ValueMAC does not match');
  });

  it('an encrypted value without its MAC', () => {
    const stripped = figure(6).replace(/<ValueMAC>[^<]*<\/ValueMAC>/, '');
    expect(refusal(stripped, { preSharedKey: PSK })).toContain('<Secret> at line 37: has no <ValueMAC>');
  });

  it('asymmetric key transport (a certificate, as RFC 6030 Figure 8) is refused as unsupported', () => {
    const asymmetric = figure(6).replace('<ds:KeyName>Pre-shared-key</ds:KeyName>', '<ds:X509Data><ds:X509Certificate>MIIB</ds:X509Certificate></ds:X509Data>');
    expect(refusal(asymmetric, { preSharedKey: PSK })).toContain('asymmetric key transport (a certificate) is not supported');
  });
});

describe('PSKC: hostile XML refused quickly with a typed error', () => {
  it('entity expansion (billion laughs) and external entities: no DTD at all', () => {
    const laughs = `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]><KeyContainer>&lol3;</KeyContainer>`;
    expect(refusal(laughs)).toContain('a DOCTYPE is not allowed');
    expect(refusal('<?xml version="1.0"?>\n<!DOCTYPE a [<!ENTITY x SYSTEM "file:///etc/passwd">]><a>&x;</a>')).toContain('line 2: a DOCTYPE is not allowed');
  });

  it('deep nesting stops at the depth limit, before the tree is built', () => {
    expect(refusal('<a>'.repeat(500_000))).toBe('invalid command: file: line 1: elements are nested deeper than 32 levels');
  });

  it('a huge file is refused before it is parsed', () => {
    expect(refusal(' '.repeat(32 * 1024 * 1024 + 1))).toContain('is longer than 33554432 characters');
  });

  it('not XML, not PSKC, or another version', () => {
    expect(refusal('serial,seed\n1,2')).toBe('invalid command: file: the file: the file is not well-formed XML');
    expect(refusal('<a/>')).toContain('is not a PSKC KeyContainer');
    expect(refusal('<KeyContainer Version="1.0" xmlns="urn:ietf:params:xml:ns:keyprov:pskc"><KeyPackage>')).toContain('not well-formed XML');
    expect(refusal(figure(3).replace('Version="1.0"', 'Version="2.0"'))).toContain('<KeyContainer> at line 3: Version must be 1.0');
  });

  it('a file of more than 10,000 key packages', () => {
    expect(refusal(writePskc(boxOfTokens(10_001)))).toMatch(/line \d+: holds more than 10000 key packages/);
  });
});

describe('PSKC: parameters', () => {
  it('reads TOTP time steps, HOTP counters and digits', () => {
    const file = writePskc([
      { serial: 'T-1', seed: seedFor(1), mode: 'totp', period: 60, digits: 8 },
      { serial: 'h 2', seed: seedFor(2), mode: 'hotp', counter: 41, digits: 7 },
    ]);
    expect(tokens(file).map(({ serial, mode, period, counter, digits }) => ({ serial, mode, period, counter, digits }))).toEqual([
      { serial: 'T1', mode: 'totp', period: 60, counter: 0n, digits: 8 },
      { serial: 'H2', mode: 'hotp', period: 30, counter: 41n, digits: 7 },
    ]);
  });

  it('refuses 4 or 9 digits and non-decimal responses, naming the element', () => {
    expect(refusal(writePskc([{ serial: 'A1', seed: seedFor(1), digits: 4 }]))).toContain('<ResponseFormat> at line 6: Length must be 6, 7 or 8 digits');
    expect(refusal(figure(3).replace('Encoding="DECIMAL"', 'Encoding="HEXADECIMAL"'))).toContain('only DECIMAL responses are supported');
  });
});

describe('OATH CSV (Microsoft Entra)', () => {
  const header = 'upn,serial number,secret key,time interval,manufacturer,model';
  const csv = (...lines: readonly string[]): string => [header, ...lines].join('\r\n');
  const readCsv = (text: string, allowShortSeeds = false): E.Either<SdkError, readonly HardwareTokenRecord[]> => readHardwareTokens(text, { format: 'oath-csv', allowShortSeeds });

  it('reads TOTP tokens with Base32 keys and their time step', () => {
    const result = readCsv(csv('Helga@contoso.com,1234567,2234567abcdef2234567abcdef,60,Contoso,HardwareKey', '"ana@contoso.com","77-88","GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ",30,"Acme, Inc.",X', ''));
    expect(E.isRight(result) && result.right.map(({ serial, period, mode, digits, seed }) => ({ serial, period, mode, digits, bytes: seed.length }))).toEqual([
      { serial: '1234567', period: 60, mode: 'totp', digits: 6, bytes: 16 },
      { serial: '7788', period: 30, mode: 'totp', digits: 6, bytes: 20 },
    ]);
  });

  it('names the line of every refusal and never the key', () => {
    const key = 'GEZDGNBVGY3TQOJQGEZDGNBVGY3TQOJQ';
    const message = (result: E.Either<SdkError, unknown>): string => (E.isLeft(result) ? result.left.message : 'accepted');
    expect(message(readCsv('serial,key\n1,2'))).toContain('line 1: the header must be');
    expect(message(readCsv(csv(`a,1,${key},30,m,x`, 'b,2,0123456789abcdef0123456789abcdef,30,m,x')))).toBe('invalid command: file: line 3: the secret key is not Base32 (hex keys are not accepted)');
    expect(message(readCsv(csv(`a,1,${key},30,m,x`, `b,1,${key},30,m,x`)))).toBe('invalid command: file: line 3: serial 1 repeats the token of line 2');
    expect(message(readCsv(csv(`a,1,${key},0,m,x`)))).toContain('line 2: the time interval must be');
    expect(message(readCsv(csv(`a,1,${key},30,m`)))).toContain('line 2: has 5 fields');
    expect(message(readCsv(csv('a,1,GEZDGNBVGY3TQOJQ,30,m,x')))).toContain('line 2: the secret key is shorter than 128 bits');
    expect(E.isRight(readCsv(csv('a,1,GEZDGNBVGY3TQOJQ,30,m,x'), true))).toBe(true);
    expect(message(readCsv(csv(`a,"1,${key},30,m,x`)))).toContain('line 2: a quoted field is not closed');
  });
});
