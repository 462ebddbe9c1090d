import * as t from 'io-ts';
import type { CurrencyCode } from './currencies.js';
import { isCurrencyCode } from './currencies.js';
import { MAX_INTEGER_DIGITS } from './money.js';

/** io-ts codec of a supported ISO 4217 code (upper case, e.g. `USD`). */
export const CurrencyCodeCodec = new t.Type<CurrencyCode, string, unknown>(
  'CurrencyCode',
  isCurrencyCode,
  (input, context) => (isCurrencyCode(input) ? t.success(input) : t.failure(input, context, 'an ISO 4217 currency code such as USD')),
  t.identity,
);

const decimalSyntax = new RegExp(`^(?:0|[1-9][0-9]{0,${MAX_INTEGER_DIGITS - 1}})(?:\\.[0-9]{1,4})?$`);

/**
 * io-ts codec of a decimal string's syntax alone (the currency decides the decimals allowed):
 * `"1234.50"` yes; `1234.5` (a number), `"-1"`, `"1e3"`, `"1,000.00"`, `"01"` no.
 */
export const DecimalStringCodec = new t.Type<string, string, unknown>(
  'DecimalString',
  (input): input is string => typeof input === 'string' && decimalSyntax.test(input),
  (input, context) =>
    typeof input === 'string' && decimalSyntax.test(input)
      ? t.success(input)
      : t.failure(input, context, 'a decimal string such as "1234.50" (never a number)'),
  t.identity,
);
