/**
 * The activation payload: what the portal's QR code holds so that the phone app scans the serial
 * and the activation code instead of typing them.
 *
 *   softtoken:1?s=ST8294934037E&a=1234567890123456789012345678&c=5d41402a
 *
 * Version 1 (the path) has the serial `s`, the activation code `a` in canonical form, then, only
 * where they differ from the defaults, the OATH parameters the app needs (`m` mode `totp`/`hotp`,
 * `h` algorithm, `d` digits, `p` period), and last the check `c`: the first four bytes of
 * SHA-256 over everything before `&c=`, in hex. The reader is strict: one spelling per payload,
 * keys in that order, no unknown keys (a later version gets a new number), every field's own check
 * (the serial's MOD 37-2, the code's Damm digit) and the payload check must hold. Described in
 * docs/activation-protocol.md.
 */
import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { isValidSerial } from '../domain/token/serial.js';
import { defaultOtpParameters, type OtpAlgorithm, type OtpParameters } from '../otp/engine.js';
import { parseActivationCode, type ActivationCode } from './activation-code.js';
import { malformed, type ActivationProtocolError } from './errors.js';

/** The payload's scheme. */
export const ACTIVATION_PAYLOAD_SCHEME = 'softtoken';

/** The payload version this library writes and reads. */
export const ACTIVATION_PAYLOAD_VERSION = 1;

/** The longest payload read: a v1 payload has at most about 110 characters. */
export const MAX_ACTIVATION_PAYLOAD_LENGTH = 256;

/** What the phone needs to produce codes: the OATH parameters that travel in the payload. */
export type PayloadOtpParameters = Pick<OtpParameters, 'mode' | 'algorithm' | 'digits' | 'period'>;

/** What an activation payload carries. */
export interface ActivationPayload {
  /** The token's serial, canonical (as the SDK issued it). */
  readonly serial: string;
  /** Canonical (28 digits) or grouped as the portal shows it. */
  readonly activationCode: string;
  /** The parameters of the token (default: TOTP, SHA1, 6 digits, 30 s). */
  readonly otpParameters?: PayloadOtpParameters;
}

/** An activation payload as the phone read it: every field checked, the parameters complete. */
export interface ParsedActivationPayload {
  /** The token's serial, its check character verified. */
  readonly serial: string;
  /** The activation code, canonical, its check digit verified. */
  readonly activationCode: ActivationCode;
  /** Ready for `activateDevice`: the payload's parameters over the defaults. */
  readonly otpParameters: OtpParameters;
}

const ALGORITHMS: readonly OtpAlgorithm[] = ['SHA1', 'SHA256', 'SHA512'];
const KEYS = ['s', 'a', 'm', 'h', 'd', 'p', 'c'] as const;
type Key = (typeof KEYS)[number];
const PREFIX = `${ACTIVATION_PAYLOAD_SCHEME}:${String(ACTIVATION_PAYLOAD_VERSION)}?`;

const checkOf = (body: string): string => bytesToHex(sha256(utf8ToBytes(body)).slice(0, 4));

const parameterPairs = (parameters: PayloadOtpParameters): [Key, string][] => {
  const pairs: [Key, string][] = [];
  if (parameters.mode !== defaultOtpParameters.mode) pairs.push(['m', parameters.mode]);
  if (parameters.algorithm !== defaultOtpParameters.algorithm) pairs.push(['h', parameters.algorithm]);
  if (parameters.digits !== defaultOtpParameters.digits) pairs.push(['d', String(parameters.digits)]);
  if (parameters.period !== defaultOtpParameters.period) pairs.push(['p', String(parameters.period)]);
  return pairs;
};

const validParameters = (parameters: PayloadOtpParameters): boolean =>
  // Called on what a caller or a scan gave: the types say nothing at run time.
  ['totp', 'hotp'].includes(parameters.mode) &&
  ALGORITHMS.includes(parameters.algorithm) &&
  Number.isInteger(parameters.digits) && parameters.digits >= 6 && parameters.digits <= 8 &&
  Number.isInteger(parameters.period) && parameters.period >= 1 && parameters.period <= 3600;

/**
 * Writes the payload of a token's activation: serial, activation code (grouped or not), and its
 * OATH parameters where they are not the defaults. Refuses a serial or a code whose check fails,
 * so a QR code never carries something the phone would refuse.
 */
export const formatActivationPayload = (payload: ActivationPayload): E.Either<ActivationProtocolError, string> => {
  const given: unknown = payload;
  if (typeof given !== 'object' || given === null) return E.left(malformed('payload', 'must be an object with serial and activationCode'));
  const parameters = payload.otpParameters ?? defaultOtpParameters;
  return pipe(
    typeof payload.serial === 'string' && isValidSerial(payload.serial) ? E.right(payload.serial) : E.left<ActivationProtocolError>({ _tag: 'check-digit', field: 'serial' }),
    E.chain((serial) => pipe(parseActivationCode(payload.activationCode), E.map((code) => ({ serial, code })))),
    E.filterOrElse(() => validParameters(parameters), () => malformed('parameters', 'must be OATH parameters: mode, algorithm, digits 6 to 8, period 1 to 3600')),
    E.map(({ serial, code }) => {
      const body = `${PREFIX}${[['s', serial], ['a', code], ...parameterPairs(parameters)].map(([key, value]) => `${key}=${value}`).join('&')}`;
      return `${body}&c=${checkOf(body)}`;
    }),
  );
};

const bad = (detail: string): E.Either<ActivationProtocolError, never> => E.left(malformed('payload', detail));

/** The `key=value` pairs after the `?`, in order; values are restricted to letters and digits, so no decoding is needed. */
const readPairs = (query: string): E.Either<ActivationProtocolError, Map<Key, string>> => {
  const pairs = new Map<Key, string>();
  let lastIndex = -1;
  for (const part of query.split('&')) {
    const match = /^([a-z])=([A-Za-z0-9]{1,64})$/u.exec(part);
    if (match === null) return bad('each field must be key=value with letters and digits');
    const key = match[1] as Key;
    const index = KEYS.indexOf(key);
    if (index < 0) return bad(`has an unknown field "${key}"`);
    if (index <= lastIndex) return bad('has its fields repeated or out of order');
    lastIndex = index;
    pairs.set(key, match[2] ?? '');
  }
  return E.right(pairs);
};

const readParameters = (pairs: ReadonlyMap<Key, string>): E.Either<ActivationProtocolError, OtpParameters> => {
  const mode = pairs.get('m') ?? defaultOtpParameters.mode;
  const algorithm = pairs.get('h') ?? defaultOtpParameters.algorithm;
  const digits = pairs.get('d');
  const period = pairs.get('p');
  const read = {
    mode: mode as OtpParameters['mode'],
    algorithm: algorithm as OtpAlgorithm,
    digits: digits === undefined ? defaultOtpParameters.digits : /^[1-9][0-9]{0,3}$/u.test(digits) ? Number(digits) : Number.NaN,
    period: period === undefined ? defaultOtpParameters.period : /^[1-9][0-9]{0,3}$/u.test(period) ? Number(period) : Number.NaN,
  };
  // A default written out is refused too: one payload, one spelling.
  const spelledOnce = parameterPairs(read).length === [...pairs.keys()].filter((key) => 'mhdp'.includes(key)).length;
  return validParameters(read) && spelledOnce ? E.right({ ...defaultOtpParameters, ...read }) : E.left(malformed('parameters', 'must be OATH parameters: mode, algorithm, digits 6 to 8, period 1 to 3600'));
};

/**
 * Reads a scanned activation payload. Anything but a well-formed v1 payload whose checks hold is
 * a typed error: `unsupported-version` for another version, `check-digit` (field `payload`) when
 * the payload check fails, `check-digit` or `malformed` naming the serial or the code, `malformed`
 * (field `payload`) for the rest. Errors never repeat the input.
 */
export const parseActivationPayload = (scanned: unknown): E.Either<ActivationProtocolError, ParsedActivationPayload> => {
  if (typeof scanned !== 'string') return bad('must be a string');
  if (scanned.length > MAX_ACTIVATION_PAYLOAD_LENGTH) return bad('is too long');
  const head = /^softtoken:([1-9][0-9]{0,3})\?/u.exec(scanned);
  if (head === null) return bad(`must start with ${ACTIVATION_PAYLOAD_SCHEME}:<version>?`);
  const version = Number(head[1]);
  if (version !== ACTIVATION_PAYLOAD_VERSION) return E.left({ _tag: 'unsupported-version', version });
  const checkAt = scanned.lastIndexOf('&c=');
  if (checkAt < 0) return bad('has no check field c');
  return pipe(
    readPairs(scanned.slice(PREFIX.length)),
    E.filterOrElse((pairs) => pairs.has('s') && pairs.has('a') && pairs.has('c'), () => malformed('payload', 'must have the fields s, a and c')),
    E.filterOrElse((pairs) => pairs.get('c') === checkOf(scanned.slice(0, checkAt)), (): ActivationProtocolError => ({ _tag: 'check-digit', field: 'payload' })),
    E.chain((pairs) =>
      pipe(
        E.Do,
        E.bind('serial', () => {
          const serial = pairs.get('s') ?? '';
          return isValidSerial(serial) ? E.right(serial) : E.left<ActivationProtocolError>({ _tag: 'check-digit', field: 'serial' });
        }),
        E.bind('activationCode', () => {
          const code = pairs.get('a') ?? '';
          return /^[0-9]+$/u.test(code) ? parseActivationCode(code) : E.left(malformed('activationCode', 'must contain only digits'));
        }),
        E.bind('otpParameters', () => readParameters(pairs)),
      ),
    ),
  );
};
