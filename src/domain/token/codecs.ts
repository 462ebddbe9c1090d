import * as t from 'io-ts';
import type { OtpParameters } from '../../otp/engine.js';
import { intBetween } from '../../events/codecs.js';
import { tokenStatuses, type TokenStatus } from './status.js';

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

/** A token's lifecycle status, as read models store it. */
export const TokenStatusCodec = t.keyof(Object.fromEntries(tokenStatuses.map((status) => [status, null])) as Record<TokenStatus, null>, 'TokenStatus');
