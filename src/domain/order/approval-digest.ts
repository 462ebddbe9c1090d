/**
 * The approval digest: one SHA-256 over everything an approval covers, so that a code or a
 * signature computed for it is specific to the payees and amounts (PSD2 RTS Article 5, dynamic
 * linking) and any change to the batch invalidates it. Documented, with a worked example, in
 * docs/dynamic-linking.md; the format is versioned, and a new version gets a new prefix.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import type { SdkError, FieldIssue } from '../../errors/sdk-error.js';
import { invalidCommand } from '../../errors/sdk-error.js';
import { canonicalJson } from '../../events/canonical-json.js';
import type { JsonValue } from '../../events/envelope.js';
import { isCurrencyCode } from '../../money/currencies.js';
import { parseMoney } from '../../money/money.js';

/** One payment of an order, as the approver is shown it. */
export interface PaymentLine {
  /** Who is paid, as written in the order. */
  readonly payeeName: string;
  /** The payee's account: an IBAN, or a local account number. */
  readonly account: string;
  /** The payee's bank (a BIC or a local bank code); absent when the account (an IBAN) says it. */
  readonly bank?: string;
  /** The amount, a decimal string in `currency` (`"1500.00"`; `"1500.0"` and `"1500"` are the same amount). */
  readonly amount: string;
  /** ISO 4217 code. */
  readonly currency: string;
  /** The payment's reference (remittance information or end-to-end id); may be empty. */
  readonly reference: string;
}

/** One order of the batch being approved. */
export interface ApprovalOrder {
  readonly orderId: string;
  /** The order's currency, as recorded with it. */
  readonly currency: string;
  /** Its payments, in the order they were uploaded: that order is part of what is approved. */
  readonly payments: readonly PaymentLine[];
}

/** What one approval covers: some orders of one company. */
export interface ApprovalBatch {
  readonly companyId: string;
  readonly orders: readonly ApprovalOrder[];
}

/** The digest's format version; it is both in the hashed prefix and in the document. */
export const APPROVAL_DIGEST_VERSION = 1;

/** The bytes hashed before the document: names the format, so no other SHA-256 of this SDK can be mistaken for it. */
export const APPROVAL_DIGEST_PREFIX = 'softtoken-sdk/approval-digest/v1\n';

/** A digest of an approval batch. */
export interface ApprovalDigest {
  readonly version: typeof APPROVAL_DIGEST_VERSION;
  /** SHA-256 of the prefix and the canonical document: 64 lower-case hexadecimal digits. */
  readonly sha256: string;
}

/** A lone surrogate: text no UTF-8 encoder (an app's included) can carry faithfully. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;
const isText = (value: unknown): value is string => typeof value === 'string' && !LONE_SURROGATE.test(value);
/** `value` when it is text, else '' (only documents with no issues are ever used). */
const textOr = (value: unknown): string => (isText(value) ? value : '');

const addTo = (totals: Map<string, bigint>, currency: string, minor: bigint): void => {
  totals.set(currency, (totals.get(currency) ?? 0n) + minor);
};

/** Totals as a JSON object, currencies sorted by canonical JSON, amounts as minor-unit strings. */
const totalsJson = (totals: ReadonlyMap<string, bigint>): JsonValue => {
  const out: Record<string, string> = {};
  for (const [currency, minor] of totals) out[currency] = minor.toString();
  return out;
};

/** One payment as it enters the document, or the issues that keep it out. */
const paymentJson = (payment: PaymentLine, path: string, issues: FieldIssue[], totals: Map<string, bigint>): JsonValue => {
  const text = (field: 'payeeName' | 'account' | 'reference', allowEmpty: boolean): string => {
    const value: unknown = payment[field];
    if (!isText(value) || (!allowEmpty && value.length === 0)) {
      issues.push({ path: `${path}.${field}`, message: allowEmpty ? 'must be a string' : 'must be a non-empty string' });
      return '';
    }
    return value;
  };
  const payeeName = text('payeeName', false);
  const account = text('account', false);
  const reference = text('reference', true);
  const bank: unknown = payment.bank;
  if (bank !== undefined && (!isText(bank) || bank.length === 0)) issues.push({ path: `${path}.bank`, message: 'must be a non-empty string when given' });
  const currency: unknown = payment.currency;
  let amountMinor = '';
  if (!isCurrencyCode(currency)) {
    issues.push({ path: `${path}.currency`, message: 'must be an ISO 4217 currency code' });
  } else {
    const amount: unknown = payment.amount;
    const money = typeof amount === 'string' ? parseMoney(amount, currency) : left('must be a decimal string');
    if (money._tag === 'Left') issues.push({ path: `${path}.amount`, message: money.left });
    else {
      amountMinor = money.right.minor.toString();
      addTo(totals, currency, money.right.minor);
    }
  }
  return { payeeName, account, bank: typeof bank === 'string' ? bank : null, amountMinor, currency: textOr(currency), reference };
};

/** The document of one order, or the issues that keep it out. */
const orderJson = (order: ApprovalOrder, path: string, issues: FieldIssue[], batchTotals: Map<string, bigint>): JsonValue => {
  const orderId: unknown = order.orderId;
  if (!isText(orderId) || orderId.length === 0) issues.push({ path: `${path}.orderId`, message: 'must be a non-empty string' });
  const currency: unknown = order.currency;
  if (!isCurrencyCode(currency)) issues.push({ path: `${path}.currency`, message: 'must be an ISO 4217 currency code' });
  const payments: unknown = order.payments;
  if (!Array.isArray(payments) || payments.length === 0) {
    issues.push({ path: `${path}.payments`, message: 'must be a non-empty array of payments' });
    return null;
  }
  const totals = new Map<string, bigint>();
  // Array.from visits the holes of a sparse array, which map would skip.
  const lines = Array.from(payments as readonly PaymentLine[], (payment, index) => {
    const at = `${path}.payments.${index}`;
    if (typeof payment !== 'object' || (payment as unknown) === null) {
      issues.push({ path: at, message: 'must be a payment' });
      return null;
    }
    return paymentJson(payment, at, issues, totals);
  });
  for (const [code, minor] of totals) addTo(batchTotals, code, minor);
  return { orderId: textOr(orderId), currency: textOr(currency), paymentCount: lines.length, totals: totalsJson(totals), payments: lines };
};

/** Orders sorted by id, code unit by code unit (as canonical JSON sorts keys): the batch's own order does not matter. */
const byOrderId = (a: ApprovalOrder, b: ApprovalOrder): number => {
  const x = textOr(a.orderId);
  const y = textOr(b.orderId);
  return x < y ? -1 : x > y ? 1 : 0;
};

/**
 * The canonical document of an approval batch (what the digest hashes, and what an app that
 * recomputes the digest must rebuild): version, company, batch totals and payment count, and for
 * each order (sorted by id) its id, currency, payment count, totals per currency and payments in
 * upload order. Amounts are whole minor units, as decimal strings. Fails with `INVALID_COMMAND`
 * naming every bad field (`orders.2.payments.14.amount`); duplicate order ids are refused.
 */
export const approvalDocument = (batch: ApprovalBatch): Either<SdkError, JsonValue> => {
  if (typeof batch !== 'object' || (batch as unknown) === null) return left(invalidCommand([{ path: '', message: 'must be an approval batch' }]));
  const issues: FieldIssue[] = [];
  const companyId: unknown = batch.companyId;
  if (!isText(companyId) || companyId.length === 0) issues.push({ path: 'companyId', message: 'must be a non-empty string' });
  const orders: unknown = batch.orders;
  if (!Array.isArray(orders) || orders.length === 0) return left(invalidCommand([...issues, { path: 'orders', message: 'must be a non-empty array of orders' }]));

  // Paths name the orders as given; the document lists them sorted.
  const indexed = Array.from(orders as readonly ApprovalOrder[], (order, index) => ({ order, index }));
  const malformed = indexed.filter(({ order }) => typeof order !== 'object' || (order as unknown) === null);
  for (const { index } of malformed) issues.push({ path: `orders.${index}`, message: 'must be an order' });
  if (malformed.length > 0) return left(invalidCommand(issues));
  const seen = new Map<unknown, number>();
  for (const { order, index } of indexed) {
    const first = seen.get(order.orderId);
    if (first !== undefined) issues.push({ path: `orders.${index}.orderId`, message: `repeats the id of orders.${first}` });
    else seen.set(order.orderId, index);
  }

  const batchTotals = new Map<string, bigint>();
  const documents = [...indexed]
    .sort((a, b) => byOrderId(a.order, b.order))
    .map(({ order, index }) => orderJson(order, `orders.${index}`, issues, batchTotals));
  if (issues.length > 0) return left(invalidCommand(issues));
  const paymentCount = (orders as readonly ApprovalOrder[]).reduce((sum, order) => sum + order.payments.length, 0);
  return right({
    version: APPROVAL_DIGEST_VERSION,
    companyId: textOr(companyId),
    orderCount: documents.length,
    paymentCount,
    totals: totalsJson(batchTotals),
    orders: documents,
  });
};

/**
 * The approval digest of a batch: SHA-256 over `APPROVAL_DIGEST_PREFIX` and the canonical JSON
 * (src/events/canonical-json.ts) of `approvalDocument(batch)`. Any change to any field of any
 * order (one cent, one character of a payee, a payment added, removed or moved, an order added or
 * removed) changes it; the order in which the orders are listed does not.
 */
export const approvalDigest = (batch: ApprovalBatch): Either<SdkError, ApprovalDigest> => {
  const document = approvalDocument(batch);
  if (document._tag === 'Left') return document;
  const bytes = utf8ToBytes(APPROVAL_DIGEST_PREFIX + canonicalJson(document.right));
  return right({ version: APPROVAL_DIGEST_VERSION, sha256: bytesToHex(sha256(bytes)) });
};
