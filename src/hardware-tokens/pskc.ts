import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Element } from '@xmldom/xmldom';
import type { SdkError } from '../errors/sdk-error.js';
import type { OtpAlgorithm } from '../otp/engine.js';
import { fileError } from './file-error.js';
import { decodeBase64, decryptCbc, derivePbkdf2, isSupportedCipher, isSupportedMac, macMatches } from './pskc-crypto.js';
import { hardwareImportLimits, type HardwareTokenRecord } from './record.js';
import { parseUntrustedXml } from './safe-xml.js';

// RFC 6030 (PSKC): a KeyContainer of KeyPackages, each a device (serial) and its key. Supported:
// plain keys; keys encrypted with a pre-shared key (ds:KeyName) or a PBKDF2 password-derived key
// (xenc11:DerivedKey), AES-CBC, with the HMAC of RFC 6030 section 6.1.1 checked on every encrypted
// value; HOTP and TOTP keys. Not supported (refused): asymmetric key transport (ds:X509Data),
// encrypted counters. A ds:Signature is not verified (see docs/hardware-tokens.md).

const PSKC = 'urn:ietf:params:xml:ns:keyprov:pskc';
const DS = 'http://www.w3.org/2000/09/xmldsig#';
const XENC = 'http://www.w3.org/2001/04/xmlenc#';
const XENC11 = 'http://www.w3.org/2009/xmlenc11#';
const PKCS5 = 'http://www.rsasecurity.com/rsalabs/pkcs/schemas/pkcs-5v2-0#';

const ALGORITHMS: ReadonlyMap<string, 'hotp' | 'totp' | 'pin'> = new Map([
  [`${PSKC}:hotp`, 'hotp'],
  [`${PSKC}#hotp`, 'hotp'],
  [`${PSKC}:totp`, 'totp'],
  [`${PSKC}#totp`, 'totp'],
  [`${PSKC}:pin`, 'pin'],
  [`${PSKC}#pin`, 'pin'],
]);

const SUITES: ReadonlyMap<string, OtpAlgorithm> = new Map([
  ['HMAC-SHA1', 'SHA1'],
  ['HMAC-SHA256', 'SHA256'],
  ['HMAC-SHA512', 'SHA512'],
]);

/** What reading a PSKC file needs besides the file: the transport key or password, and the seed rule. */
export interface PskcOptions {
  /** The pre-shared key of a file whose EncryptionKey names one (ds:KeyName). */
  readonly preSharedKey?: Uint8Array;
  /** The password of a file whose EncryptionKey is PBKDF2-derived. */
  readonly password?: string;
  /** Seeds under 128 bits are accepted (legacy tokens). */
  readonly allowShortSeeds: boolean;
}

/** How the file's encrypted values are opened: the key, and the key of their MACs. */
interface Keys {
  readonly encryption: Uint8Array;
  readonly mac: { readonly algorithm: string; readonly key: Uint8Array };
}

const at = (element: Element): string => `<${element.localName ?? element.nodeName}> at line ${String(element.lineNumber ?? 0)}`;

const childElements = (element: Element): readonly Element[] => {
  const found: Element[] = [];
  for (let node = element.firstChild; node !== null; node = node.nextSibling) if (node.nodeType === 1) found.push(node as Element);
  return found;
};

/** The first child element of that namespace and local name (`undefined` namespace: any). */
const childOf = (element: Element, namespace: string | undefined, name: string): Element | undefined =>
  childElements(element).find((child) => child.localName === name && (namespace === undefined || child.namespaceURI === namespace));

const required = (element: Element, namespace: string | undefined, name: string): E.Either<SdkError, Element> => {
  const child = childOf(element, namespace, name);
  return child === undefined ? E.left(fileError(at(element), `has no <${name}>`)) : E.right(child);
};

const textOf = (element: Element): string => (element.textContent ?? '').trim();

const base64Of = (element: Element): E.Either<SdkError, Uint8Array> => {
  const bytes = decodeBase64(textOf(element));
  return bytes === undefined ? E.left(fileError(at(element), 'is not Base64')) : E.right(bytes);
};

const integerOf = (element: Element, min: number, max: number): E.Either<SdkError, number> => {
  const text = textOf(element);
  const value = /^\d{1,15}$/.test(text) ? Number(text) : Number.NaN;
  return Number.isSafeInteger(value) && value >= min && value <= max
    ? E.right(value)
    : E.left(fileError(at(element), `must be a whole number from ${String(min)} to ${String(max)}`));
};

/** An xenc EncryptedValue or MACKey: its algorithm and cipher value, decrypted with `key`. */
const decrypted = (element: Element, key: Uint8Array): E.Either<SdkError, Uint8Array> =>
  pipe(
    E.Do,
    E.bind('method', () => required(element, XENC, 'EncryptionMethod')),
    E.bind('cipherValue', () =>
      pipe(
        required(element, XENC, 'CipherData'),
        E.chain((data) => required(data, XENC, 'CipherValue')),
        E.chain(base64Of),
      ),
    ),
    E.chain(({ method, cipherValue }) => {
      const algorithm = method.getAttribute('Algorithm') ?? '';
      if (!isSupportedCipher(algorithm)) return E.left(fileError(at(method), 'the encryption algorithm is not AES-128/192/256-CBC'));
      return pipe(
        decryptCbc(algorithm, key, cipherValue),
        E.mapLeft((reason) => fileError(at(element), reason)),
      );
    }),
  );

/** The cipher value's bytes, which the MAC covers (RFC 6030 section 6.1.1). */
const cipherValueOf = (element: Element): E.Either<SdkError, Uint8Array> =>
  pipe(
    required(element, XENC, 'CipherData'),
    E.chain((data) => required(data, XENC, 'CipherValue')),
    E.chain(base64Of),
  );

const pbkdf2Key = (derived: Element, password: string | undefined): E.Either<SdkError, Uint8Array> => {
  if (password === undefined) return E.left(fileError(at(derived), 'the keys are encrypted with a password-derived key: give the password'));
  return pipe(
    E.Do,
    E.bind('method', () => required(derived, XENC11, 'KeyDerivationMethod')),
    E.chainFirst(({ method }) =>
      method.getAttribute('Algorithm') === `${PKCS5}pbkdf2` ? E.right(undefined) : E.left(fileError(at(method), 'the key derivation is not PBKDF2')),
    ),
    E.bind('params', ({ method }) => required(method, PKCS5, 'PBKDF2-params')),
    E.bind('salt', ({ params }) =>
      pipe(
        required(params, undefined, 'Salt'),
        E.chain((salt) => required(salt, undefined, 'Specified')),
        E.chain(base64Of),
      ),
    ),
    E.bind('iterations', ({ params }) => pipe(required(params, undefined, 'IterationCount'), E.chain((count) => integerOf(count, 1, hardwareImportLimits.maxPbkdf2Iterations)))),
    E.bind('keyLength', ({ params }) => pipe(required(params, undefined, 'KeyLength'), E.chain((length) => integerOf(length, 16, 32)))),
    E.chain(({ params, salt, iterations, keyLength }) => {
      const prf = childOf(params, undefined, 'PRF')?.getAttribute('Algorithm') ?? undefined;
      return pipe(
        derivePbkdf2(password, { salt, iterations, keyLength, prf: prf === '' ? undefined : prf }),
        E.mapLeft((reason) => fileError(at(params), reason)),
      );
    }),
  );
};

/** The container's encryption key: none (plain file), the pre-shared key, or a PBKDF2 key. */
const encryptionKeyOf = (container: Element, options: PskcOptions): E.Either<SdkError, Uint8Array | undefined> => {
  const encryptionKey = childOf(container, PSKC, 'EncryptionKey');
  if (encryptionKey === undefined) return E.right(undefined);
  if (childOf(encryptionKey, DS, 'X509Data') !== undefined) {
    return E.left(fileError(at(encryptionKey), 'asymmetric key transport (a certificate) is not supported: ask for a pre-shared-key or password file'));
  }
  const derived = childOf(encryptionKey, XENC11, 'DerivedKey');
  if (derived !== undefined) return pbkdf2Key(derived, options.password);
  if (childOf(encryptionKey, DS, 'KeyName') === undefined) return E.left(fileError(at(encryptionKey), 'names no pre-shared key (ds:KeyName) nor a derived key'));
  if (options.preSharedKey === undefined) return E.left(fileError(at(encryptionKey), 'the keys are encrypted with a pre-shared key: give preSharedKey'));
  return E.right(options.preSharedKey);
};

/** The MAC key of RFC 6030 section 6.1.1: in MACMethod/MACKey, encrypted with the encryption key. */
const macKeyOf = (container: Element, encryption: Uint8Array): E.Either<SdkError, Keys['mac']> =>
  pipe(
    required(container, PSKC, 'MACMethod'),
    E.chain((method) => {
      const algorithm = method.getAttribute('Algorithm') ?? '';
      if (!isSupportedMac(algorithm)) return E.left(fileError(at(method), 'the MAC algorithm is not HMAC-SHA1/256/512'));
      return pipe(
        required(method, PSKC, 'MACKey'),
        E.chain((macKey) => decrypted(macKey, encryption)),
        E.map((key) => ({ algorithm, key })),
      );
    }),
  );

const keysOf = (container: Element, options: PskcOptions): E.Either<SdkError, Keys | undefined> =>
  pipe(
    encryptionKeyOf(container, options),
    E.chain((encryption) =>
      encryption === undefined
        ? E.right(undefined)
        : pipe(
            macKeyOf(container, encryption),
            E.map((mac) => ({ encryption, mac })),
          ),
    ),
  );

/** The seed of a Secret: a PlainValue, or an EncryptedValue whose ValueMAC matches, decrypted. */
const seedOf = (secret: Element, keys: Keys | undefined): E.Either<SdkError, Uint8Array> => {
  const plain = childOf(secret, PSKC, 'PlainValue');
  if (plain !== undefined) return base64Of(plain);
  const encrypted = childOf(secret, PSKC, 'EncryptedValue');
  if (encrypted === undefined) return E.left(fileError(at(secret), 'has neither <PlainValue> nor <EncryptedValue>'));
  if (keys === undefined) return E.left(fileError(at(encrypted), 'is encrypted but the file has no <EncryptionKey>'));
  return pipe(
    E.Do,
    E.bind('valueMac', () => pipe(required(secret, PSKC, 'ValueMAC'), E.chain(base64Of))),
    E.bind('cipherValue', () => cipherValueOf(encrypted)),
    E.chain(({ valueMac, cipherValue }) =>
      macMatches(keys.mac.algorithm, keys.mac.key, cipherValue, valueMac)
        ? decrypted(encrypted, keys.encryption)
        : E.left(fileError(at(secret), 'the ValueMAC does not match: the value was altered, or the pre-shared key or password is wrong')),
    ),
  );
};

const seedWithinLimits = (secret: Element, seed: Uint8Array, options: PskcOptions): E.Either<SdkError, Uint8Array> => {
  if (seed.length === 0 || seed.length > hardwareImportLimits.maxSeedBytes) {
    return E.left(fileError(at(secret), `the seed must be 1 to ${String(hardwareImportLimits.maxSeedBytes)} bytes`));
  }
  if (seed.length < hardwareImportLimits.minSeedBytes && !options.allowShortSeeds) {
    return E.left(fileError(at(secret), 'the seed is shorter than 128 bits; legacy seeds need legacyShortSeeds and an SDK configured to allow them'));
  }
  return E.right(seed);
};

/** A plain integer data field (Counter, TimeInterval, Time); encrypted ones are refused. */
const plainIntegerOf = (data: Element, name: string, min: number, max: number): E.Either<SdkError, number | undefined> => {
  const field = childOf(data, PSKC, name);
  if (field === undefined) return E.right(undefined);
  const plain = childOf(field, PSKC, 'PlainValue');
  return plain === undefined ? E.left(fileError(at(field), 'only a <PlainValue> is supported here')) : integerOf(plain, min, max);
};

interface ResponseFormat {
  readonly digits: number;
  readonly algorithm: OtpAlgorithm;
}

const responseFormatOf = (key: Element): E.Either<SdkError, ResponseFormat> => {
  const parameters = childOf(key, PSKC, 'AlgorithmParameters');
  if (parameters === undefined) return E.right({ digits: 6, algorithm: 'SHA1' });
  const suite = childOf(parameters, PSKC, 'Suite');
  const algorithm = suite === undefined ? 'SHA1' : SUITES.get(textOf(suite).toUpperCase());
  if (algorithm === undefined) return E.left(fileError(suite === undefined ? at(parameters) : at(suite), 'the suite is not HMAC-SHA1/256/512'));
  const format = childOf(parameters, PSKC, 'ResponseFormat');
  if (format === undefined) return E.right({ digits: 6, algorithm });
  const encoding = format.getAttribute('Encoding') ?? 'DECIMAL';
  const length = Number(format.getAttribute('Length') ?? '');
  if (encoding !== 'DECIMAL') return E.left(fileError(at(format), 'only DECIMAL responses are supported'));
  if (!Number.isInteger(length) || length < 6 || length > 8) return E.left(fileError(at(format), 'Length must be 6, 7 or 8 digits'));
  return E.right({ digits: length, algorithm });
};

/** The device's serial number; a package without one (RFC 6030 Figure 2) is named by its key's Id. */
const serialOf = (keyPackage: Element, key: Element): E.Either<SdkError, string> => {
  const device = childOf(keyPackage, PSKC, 'DeviceInfo');
  const serialNo = device === undefined ? undefined : childOf(device, PSKC, 'SerialNo');
  const serial = serialNo === undefined ? (key.getAttribute('Id') ?? '') : textOf(serialNo);
  return serial === '' ? E.left(fileError(at(keyPackage), 'has no <DeviceInfo><SerialNo> and its key no Id')) : E.right(serial);
};

/** One KeyPackage as a token, or undefined for a device PIN key (it is not an OTP seed). */
const tokenOf = (keyPackage: Element, keys: Keys | undefined, options: PskcOptions): E.Either<SdkError, HardwareTokenRecord | undefined> =>
  pipe(
    E.Do,
    E.bind('key', () => required(keyPackage, PSKC, 'Key')),
    E.bind('mode', ({ key }) => {
      const mode = ALGORITHMS.get(key.getAttribute('Algorithm') ?? '');
      return mode === undefined ? E.left(fileError(at(key), 'the key algorithm is not HOTP or TOTP')) : E.right(mode);
    }),
    E.chain(({ key, mode }) =>
      mode === 'pin'
        ? E.right(undefined)
        : pipe(
            E.Do,
            E.bind('serial', () => serialOf(keyPackage, key)),
            E.bind('format', () => responseFormatOf(key)),
            E.bind('data', () => required(key, PSKC, 'Data')),
            E.bind('seed', ({ data }) =>
              pipe(
                required(data, PSKC, 'Secret'),
                E.chain((secret) => pipe(seedOf(secret, keys), E.chain((seed) => seedWithinLimits(secret, seed, options)))),
              ),
            ),
            E.bind('counter', ({ data }) => plainIntegerOf(data, 'Counter', 0, Number.MAX_SAFE_INTEGER)),
            E.bind('period', ({ data }) => plainIntegerOf(data, 'TimeInterval', 1, 3600)),
            E.bind('origin', ({ data }) => plainIntegerOf(data, 'Time', 0, 0)),
            E.map(({ serial, format, seed, counter, period }): HardwareTokenRecord => ({
              where: at(keyPackage),
              serial,
              seed,
              mode,
              algorithm: format.algorithm,
              digits: format.digits,
              period: period ?? 30,
              counter: BigInt(counter ?? 0),
            })),
          ),
    ),
  );

const tooManyPackages = `holds more than ${String(hardwareImportLimits.maxTokens)} key packages: split the file`;

/**
 * The tokens of a PSKC file (RFC 6030), all or nothing: the first problem is the answer, naming
 * the element and its line, never a value read from the file.
 */
export const parsePskc = (text: string, options: PskcOptions): E.Either<SdkError, readonly HardwareTokenRecord[]> =>
  pipe(
    parseUntrustedXml(text, { localName: 'KeyPackage', max: hardwareImportLimits.maxTokens, refusal: tooManyPackages }),
    E.chain((document) => {
      const container = document.documentElement;
      if (container?.localName !== 'KeyContainer' || container.namespaceURI !== PSKC) {
        return E.left(fileError('the file', 'is not a PSKC KeyContainer (urn:ietf:params:xml:ns:keyprov:pskc)'));
      }
      if (container.getAttribute('Version') !== '1.0') return E.left(fileError(at(container), 'Version must be 1.0'));
      const packages = childElements(container).filter((child) => child.localName === 'KeyPackage' && child.namespaceURI === PSKC);
      if (packages.length > hardwareImportLimits.maxTokens) {
        return E.left(fileError(at(container), tooManyPackages));
      }
      return pipe(
        keysOf(container, options),
        E.chain((keys) => E.traverseArray((keyPackage: Element) => tokenOf(keyPackage, keys, options))(packages)),
        E.map((tokens) => tokens.filter((token): token is HardwareTokenRecord => token !== undefined)),
      );
    }),
  );
