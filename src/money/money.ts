import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import type { CurrencyCode } from './currencies.js';
import { minorUnitDigits } from './currencies.js';

/**
 * An exact amount of money: a whole number of the currency's minor units (cents for USD, yen for
 * JPY, fils for KWD). Never a floating-point number: amounts travel as decimal strings and are held
 * as bigint, so sums of any length are exact.
 */
export interface Money {
  readonly currency: CurrencyCode;
  readonly minor: bigint;
}

/** At most this many digits before the decimal point: far above any payment, low enough to bound hostile input. */
export const MAX_INTEGER_DIGITS = 18;

const decimalSyntax = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/;

/**
 * Reads a decimal string (`"1234.50"`, `"1234.5"`, `"1234"`) in `currency`. Accepted: no sign, no
 * leading zeros, a dot as the only separator, at most as many fraction digits as the currency's minor
 * unit (so `"1.234"` is refused for USD and `"1.5"` for JPY), at most {@link MAX_INTEGER_DIGITS}
 * integer digits. The error is a short human reason.
 */
export const parseMoney = (text: string, currency: CurrencyCode): Either<string, Money> => {
  const match = decimalSyntax.exec(text);
  if (match === null) return E.left('must be a decimal number like 1234.50 (digits, an optional dot, no sign or separators)');
  const whole = match[1] ?? '0';
  const fraction = match[2] ?? '';
  if (whole.length > MAX_INTEGER_DIGITS) return E.left(`must have at most ${MAX_INTEGER_DIGITS} digits before the decimal point`);
  const digits = minorUnitDigits(currency);
  if (fraction.length > digits) {
    return E.left(digits === 0 ? `${currency} has no minor unit: no decimals allowed` : `${currency} allows at most ${digits} decimals`);
  }
  return E.right({ currency, minor: BigInt(whole + fraction.padEnd(digits, '0')) });
};

/** The canonical decimal string of an amount: exactly the currency's minor-unit digits (`"1234.50"`, `"1500"`, `"0.125"`). */
export const formatMoney = (money: Money): string => {
  const digits = minorUnitDigits(money.currency);
  const negative = money.minor < 0n;
  const magnitude = (negative ? -money.minor : money.minor).toString();
  const sign = negative ? '-' : '';
  if (digits === 0) return sign + magnitude;
  const padded = magnitude.padStart(digits + 1, '0');
  return `${sign}${padded.slice(0, -digits)}.${padded.slice(-digits)}`;
};

/** Sums amounts per currency, exactly. The result maps each currency present to its canonical total string, keys sorted. */
export const sumByCurrency = (amounts: Iterable<Money>): Readonly<Record<string, string>> => {
  const totals = new Map<CurrencyCode, bigint>();
  for (const amount of amounts) totals.set(amount.currency, (totals.get(amount.currency) ?? 0n) + amount.minor);
  const out: Record<string, string> = {};
  for (const currency of [...totals.keys()].sort()) out[currency] = formatMoney({ currency, minor: totals.get(currency) ?? 0n });
  return out;
};
