/**
 * The payments an order carries: who is paid, where, how much, and why. The wire and event shape is
 * the approval digest's `PaymentLine` (src/domain/order/approval-digest.ts), so what is stored is
 * exactly what an approver's app hashes and shows. Limits are documented in docs/dynamic-linking.md.
 */
import * as t from 'io-ts';
import { boundedString } from '../../events/codecs.js';
import { CurrencyCodeCodec, DecimalStringCodec } from '../../money/codecs.js';
import type { CurrencyCode } from '../../money/currencies.js';
import { formatMoney, parseMoney } from '../../money/money.js';
import type { PaymentLine } from './approval-digest.js';

/** The most payments one order carries (a pain.001 file of more is refused, not split). */
export const MAX_PAYMENTS_PER_ORDER = 10_000;

/** The longest payee name: ISO 20022's `Max140Text`. */
export const MAX_PAYEE_NAME = 140;

/** The longest payment reference: ISO 20022's unstructured remittance line, `Max140Text`. */
export const MAX_PAYMENT_REFERENCE = 140;

/** The longest account identifier: an IBAN has at most 34 characters, and so may a local account number. */
export const MAX_ACCOUNT = 34;

/** The longest bank identifier (a BIC has 8 or 11 characters; a local bank code fewer): ISO 20022's `Max35Text`. */
export const MAX_BANK = 35;

const IBAN_SHAPE = /^[A-Z]{2}[0-9]{2}[A-Z0-9]{11,30}$/;
const LOOKS_LIKE_IBAN = /^[A-Z]{2}[0-9]{2}/;
const LOCAL_ACCOUNT = /^[A-Za-z0-9][A-Za-z0-9 ./-]{0,33}$/;
// eslint-disable-next-line no-control-regex -- control characters are exactly what is refused
const CONTROL = /[\u0000-\u001f\u007f]/;

/**
 * Whether `text` is an IBAN (ISO 13616): upper-case, no spaces, 15 to 34 characters, and its check
 * digits right (the number formed by moving the first four characters to the end, letters as
 * 10..35, is 1 modulo 97). The remainder is taken piecewise, so no big integers are needed.
 */
export const isValidIban = (text: string): boolean => {
  // From plain JavaScript anything may arrive: only a string can be an IBAN.
  if (typeof text !== 'string' || !IBAN_SHAPE.test(text)) return false;
  const rearranged = text.slice(4) + text.slice(0, 4);
  let remainder = 0;
  for (const character of rearranged) {
    const code = character.charCodeAt(0);
    const value = code >= 65 ? code - 55 : code - 48;
    remainder = value >= 10 ? (remainder * 100 + value) % 97 : (remainder * 10 + value) % 97;
  }
  return remainder === 1;
};

/**
 * Why a payee's account (with its bank, if given) is refused, or undefined when it is accepted: an
 * account that starts like an IBAN (two letters, two digits) must be one, checksum included; any
 * other is a local account number (letters, digits, spaces, `.`, `/`, `-`), which needs its bank.
 */
export const accountProblem = (account: string, bank: string | undefined): { readonly field: 'account' | 'bank'; readonly message: string } | undefined => {
  if (LOOKS_LIKE_IBAN.test(account)) return isValidIban(account) ? undefined : { field: 'account', message: 'is not a valid IBAN (wrong length, characters or check digits)' };
  if (!LOCAL_ACCOUNT.test(account)) return { field: 'account', message: `must be an IBAN or a local account number of 1 to ${MAX_ACCOUNT} letters, digits, spaces, '.', '/' or '-'` };
  return bank === undefined ? { field: 'bank', message: 'a local account number needs its bank (a BIC or a local bank code)' } : undefined;
};

const isReference = (input: unknown): input is string => typeof input === 'string' && input.length <= MAX_PAYMENT_REFERENCE && !CONTROL.test(input);

/** A payment's reference: 0 to {@link MAX_PAYMENT_REFERENCE} characters without control characters. */
export const PaymentReferenceCodec = new t.Type<string, string, unknown>(
  'PaymentReference',
  isReference,
  (input, context) => (isReference(input) ? t.success(input) : t.failure(input, context, `must be a string of at most ${MAX_PAYMENT_REFERENCE} printable characters`)),
  t.identity,
);

const paymentFields = t.intersection([
  t.type({
    payeeName: boundedString(MAX_PAYEE_NAME),
    account: boundedString(MAX_ACCOUNT),
    amount: DecimalStringCodec,
    currency: CurrencyCodeCodec,
    reference: PaymentReferenceCodec,
  }),
  t.partial({ bank: boundedString(MAX_BANK) }),
]);

/** One payment of an order, as uploaded and stored: a {@link PaymentLine} in a known currency. */
export interface Payment extends PaymentLine {
  readonly currency: CurrencyCode;
}

/**
 * io-ts codec of one {@link Payment}: each field bounded, the account an IBAN (checksum checked) or a
 * local account number with its bank, the amount above zero with no more decimals than its currency
 * has, written canonically (`"10.5"` is stored as `"10.50"`). Extra fields are dropped.
 */
export const PaymentCodec = new t.Type<Payment, Payment, unknown>(
  'Payment',
  (input): input is Payment => PaymentCodec.validate(input, [])._tag === 'Right',
  (input, context) => {
    const fields = paymentFields.validate(input, context);
    if (fields._tag === 'Left') return fields;
    const { payeeName, account, bank, amount, currency, reference } = fields.right;
    const at = (key: string, actual: unknown): t.Context => [...context, { key, type: t.unknown, actual }];
    const problem = accountProblem(account, bank);
    if (problem !== undefined) return t.failure(problem.field === 'account' ? account : bank, at(problem.field, problem.field === 'account' ? account : bank), problem.message);
    const money = parseMoney(amount, currency);
    if (money._tag === 'Left') return t.failure(amount, at('amount', amount), money.left);
    if (money.right.minor <= 0n) return t.failure(amount, at('amount', amount), 'must be above zero');
    return t.success({ payeeName, account, ...(bank === undefined ? {} : { bank }), amount: formatMoney(money.right), currency, reference });
  },
  t.identity,
);

/** io-ts codec of an order's payments: 1 to {@link MAX_PAYMENTS_PER_ORDER}, each a {@link PaymentCodec}. */
export const PaymentsCodec = new t.Type<readonly Payment[], readonly Payment[], unknown>(
  'Payments',
  (input): input is readonly Payment[] => PaymentsCodec.validate(input, [])._tag === 'Right',
  (input, context) => {
    if (!Array.isArray(input)) return t.failure(input, context, 'must be an array of payments');
    if (input.length === 0) return t.failure(input, context, 'at least one payment');
    if (input.length > MAX_PAYMENTS_PER_ORDER) return t.failure(input, context, `at most ${MAX_PAYMENTS_PER_ORDER} payments per order`);
    return t.readonlyArray(PaymentCodec).validate(input, context);
  },
  t.identity,
);

/** What an order's payments add up to: the count and the canonical total in their one currency. */
export interface PaymentTotals {
  readonly transactionCount: number;
  readonly total: string;
}

/** Count and total of payments all in `currency` (the codec has checked each amount). */
export const totalsOf = (payments: readonly Payment[], currency: CurrencyCode): PaymentTotals => {
  let minor = 0n;
  for (const payment of payments) {
    const money = parseMoney(payment.amount, currency);
    if (money._tag === 'Right') minor += money.right.minor;
  }
  return { transactionCount: payments.length, total: formatMoney({ currency, minor }) };
};
