/**
 * The app side of dynamic linking: from the batch the portal hands the phone (an `ApprovalBatch`,
 * what `views.orders.approvalBatch` returns), the app shows what is approved and computes the OCRA
 * response the approver types into the portal. Everything shown and everything MACed comes from the
 * same batch, recomputed here: the app trusts no total, count or digest it is told.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { SdkError } from '../errors/sdk-error.js';
import { invalidCommand } from '../errors/sdk-error.js';
import type { ApprovalBatch } from '../domain/order/approval-digest.js';
import { dynamicLinkingOf } from '../domain/order/approval-factor.js';
import type { ApprovalSummary } from '../domain/order/approval-summary.js';
import { approvalSummaryOf } from '../domain/order/approval-summary.js';
import { isCurrencyCode } from '../money/currencies.js';
import { formatMoney, parseMoney } from '../money/money.js';
import { dynamicLinkingKey } from '../otp/dynamic-linking-key.js';
import { ocra } from '../otp/ocra.js';

/** What the phone displays before the approver confirms. */
export interface ApprovalDisplay {
  readonly companyId: string;
  /** One summary per order (total, payments, payees, largest payments), in the order received. */
  readonly orders: readonly ApprovalSummary[];
  /** The batch's total per currency (canonical decimal strings). */
  readonly totals: Readonly<Record<string, string>>;
  readonly paymentCount: number;
  /** Distinct payees (name and account) across the batch. */
  readonly payees: number;
  /** The approval digest (SHA-256, hexadecimal) the response is bound to, for a "details" screen. */
  readonly digest: string;
}

/** The display and the response of one approval. */
export interface ApprovalResponse {
  readonly display: ApprovalDisplay;
  /** The OCRA response (8 digits) the approver types into the portal. */
  readonly response: string;
}

const totalsOf = (summaries: readonly ApprovalSummary[]): Readonly<Record<string, string>> => {
  const minor = new Map<string, bigint>();
  for (const summary of summaries) {
    if (!isCurrencyCode(summary.currency)) continue;
    const money = parseMoney(summary.total, summary.currency);
    if (money._tag === 'Right') minor.set(summary.currency, (minor.get(summary.currency) ?? 0n) + money.right.minor);
  }
  const out: Record<string, string> = {};
  for (const [currency, amount] of [...minor.entries()].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (isCurrencyCode(currency)) out[currency] = formatMoney({ currency, minor: amount });
  }
  return out;
};

/**
 * What the phone shows for `batch` (checked as the server checks it: `INVALID_COMMAND` naming the
 * bad field), with the digest it is bound to.
 */
export const approvalDisplay = (batch: ApprovalBatch): Either<SdkError, ApprovalDisplay & { readonly question: string; readonly suite: string }> =>
  pipe(
    dynamicLinkingOf(batch),
    E.chain((linking) => {
      const summaries: ApprovalSummary[] = [];
      const payees = new Set<string>();
      for (const order of batch.orders) {
        if (!isCurrencyCode(order.currency)) return E.left(invalidCommand([{ path: 'currency', message: 'must be an ISO 4217 currency code' }]));
        summaries.push(approvalSummaryOf({ orderId: order.orderId, currency: order.currency, total: '0', transactionCount: order.payments.length, payments: order.payments }));
        for (const payment of order.payments) payees.add(`${payment.payeeName}\u0000${payment.account}`);
      }
      return E.right({
        companyId: batch.companyId,
        orders: summaries,
        totals: totalsOf(summaries),
        paymentCount: summaries.reduce((sum, summary) => sum + summary.transactionCount, 0),
        payees: payees.size,
        digest: linking.digest.sha256,
        question: linking.question,
        suite: linking.suite,
      });
    }),
  );

/**
 * The display and the OCRA response for `batch`, with the token's `seed` (the dynamic-linking key is
 * derived from it) at `timeMs` (default now). The response is valid for about a minute either side.
 */
export const respondToApproval = (seed: Uint8Array, batch: ApprovalBatch, timeMs: number = Date.now()): Either<SdkError, ApprovalResponse> =>
  pipe(
    approvalDisplay(batch),
    E.chain(({ question, suite, ...display }) =>
      E.tryCatch(
        () => ({ display, response: ocra(suite, dynamicLinkingKey(seed), { question, timeMs }) }),
        () => invalidCommand([{ path: 'seed', message: 'must be the token seed (bytes)' }]),
      ),
    ),
  );
