import type { CurrencyCode } from '../../money/currencies.js';
import type { ApprovalLevel } from '../agreement/ids.js';
import type { PaymentLine } from './approval-digest.js';
import type { OrderEvent, OrderEventOf } from './events.js';
import type { OrderStatus } from './status.js';

/** One approved level of an order: which level, by whom, when (ISO-8601). */
export interface Approval {
  readonly level: ApprovalLevel;
  readonly userId: string;
  readonly at: string;
}

/** An uploaded order, as its stream tells it. */
export interface Order {
  readonly status: OrderStatus;
  readonly orderId: string;
  readonly companyId: string;
  readonly serviceId: string;
  readonly kind: 'file' | 'single';
  readonly reference: string;
  readonly transactionCount: number;
  readonly total: string;
  readonly currency: CurrencyCode;
  readonly uploadedBy: string;
  readonly uploadedAt: string;
  readonly requiredLevels: ApprovalLevel;
  readonly fingerprint: string;
  readonly possibleDuplicate: boolean;
  readonly duplicateOf: readonly string[];
  /** Levels approved so far, level 1 first; the next level to approve is `approvals.length + 1`. */
  readonly approvals: readonly Approval[];
  /** The payments, in file order; absent for an order uploaded under 0.1, which was not itemised. */
  readonly payments?: readonly PaymentLine[];
}

/** The state of an order's stream (`payment-order-{companyId}-{orderId}`, or 0.1's `order-{orderId}`): nothing yet, or the order. */
export type OrderState = { readonly status: 'none' } | Order;

/** The state of a stream with no events. */
export const initialOrderState: OrderState = { status: 'none' };

/** The order an `OrderUploaded` event starts: the order stream's state and the orders read model's row both begin here. */
export const uploadedOrder = ({ data }: OrderEventOf<'OrderUploaded'>): Order => ({
  status: 'pending-approval',
  orderId: data.orderId,
  companyId: data.companyId,
  serviceId: data.serviceId,
  kind: data.kind,
  reference: data.reference,
  transactionCount: data.transactionCount,
  total: data.total,
  currency: data.currency,
  uploadedBy: data.uploadedBy,
  uploadedAt: data.uploadedAt,
  requiredLevels: data.requiredLevels,
  fingerprint: data.fingerprint,
  possibleDuplicate: data.possibleDuplicate,
  duplicateOf: data.duplicateOf,
  approvals: [],
  ...(data.payments === undefined ? {} : { payments: data.payments }),
});

const moved = (state: OrderState, change: (order: Order) => Order): OrderState => (state.status === 'none' ? state : change(state));

/** Folds one event into an order's state. Pure. */
export const evolveOrder = (state: OrderState, event: OrderEvent): OrderState => {
  switch (event.type) {
    case 'OrderUploaded':
      return uploadedOrder(event);
    case 'OrderLevelApproved':
      return moved(state, (order) => ({
        ...order,
        approvals: [...order.approvals, { level: event.data.level, userId: event.data.userId, at: event.data.approvedAt }],
      }));
    case 'OrderApproved':
      return moved(state, (order) => ({ ...order, status: 'approved' }));
    case 'OrderDeleted':
      return moved(state, (order) => ({ ...order, status: 'deleted' }));
    case 'OrderRevoked':
      return moved(state, (order) => ({ ...order, status: 'revoked' }));
    case 'OrderExecuted':
      return moved(state, (order) => ({ ...order, status: 'executed' }));
  }
};

/** The level an approval would approve next (`requiredLevels + 1` once all are approved). */
export const nextLevel = (order: Order): number => order.approvals.length + 1;
