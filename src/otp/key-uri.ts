/**
 * Key URIs (`otpauth://totp/Issuer:account?secret=…&issuer=Issuer&…`), the format of the QR
 * codes authenticator apps scan. Written the way the widest range of apps reads them: issuer in
 * both the label and the `issuer` parameter, algorithm names in upper case, every parameter
 * explicit. Read tolerantly: any case for the scheme, type and algorithm, a literal or
 * percent-encoded colon between issuer and account, optional spaces before the account,
 * padded or spaced Base32, unknown parameters ignored.
 */
import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import { decodeBase32, encodeBase32 } from './base32.js';
import type { OtpAlgorithm } from './engine.js';
import { algorithmOf, integerIn, isCounter, limits, MAX_COUNTER, COUNTER_DETAIL } from './internal/options.js';

/** What a Key URI describes, for either kind of token. */
export interface KeyUriBase {
  /** Who issued the token (the bank), shown by the app; absent when the URI names none. */
  readonly issuer?: string;
  /** Whose token it is, as shown by the app (a user name or an email address). */
  readonly account: string;
  /** The seed. */
  readonly secret: Uint8Array;
  readonly algorithm: OtpAlgorithm;
  /** 6, 7 or 8. */
  readonly digits: number;
}

/** A time-based token's Key URI. */
export interface TotpKeyUri extends KeyUriBase {
  readonly type: 'totp';
  /** Seconds per time step. */
  readonly period: number;
}

/** A counter-based token's Key URI. */
export interface HotpKeyUri extends KeyUriBase {
  readonly type: 'hotp';
  /** The counter of the token's next code. */
  readonly counter: bigint;
}

/** The content of an `otpauth://` Key URI. */
export type KeyUri = TotpKeyUri | HotpKeyUri;

/** What `formatKeyUri` takes: a `KeyUri` whose algorithm, digits, period and counter may be left to their defaults. */
export type KeyUriInput =
  | (Omit<TotpKeyUri, 'algorithm' | 'digits' | 'period'> & {
      readonly algorithm?: OtpAlgorithm;
      readonly digits?: number;
      readonly period?: number;
    })
  | (Omit<HotpKeyUri, 'algorithm' | 'digits' | 'counter'> & {
      readonly algorithm?: OtpAlgorithm;
      readonly digits?: number;
      readonly counter?: bigint | number;
    });

/** Why a Key URI cannot be written or read: the part at fault and what is wrong with it (never the secret). */
export interface KeyUriError {
  readonly _tag: 'invalid-key-uri';
  /** `uri`, `type`, `label`, `account`, `issuer`, `secret`, `algorithm`, `digits`, `period` or `counter`. */
  readonly field: string;
  readonly detail: string;
}

/** Longer texts are refused before any parsing: a QR code holds less than this anyway. */
export const MAX_KEY_URI_LENGTH = 4096;

const invalid = (field: string, detail: string): Either<KeyUriError, never> => left({ _tag: 'invalid-key-uri', field, detail });

/** encodeURIComponent without its exception (a lone surrogate): undefined instead. */
const encode = (text: string): string | undefined => {
  try {
    return encodeURIComponent(text);
  } catch {
    return undefined;
  }
};

/** decodeURIComponent without its exception (a malformed escape): undefined instead. */
const decode = (text: string): string | undefined => {
  try {
    return decodeURIComponent(text);
  } catch {
    return undefined;
  }
};

const isNonEmptyString = (value: unknown): value is string => typeof value === 'string' && value.length > 0;

/**
 * The Key URI of a token, e.g.
 * `otpauth://totp/ACME%20Bank:alice?secret=…&issuer=ACME%20Bank&algorithm=SHA1&digits=6&period=30`.
 * Defaults: SHA1, 6 digits, 30 s, counter 0. Refuses (with the field at fault) an empty
 * account or issuer, an empty seed, out-of-range parameters, text that cannot be encoded, an
 * account starting with a space after an issuer, and an account holding a colon without an
 * issuer: apps would read those back differently.
 */
export const formatKeyUri = (input: KeyUriInput): Either<KeyUriError, string> => {
  const fields = input as unknown as Readonly<Record<string, unknown>> | null | undefined;
  if (typeof fields !== 'object' || fields === null) return invalid('uri', 'the input must be an object');
  const { type, issuer, account, secret } = fields;
  if (type !== 'totp' && type !== 'hotp') return invalid('type', "type must be 'totp' or 'hotp'");
  if (!isNonEmptyString(account)) return invalid('account', 'account must be a non-empty string');
  if (issuer !== undefined && !isNonEmptyString(issuer)) return invalid('issuer', 'issuer must be a non-empty string when given');
  if (issuer !== undefined && account.startsWith(' ')) return invalid('account', 'account must not start with a space');
  if (issuer === undefined && account.includes(':')) return invalid('account', 'an account holding a colon needs an issuer');
  if (!(secret instanceof Uint8Array) || secret.length === 0) return invalid('secret', 'secret must be a non-empty Uint8Array');
  const algorithm = algorithmOf(fields.algorithm);
  if (algorithm === undefined) return invalid('algorithm', 'algorithm must be SHA1, SHA256 or SHA512');
  const digits = integerIn(fields.digits, 6, limits.digits.min, limits.digits.max);
  if (Number.isNaN(digits)) return invalid('digits', limits.digits.detail);

  const encodedAccount = encode(account);
  if (encodedAccount === undefined) return invalid('account', 'account is not well-formed Unicode');
  const encodedIssuer = issuer === undefined ? undefined : encode(issuer);
  if (issuer !== undefined && encodedIssuer === undefined) return invalid('issuer', 'issuer is not well-formed Unicode');
  const label = encodedIssuer === undefined ? encodedAccount : `${encodedIssuer}:${encodedAccount}`;
  const common = `secret=${encodeBase32(secret)}${encodedIssuer === undefined ? '' : `&issuer=${encodedIssuer}`}&algorithm=${algorithm}&digits=${digits}`;

  if (type === 'totp') {
    const period = integerIn(fields.period, 30, limits.period.min, limits.period.max);
    if (Number.isNaN(period)) return invalid('period', limits.period.detail);
    return right(`otpauth://totp/${label}?${common}&period=${period}`);
  }
  const counter = fields.counter ?? 0;
  if (!isCounter(counter)) return invalid('counter', `counter ${COUNTER_DETAIL}`);
  return right(`otpauth://hotp/${label}?${common}&counter=${counter.toString()}`);
};

const SCHEME = 'otpauth://';
const DECIMAL = /^[0-9]+$/;

const KNOWN_PARAMETERS = new Set(['secret', 'issuer', 'algorithm', 'digits', 'period', 'counter']);

/** The query's parameters, decoded ('+' is a space, as in forms), or why they cannot be. */
const parametersOf = (query: string): Map<string, string> | string => {
  const parameters = new Map<string, string>();
  if (query === '') return parameters;
  for (const part of query.split('&')) {
    if (part === '') continue;
    const equals = part.indexOf('=');
    const name = decode((equals < 0 ? part : part.slice(0, equals)).replaceAll('+', ' '));
    const value = decode((equals < 0 ? '' : part.slice(equals + 1)).replaceAll('+', ' '));
    if (name === undefined || value === undefined) return 'a parameter has a malformed percent-escape';
    // Two values for one name would let whoever built the URI show one thing and mean another.
    if (parameters.has(name)) return `${KNOWN_PARAMETERS.has(name) ? `parameter ${name}` : 'a parameter'} appears more than once`;
    parameters.set(name, value);
  }
  return parameters;
};

/**
 * Reads an `otpauth://totp/…` or `otpauth://hotp/…` Key URI. Never throws; a malformed URI
 * gives a `KeyUriError` naming the part at fault. `secret` is required, and `counter` for HOTP;
 * the rest default to SHA1, 6 digits and 30 s. When the label and the `issuer` parameter both
 * name an issuer they must agree.
 */
export const parseKeyUri = (uri: string): Either<KeyUriError, KeyUri> => {
  const text: unknown = uri;
  if (typeof text !== 'string') return invalid('uri', 'the Key URI must be a string');
  if (text.length > MAX_KEY_URI_LENGTH) return invalid('uri', `the Key URI is longer than ${MAX_KEY_URI_LENGTH} characters`);
  if (text.slice(0, SCHEME.length).toLowerCase() !== SCHEME) return invalid('uri', 'the Key URI must start with otpauth://');
  const fragment = text.indexOf('#');
  const withoutFragment = text.slice(SCHEME.length, fragment < 0 ? undefined : fragment);
  const slash = withoutFragment.indexOf('/');
  if (slash < 0) return invalid('label', 'the Key URI has no label');
  const type = withoutFragment.slice(0, slash).toLowerCase();
  if (type !== 'totp' && type !== 'hotp') return invalid('type', 'the type must be totp or hotp');
  const question = withoutFragment.indexOf('?', slash);
  const rawLabel = withoutFragment.slice(slash + 1, question < 0 ? undefined : question);
  const parameters = parametersOf(question < 0 ? '' : withoutFragment.slice(question + 1));
  if (typeof parameters === 'string') return invalid('uri', parameters);

  // The label: "issuer:account" or "account", the colon literal or encoded.
  const label = decode(rawLabel);
  if (label === undefined) return invalid('label', 'the label has a malformed percent-escape');
  const issuerParameter = parameters.get('issuer') || undefined;
  let labelIssuer: string | undefined;
  let account: string;
  const literalColon = rawLabel.indexOf(':');
  if (issuerParameter !== undefined && label.startsWith(`${issuerParameter}:`)) {
    labelIssuer = issuerParameter;
    account = label.slice(issuerParameter.length + 1);
  } else if (literalColon >= 0) {
    // A literal colon never sits inside a percent-escape, so the part before it decodes (the
    // whole label did) and the decoded label is that part, a colon, and the account.
    const issuerPart = decode(rawLabel.slice(0, literalColon)) as string;
    labelIssuer = issuerPart;
    account = label.slice(issuerPart.length + 1);
  } else {
    const colon = label.indexOf(':');
    labelIssuer = colon < 0 ? undefined : label.slice(0, colon);
    account = colon < 0 ? label : label.slice(colon + 1);
  }
  if (labelIssuer !== undefined) account = account.replace(/^ +/, '');
  if (labelIssuer === '') labelIssuer = undefined;
  if (account === '') return invalid('account', 'the label names no account');
  if (labelIssuer !== undefined && issuerParameter !== undefined && labelIssuer !== issuerParameter) {
    return invalid('issuer', 'the label and the issuer parameter name different issuers');
  }
  const issuer = issuerParameter ?? labelIssuer;

  const encodedSecret = parameters.get('secret');
  if (encodedSecret === undefined) return invalid('secret', 'the secret parameter is missing');
  const secret = decodeBase32(encodedSecret);
  if (secret._tag === 'Left') return invalid('secret', 'the secret is not Base32');
  if (secret.right.length === 0) return invalid('secret', 'the secret is empty');

  const algorithm = algorithmOf(parameters.get('algorithm')?.toUpperCase());
  if (algorithm === undefined) return invalid('algorithm', 'algorithm must be SHA1, SHA256 or SHA512');
  const digitsText = parameters.get('digits');
  const digits = digitsText === undefined ? 6 : DECIMAL.test(digitsText) ? Number(digitsText) : Number.NaN;
  if (!(digits >= limits.digits.min && digits <= limits.digits.max)) return invalid('digits', limits.digits.detail);

  const common = { ...(issuer === undefined ? {} : { issuer }), account, secret: secret.right, algorithm, digits };
  if (type === 'totp') {
    const periodText = parameters.get('period');
    const period = periodText === undefined ? 30 : DECIMAL.test(periodText) ? Number(periodText) : Number.NaN;
    if (!(period >= limits.period.min && period <= limits.period.max)) return invalid('period', limits.period.detail);
    return right({ type, ...common, period });
  }
  const counterText = parameters.get('counter');
  if (counterText === undefined) return invalid('counter', 'the counter parameter is required for HOTP');
  if (!DECIMAL.test(counterText) || counterText.length > 20 || BigInt(counterText) > MAX_COUNTER) {
    return invalid('counter', `counter ${COUNTER_DETAIL}`);
  }
  return right({ type, ...common, counter: BigInt(counterText) });
};
