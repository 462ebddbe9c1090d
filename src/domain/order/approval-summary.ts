/**
 * What an approver sees of an order before approving it, on the portal and on the phone: the total,
 * how many payments and payees, and the largest payments. Pure; the same function serves the order
 * views and the device side, so both show the same thing.
 */
import type { CurrencyCode } from '../../money/currencies.js';
import { formatMoney, parseMoney } from '../../money/money.js';
import type { PaymentLine } from './approval-digest.js';

/** How many of the largest payments a summary lists. */
export const LARGEST_PAYMENTS_SHOWN = 3;

/** The approver's summary of one order. */
export interface ApprovalSummary {
  readonly orderId: string;
  /** Canonical decimal string in `currency`. */
  readonly total: string;
  readonly currency: string;
  readonly transactionCount: number;
  /** Distinct payees (same name and account): 0 for an order uploaded without its payments (0.1). */
  readonly payees: number;
  /** The largest payments, largest first (equal amounts in file order), at most {@link LARGEST_PAYMENTS_SHOWN}. */
  readonly largest: readonly PaymentLine[];
  /** Whether the order carries its payments; a 0.1 order does not, and its approval covers reference, count and total only. */
  readonly itemised: boolean;
}

/** The fields of an order a summary reads. */
export interface SummarisedOrder {
  readonly orderId: string;
  readonly total: string;
  readonly currency: CurrencyCode;
  readonly transactionCount: number;
  readonly payments?: readonly PaymentLine[];
}

const minorOf = (payment: PaymentLine, currency: CurrencyCode): bigint => {
  const money = parseMoney(payment.amount, currency);
  return money._tag === 'Right' ? money.right.minor : 0n;
};

/** The summary of `order`, in one pass over its payments (the largest kept in a list of at most {@link LARGEST_PAYMENTS_SHOWN}). */
export const approvalSummaryOf = (order: SummarisedOrder): ApprovalSummary => {
  const payments = order.payments ?? [];
  const payees = new Set<string>();
  const largest: { readonly payment: PaymentLine; readonly minor: bigint }[] = [];
  let minorTotal = 0n;
  for (const payment of payments) {
    payees.add(`${payment.payeeName}\u0000${payment.account}`);
    const minor = minorOf(payment, order.currency);
    minorTotal += minor;
    const at = largest.findIndex((entry) => entry.minor < minor);
    if (at >= 0) largest.splice(at, 0, { payment, minor });
    else largest.push({ payment, minor });
    if (largest.length > LARGEST_PAYMENTS_SHOWN) largest.pop();
  }
  return {
    orderId: order.orderId,
    total: order.payments === undefined ? order.total : formatMoney({ currency: order.currency, minor: minorTotal }),
    currency: order.currency,
    transactionCount: order.payments === undefined ? order.transactionCount : payments.length,
    payees: payees.size,
    largest: largest.map((entry) => entry.payment),
    itemised: order.payments !== undefined,
  };
};
