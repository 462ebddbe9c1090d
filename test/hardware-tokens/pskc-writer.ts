import { cbc } from '@noble/ciphers/aes.js';
import { hmac } from '@noble/hashes/hmac.js';
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

// Writes PSKC files (RFC 6030) for tests and the bench: plain, or AES-128-CBC under a pre-shared
// key with the HMAC-SHA1 ValueMAC of section 6.1.1. Deterministic: IVs and seeds come from a label.

/** A token to write. */
export interface WrittenToken {
  readonly serial: string;
  readonly seed: Uint8Array;
  readonly mode?: 'hotp' | 'totp';
  readonly digits?: number;
  readonly counter?: number;
  readonly period?: number;
}

const bytes = (label: string, length: number): Uint8Array => sha256(utf8ToBytes(label)).slice(0, length);
const base64 = (data: Uint8Array): string => btoa(String.fromCharCode(...data));

/** A deterministic seed of `length` bytes for token number `index`. */
export const seedFor = (index: number, length = 20): Uint8Array => {
  const out = new Uint8Array(length);
  for (let offset = 0; offset < length; offset += 32) out.set(bytes(`seed-${String(index)}-${String(offset)}`, Math.min(32, length - offset)), offset);
  return out;
};

const encrypt = (key: Uint8Array, plain: Uint8Array, label: string): Uint8Array => {
  const iv = bytes(`iv-${label}`, 16);
  const cipherText = cbc(key, iv).encrypt(plain);
  const value = new Uint8Array(iv.length + cipherText.length);
  value.set(iv);
  value.set(cipherText, iv.length);
  return value;
};

const cipherValue = (value: Uint8Array): string =>
  `<xenc:EncryptionMethod Algorithm="http://www.w3.org/2001/04/xmlenc#aes128-cbc"/><xenc:CipherData><xenc:CipherValue>${base64(value)}</xenc:CipherValue></xenc:CipherData>`;

/** A PSKC file of these tokens; with `preSharedKey`, every seed is encrypted and MACed. */
export const writePskc = (tokens: readonly WrittenToken[], options: { readonly preSharedKey?: Uint8Array; readonly macKey?: Uint8Array } = {}): string => {
  const { preSharedKey } = options;
  const macKey = options.macKey ?? bytes('mac-key', 20);
  const head = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<KeyContainer Version="1.0" xmlns="urn:ietf:params:xml:ns:keyprov:pskc" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:xenc="http://www.w3.org/2001/04/xmlenc#">',
  ];
  if (preSharedKey !== undefined) {
    head.push('<EncryptionKey><ds:KeyName>Pre-shared-key</ds:KeyName></EncryptionKey>');
    head.push(`<MACMethod Algorithm="http://www.w3.org/2000/09/xmldsig#hmac-sha1"><MACKey>${cipherValue(encrypt(preSharedKey, macKey, 'mac'))}</MACKey></MACMethod>`);
  }
  const packages = tokens.map((token, index) => {
    const mode = token.mode ?? 'hotp';
    let secret: string;
    if (preSharedKey === undefined) secret = `<PlainValue>${base64(token.seed)}</PlainValue>`;
    else {
      const value = encrypt(preSharedKey, token.seed, `${String(index)}-${bytesToHex(token.seed).slice(0, 8)}`);
      secret = `<EncryptedValue>${cipherValue(value)}</EncryptedValue><ValueMAC>${base64(hmac(sha1, macKey, value))}</ValueMAC>`;
    }
    const data = [
      `<Secret>${secret}</Secret>`,
      mode === 'hotp' ? `<Counter><PlainValue>${String(token.counter ?? 0)}</PlainValue></Counter>` : `<TimeInterval><PlainValue>${String(token.period ?? 30)}</PlainValue></TimeInterval>`,
    ].join('');
    return [
      '<KeyPackage>',
      `<DeviceInfo><Manufacturer>Acme</Manufacturer><SerialNo>${token.serial}</SerialNo></DeviceInfo>`,
      `<Key Id="${String(index + 1)}" Algorithm="urn:ietf:params:xml:ns:keyprov:pskc:${mode}">`,
      `<AlgorithmParameters><ResponseFormat Length="${String(token.digits ?? 6)}" Encoding="DECIMAL"/></AlgorithmParameters>`,
      `<Data>${data}</Data>`,
      '</Key>',
      '</KeyPackage>',
    ].join('\n');
  });
  return [...head, ...packages, '</KeyContainer>', ''].join('\n');
};

/** `count` tokens with serials `HW000001`... and deterministic seeds. */
export const boxOfTokens = (count: number, prefix = 'HW'): readonly WrittenToken[] =>
  Array.from({ length: count }, (_, index) => ({ serial: `${prefix}${String(index + 1).padStart(6, '0')}`, seed: seedFor(index) }));
