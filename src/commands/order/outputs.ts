import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import type { SdkError } from '../../errors/sdk-error.js';
import { infrastructure } from '../../errors/sdk-error.js';
import type { StoredEvent } from '../../events/envelope.js';
import type { ApprovalLevel } from '../../domain/agreement/ids.js';
import type { OrderEvent } from '../../domain/order/events.js';
import { orderEventCodecs } from '../../domain/order/events.js';
import type { OrderStatus } from '../../domain/order/status.js';

/** What `UploadOrder` answers: the order, the levels it needs, and whether it looks like a duplicate. */
export interface UploadOrderOutput {
  readonly orderId: string;
  readonly requiredLevels: ApprovalLevel;
  readonly possibleDuplicate: boolean;
  readonly duplicateOf: readonly string[];
}

/** One order a command moved: where it is now, and the level approved when it was an approval. */
export interface OrderMove {
  readonly orderId: string;
  readonly status: OrderStatus;
  readonly level?: ApprovalLevel;
}

/** What `DeleteOrder`, `ApproveOrders`, `RevokeOrders` and `MarkOrderExecuted` answer: every order moved, in command order. */
export interface OrdersOutput {
  readonly orders: readonly OrderMove[];
}

/** The moves the order events of a command describe. */
export const movesOf = (events: readonly OrderEvent[]): OrdersOutput => {
  const moves = new Map<string, OrderMove>();
  const set = (orderId: string, change: Partial<OrderMove>): void => {
    const current = moves.get(orderId) ?? { orderId, status: 'pending-approval' };
    moves.set(orderId, { ...current, ...change });
  };
  for (const event of events) {
    switch (event.type) {
      case 'OrderUploaded':
        set(event.data.orderId, { status: 'pending-approval' });
        break;
      case 'OrderLevelApproved':
        set(event.data.orderId, { level: event.data.level });
        break;
      case 'OrderApproved':
        set(event.data.orderId, { status: 'approved' });
        break;
      case 'OrderDeleted':
        set(event.data.orderId, { status: 'deleted' });
        break;
      case 'OrderRevoked':
        set(event.data.orderId, { status: 'revoked' });
        break;
      case 'OrderExecuted':
        set(event.data.orderId, { status: 'executed' });
        break;
    }
  }
  return { orders: [...moves.values()] };
};

/** The order events among a command's stored events (the runtime has validated them when writing). */
export const storedOrderEvents = (events: readonly StoredEvent[]): readonly OrderEvent[] =>
  events.filter((event) => Object.prototype.hasOwnProperty.call(orderEventCodecs, event.type)).map((event) => ({ type: event.type, data: event.data }) as unknown as OrderEvent);

/**
 * Rebuilds the outcome of a replayed order command from what it stored: the orders it moved, or —
 * when it stored no order event — the refusal it recorded (a replayed refused command fails again).
 */
export const ordersOutcomeOf =
  (recordedRefusal: (events: readonly StoredEvent[]) => SdkError | undefined) =>
  (events: readonly StoredEvent[]): Either<SdkError, OrdersOutput> => {
    const orderEvents = storedOrderEvents(events);
    if (orderEvents.length > 0) return E.right(movesOf(orderEvents));
    return E.left(recordedRefusal(events) ?? infrastructure('the recorded events do not tell this command\'s outcome'));
  };
