import * as t from 'io-ts';
import type { OtpParameters } from '../../otp/engine.js';

/** An integer in [min, max], as an io-ts codec that names the bounds in its error. */
export const intBetween = (min: number, max: number): t.Type<number, number> =>
  new t.Type<number, number, unknown>(
    `integer ${min}..${max}`,
    (input): input is number => typeof input === 'number' && Number.isInteger(input) && input >= min && input <= max,
    (input, context) =>
      typeof input === 'number' && Number.isInteger(input) && input >= min && input <= max
        ? t.success(input)
        : t.failure(input, context, `must be an integer from ${min} to ${max}`),
    t.identity,
  );

/** A non-empty string of at most `max` characters without control characters. */
export const boundedString = (max: number): t.Type<string, string> =>
  new t.Type<string, string, unknown>(
    `string 1..${max}`,
    (input): input is string => typeof input === 'string' && input.length >= 1 && input.length <= max && !hasControl(input),
    (input, context) =>
      typeof input === 'string' && input.length >= 1 && input.length <= max && !hasControl(input)
        ? t.success(input)
        : t.failure(input, context, `must be a string of 1 to ${max} printable characters`),
    t.identity,
  );

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const hasControl = (value: string): boolean => /[\u0000-\u001f\u007f]/.test(value);

/** An ISO-8601 UTC timestamp as `Date.prototype.toISOString` writes it. */
export const IsoTimestamp = new t.Type<string, string, unknown>(
  'IsoTimestamp',
  (input): input is string => typeof input === 'string' && isIsoTimestamp(input),
  (input, context) => (typeof input === 'string' && isIsoTimestamp(input) ? t.success(input) : t.failure(input, context, 'must be an ISO-8601 UTC timestamp')),
  t.identity,
);

const isIsoTimestamp = (value: string): boolean =>
  /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/.test(value) && !Number.isNaN(Date.parse(value));

/** A non-negative integer as a decimal string: how OTP steps and counters (bigints) travel in JSON. */
export const DecimalString = new t.Type<string, string, unknown>(
  'DecimalString',
  (input): input is string => typeof input === 'string' && /^(0|[1-9][0-9]{0,39})$/.test(input),
  (input, context) =>
    typeof input === 'string' && /^(0|[1-9][0-9]{0,39})$/.test(input) ? t.success(input) : t.failure(input, context, 'must be a non-negative decimal integer'),
  t.identity,
);

/** The fields of a token's OATH parameters, with the ranges the OTP engines accept. */
export const otpParametersProps = {
  mode: t.keyof({ totp: null, hotp: null }),
  algorithm: t.keyof({ SHA1: null, SHA256: null, SHA512: null }),
  digits: intBetween(6, 8),
  period: intBetween(1, 3600),
  past: intBetween(0, 100),
  future: intBetween(0, 100),
  lookAhead: intBetween(0, 1000),
};

/** A token's OATH parameters. */
export const OtpParametersCodec: t.Type<OtpParameters, OtpParameters> = t.readonly(t.type(otpParametersProps));

/** A record without the keys whose value is undefined (a JavaScript caller may pass them). */
export const withoutUndefined = <T extends object>(record: T): Partial<T> =>
  Object.fromEntries(Object.entries(record).filter(([, value]) => value !== undefined)) as Partial<T>;

/** Milliseconds since the epoch to the ISO form events carry. */
export const isoOf = (epochMs: number): string => new Date(epochMs).toISOString();
