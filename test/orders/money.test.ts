import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { CurrencyCodeCodec, DecimalStringCodec } from '../../src/money/codecs.js';
import type { CurrencyCode } from '../../src/money/currencies.js';
import { currencyCodes, isCurrencyCode, minorUnitDigits } from '../../src/money/currencies.js';
import { formatMoney, MAX_INTEGER_DIGITS, parseMoney, sumByCurrency } from '../../src/money/money.js';

const code = (text: string): CurrencyCode => {
  if (!isCurrencyCode(text)) throw new Error(`not a currency: ${text}`);
  return text;
};
const USD = code('USD');
const JPY = code('JPY');
const KWD = code('KWD');
const CLF = code('CLF');

const minorOf = (text: string, currency: CurrencyCode): bigint => {
  const parsed = parseMoney(text, currency);
  if (E.isLeft(parsed)) throw new Error(parsed.left);
  return parsed.right.minor;
};

describe('currencies', () => {
  it('knows the minor unit of the currencies banks pay in', () => {
    expect(minorUnitDigits(USD)).toBe(2);
    expect(minorUnitDigits(code('EUR'))).toBe(2);
    expect(minorUnitDigits(JPY)).toBe(0);
    expect(minorUnitDigits(code('KRW'))).toBe(0);
    expect(minorUnitDigits(KWD)).toBe(3);
    expect(minorUnitDigits(code('BHD'))).toBe(3);
    expect(minorUnitDigits(code('TND'))).toBe(3);
    expect(minorUnitDigits(CLF)).toBe(4);
  });

  it('refuses codes without a minor unit, lower case, and object keys', () => {
    for (const text of ['XAU', 'XDR', 'XXX', 'usd', 'Usd', 'US', 'USDD', '', '__proto__', 'toString', 'constructor']) {
      expect(isCurrencyCode(text)).toBe(false);
      expect(E.isLeft(CurrencyCodeCodec.decode(text))).toBe(true);
    }
    expect(E.isLeft(CurrencyCodeCodec.decode(840))).toBe(true);
  });

  it('lists only three-letter upper-case codes, sorted, each with 0 to 4 digits', () => {
    expect(currencyCodes.length).toBeGreaterThan(150);
    expect([...currencyCodes].sort()).toEqual(currencyCodes);
    for (const currency of currencyCodes) {
      expect(currency).toMatch(/^[A-Z]{3}$/);
      expect([0, 2, 3, 4]).toContain(minorUnitDigits(currency));
    }
  });
});

describe('parseMoney', () => {
  it('reads decimal strings into exact minor units', () => {
    expect(minorOf('1234.50', USD)).toBe(123450n);
    expect(minorOf('1234.5', USD)).toBe(123450n);
    expect(minorOf('1234', USD)).toBe(123400n);
    expect(minorOf('0.01', USD)).toBe(1n);
    expect(minorOf('0', USD)).toBe(0n);
    expect(minorOf('1500', JPY)).toBe(1500n);
    expect(minorOf('12.345', KWD)).toBe(12345n);
    expect(minorOf('1.0001', CLF)).toBe(10001n);
    expect(minorOf('9'.repeat(MAX_INTEGER_DIGITS) + '.99', USD)).toBe(BigInt('9'.repeat(MAX_INTEGER_DIGITS) + '99'));
  });

  it('refuses more decimals than the currency has', () => {
    expect(parseMoney('1.234', USD)).toEqual(E.left('USD allows at most 2 decimals'));
    expect(parseMoney('1.5', JPY)).toEqual(E.left('JPY has no minor unit: no decimals allowed'));
    expect(E.isLeft(parseMoney('1.2345', KWD))).toBe(true);
  });

  it('refuses anything that is not a plain decimal string', () => {
    for (const text of ['', ' 1', '1 ', '-1', '+1', '1e3', '1E3', '1,000.00', '1.000,00', '01', '00.5', '1.', '.5', '１２', '0x10', 'NaN', 'Infinity', '1_000', '1..2']) {
      expect(E.isLeft(parseMoney(text, USD))).toBe(true);
      expect(E.isLeft(DecimalStringCodec.decode(text))).toBe(true);
    }
  });

  it('refuses amounts with more integer digits than any payment has', () => {
    expect(parseMoney('1' + '0'.repeat(MAX_INTEGER_DIGITS), USD)).toEqual(E.left(`must have at most ${MAX_INTEGER_DIGITS} digits before the decimal point`));
    expect(E.isLeft(DecimalStringCodec.decode('1' + '0'.repeat(MAX_INTEGER_DIGITS)))).toBe(true);
    expect(E.isLeft(DecimalStringCodec.decode('9'.repeat(100_000)))).toBe(true);
  });

  it('the decimal codec takes strings only, never numbers', () => {
    expect(E.isRight(DecimalStringCodec.decode('1234.50'))).toBe(true);
    expect(DecimalStringCodec.is('1234.50')).toBe(true);
    expect(E.isLeft(DecimalStringCodec.decode(1234.5))).toBe(true);
    expect(DecimalStringCodec.is(1234.5)).toBe(false);
    expect(E.isLeft(DecimalStringCodec.decode('1.23456'))).toBe(true);
  });
});

const currencyArb = fc.constantFrom(...currencyCodes);
const moneyArb = fc.record({ currency: currencyArb, minor: fc.bigInt({ min: 0n, max: 10n ** 20n - 1n }) });

describe('formatMoney', () => {
  it('writes exactly the currency minor-unit digits', () => {
    expect(formatMoney({ currency: USD, minor: 123450n })).toBe('1234.50');
    expect(formatMoney({ currency: USD, minor: 5n })).toBe('0.05');
    expect(formatMoney({ currency: USD, minor: 0n })).toBe('0.00');
    expect(formatMoney({ currency: USD, minor: -5n })).toBe('-0.05');
    expect(formatMoney({ currency: JPY, minor: 1500n })).toBe('1500');
    expect(formatMoney({ currency: KWD, minor: 12345n })).toBe('12.345');
  });

  it('round-trips through parseMoney for every currency', () => {
    fc.assert(
      fc.property(moneyArb, (money) => {
        const text = formatMoney(money);
        if (text.split('.')[0]!.length > MAX_INTEGER_DIGITS) return;
        expect(parseMoney(text, money.currency)).toEqual(E.right(money));
      }),
      { numRuns: 2000 },
    );
  });
});

describe('sumByCurrency', () => {
  it('is exact where floating point is not', () => {
    const tenths = Array.from({ length: 10 }, () => ({ currency: USD, minor: minorOf('0.10', USD) }));
    expect(sumByCurrency(tenths)).toEqual({ USD: '1.00' });
    expect(sumByCurrency([{ currency: USD, minor: 10n }, { currency: USD, minor: 20n }])).toEqual({ USD: '0.30' });
  });

  it('sums each currency on its own, keys sorted, beyond 2^53', () => {
    const big = 2n ** 60n;
    expect(
      sumByCurrency([
        { currency: USD, minor: big },
        { currency: JPY, minor: 7n },
        { currency: USD, minor: 1n },
      ]),
    ).toEqual({ JPY: '7', USD: formatMoney({ currency: USD, minor: big + 1n }) });
    expect(Object.keys(sumByCurrency([{ currency: USD, minor: 1n }, { currency: code('EUR'), minor: 1n }]))).toEqual(['EUR', 'USD']);
    expect(sumByCurrency([])).toEqual({});
  });

  it('agrees with adding the decimal strings digit by digit', () => {
    // An independent schoolbook addition over the canonical strings.
    const addDecimal = (a: string, b: string): string => {
      const [ai = '', af = ''] = a.split('.');
      const [bi = '', bf = ''] = b.split('.');
      const scale = Math.max(af.length, bf.length);
      const x = (ai + af.padEnd(scale, '0')).split('').reverse();
      const y = (bi + bf.padEnd(scale, '0')).split('').reverse();
      const out: number[] = [];
      let carry = 0;
      for (let i = 0; i < Math.max(x.length, y.length); i++) {
        const digit = Number(x[i] ?? '0') + Number(y[i] ?? '0') + carry;
        out.push(digit % 10);
        carry = digit >= 10 ? 1 : 0;
      }
      if (carry > 0) out.push(carry);
      const digits = out.reverse().join('').padStart(scale + 1, '0');
      const whole = digits.slice(0, digits.length - scale).replace(/^0+(?=\d)/, '');
      return scale === 0 ? whole : `${whole}.${digits.slice(digits.length - scale)}`;
    };
    fc.assert(
      fc.property(currencyArb, fc.array(fc.bigInt({ min: 0n, max: 10n ** 18n }), { minLength: 1, maxLength: 30 }), (currency, minors) => {
        const texts = minors.map((minor) => formatMoney({ currency, minor }));
        const expected = texts.reduce(addDecimal);
        expect(sumByCurrency(minors.map((minor) => ({ currency, minor })))).toEqual({ [currency]: expected });
      }),
      { numRuns: 1000 },
    );
  });
});
