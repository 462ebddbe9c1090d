export type { CurrencyCode } from './currencies.js';
export { currencyCodes, isCurrencyCode, minorUnitDigits } from './currencies.js';
export type { Money } from './money.js';
export { formatMoney, MAX_INTEGER_DIGITS, parseMoney, sumByCurrency } from './money.js';
export { CurrencyCodeCodec, DecimalStringCodec } from './codecs.js';
