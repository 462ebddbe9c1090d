import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { SdkError } from '../../errors/sdk-error.js';
import { forbidden, invalidCommand, invalidTransition, notFound } from '../../errors/sdk-error.js';
import { formatMoney, parseMoney } from '../../money/money.js';
import type { ActorFacts } from '../actor/actor-facts.js';
import type { ActingUser } from '../agreement/guards.js';
import { requireActiveUser, requireBank } from '../agreement/guards.js';
import type { AgreementState, RegisteredAgreement } from '../agreement/state.js';
import { grantsOf } from '../agreement/state.js';
import type { Decider } from '../../events/decider.js';
import type { UploadOrder } from './commands.js';
import type { OrderEvent } from './events.js';
import { orderFingerprint } from './fingerprint.js';
import type { Order, OrderState } from './state.js';
import { evolveOrder, initialOrderState, nextLevel } from './state.js';
import type { OrderCommandType, OrderTransition } from './transitions.js';
import { transitionsFrom } from './transitions.js';

/**
 * A command as it applies to one order. `ApproveOrders` and `RevokeOrders` name several orders; they
 * are decided order by order with one of these each (see `decideOrdersAllOrNothing`).
 */
export type OrderCommand =
  | UploadOrder
  | { readonly type: 'DeleteOrder'; readonly orderId: string }
  | { readonly type: 'ApproveOrders'; readonly orderId: string }
  | { readonly type: 'RevokeOrders'; readonly orderId: string }
  | { readonly type: 'MarkOrderExecuted'; readonly companyId: string; readonly orderId: string; readonly bankReference?: string };

/** What the shell gathers before an order command is decided. */
export interface OrderFacts {
  readonly actor: ActorFacts;
  /** The command's time (milliseconds since the epoch), read once from the clock. */
  readonly now: number;
  /** The agreement of the order's company and service, as loaded. */
  readonly agreement: AgreementState;
  /** Company policy: the uploader may not approve their own order (default true). */
  readonly makerChecker: boolean;
  /**
   * For an upload: the live orders (pending approval or execution) of the same company and service with
   * the upload's content fingerprint, oldest first, as the duplicate index reads. Absent: none.
   */
  readonly sameContent?: readonly string[];
}

/** The most earlier orders an upload names as possible duplicates (the flag itself has no limit). */
export const MAX_DUPLICATES_NAMED = 20;

/** Puts the order's id in front of an error's message, so a batch's failure names its order. */
export const aboutOrder =
  (orderId: string) =>
  (error: SdkError): SdkError =>
    error._tag === 'NotFound' && error.entity === 'order' ? error : { ...error, message: `order ${orderId}: ${error.message}` };

const transition = (from: Order | { readonly status: 'none' }, command: OrderCommandType): Either<SdkError, readonly OrderTransition[]> => {
  const allowed = transitionsFrom(from.status, command);
  return allowed.length > 0 ? E.right(allowed) : E.left(invalidTransition(from.status, command));
};

// An order of another company reads as absent: its id tells a user nothing about other companies.
// (The shell loads the order under the acting company already; this holds the rule in the pure core too.)
const visibleOrder = (state: OrderState, orderId: string, companyId: string): Either<SdkError, Order> =>
  state.status === 'none' || state.companyId !== companyId ? E.left(notFound('order', orderId)) : E.right(state);

const iso = (now: number): string => new Date(now).toISOString();

const upload = (command: UploadOrder, state: OrderState, facts: OrderFacts): Either<SdkError, readonly OrderEvent[]> =>
  pipe(
    requireActiveUser(facts.actor, command.type),
    E.chain((user) =>
      user.companyId === command.companyId ? E.right(user) : E.left(forbidden(`user ${user.userId} cannot upload orders for company ${command.companyId}`)),
    ),
    E.chain((user) =>
      facts.agreement.status === 'registered'
        ? E.right({ user, agreement: facts.agreement })
        : E.left(notFound('service agreement', `${command.companyId}/${command.serviceId}`)),
    ),
    E.chainFirst(() => transition(state, command.type)),
    E.chain(({ user, agreement }: { user: ActingUser; agreement: RegisteredAgreement }) =>
      pipe(
        parseMoney(command.total, command.currency),
        E.mapLeft((message) => invalidCommand([{ path: 'total', message }])),
        E.map((money): readonly OrderEvent[] => {
          const total = formatMoney(money);
          const fingerprint = orderFingerprint({ ...command, total });
          const duplicateOf = (facts.sameContent ?? []).filter((orderId) => orderId !== command.orderId);
          return [
            {
              type: 'OrderUploaded',
              data: {
                orderId: command.orderId,
                companyId: command.companyId,
                serviceId: command.serviceId,
                kind: command.kind,
                reference: command.reference,
                transactionCount: command.transactionCount,
                total,
                currency: command.currency,
                uploadedBy: user.userId,
                uploadedAt: iso(facts.now),
                requiredLevels: agreement.approvalLevels,
                fingerprint,
                possibleDuplicate: duplicateOf.length > 0,
                duplicateOf: duplicateOf.slice(0, MAX_DUPLICATES_NAMED),
                ...(command.payments === undefined ? {} : { payments: command.payments }),
              },
            },
          ];
        }),
      ),
    ),
  );

const deleteOrder = (orderId: string, state: OrderState, facts: OrderFacts): Either<SdkError, readonly OrderEvent[]> =>
  pipe(
    requireActiveUser(facts.actor, 'DeleteOrder'),
    E.chain((user) =>
      pipe(
        visibleOrder(state, orderId, user.companyId),
        E.chainFirst((order) => transition(order, 'DeleteOrder')),
        E.chain((order): Either<SdkError, readonly OrderEvent[]> => {
          const as = order.uploadedBy === user.userId ? 'uploader' : user.isCompanyAdmin ? 'company-admin' : undefined;
          return as === undefined
            ? E.left(forbidden(`only the uploader or a company admin may delete it`))
            : E.right([{ type: 'OrderDeleted', data: { orderId: order.orderId, companyId: order.companyId, deletedBy: user.userId, as, deletedAt: iso(facts.now) } }]);
        }),
      ),
    ),
  );

const approve = (orderId: string, state: OrderState, facts: OrderFacts): Either<SdkError, readonly OrderEvent[]> =>
  pipe(
    requireActiveUser(facts.actor, 'ApproveOrders'),
    E.chain((user) =>
      pipe(
        visibleOrder(state, orderId, user.companyId),
        E.chainFirst((order) => transition(order, 'ApproveOrders')),
        E.chain((order): Either<SdkError, readonly OrderEvent[]> => {
          if (facts.makerChecker && order.uploadedBy === user.userId) return E.left(forbidden('the uploader may not approve their own order'));
          const earlier = order.approvals.find((approval) => approval.userId === user.userId);
          if (earlier !== undefined) return E.left(forbidden(`user ${user.userId} already approved level ${earlier.level}; one user approves one level`));
          const level = nextLevel(order);
          if (level > order.requiredLevels) return E.left(invalidTransition(order.status, 'ApproveOrders'));
          const grants = grantsOf(facts.agreement, user.userId) as readonly number[];
          if (!grants.includes(level)) return E.left(forbidden(`user ${user.userId} holds no grant for level ${level} of service ${order.serviceId}`));
          const at = iso(facts.now);
          const approved: OrderEvent = { type: 'OrderLevelApproved', data: { orderId: order.orderId, companyId: order.companyId, level: level as Order['requiredLevels'], userId: user.userId, approvedAt: at } };
          return E.right(level === order.requiredLevels ? [approved, { type: 'OrderApproved', data: { orderId: order.orderId, companyId: order.companyId, approvedAt: at } }] : [approved]);
        }),
      ),
    ),
  );

const revoke = (orderId: string, state: OrderState, facts: OrderFacts): Either<SdkError, readonly OrderEvent[]> =>
  pipe(
    requireActiveUser(facts.actor, 'RevokeOrders'),
    E.chain((user) =>
      pipe(
        visibleOrder(state, orderId, user.companyId),
        E.chainFirst((order) => transition(order, 'RevokeOrders')),
        E.chain((order): Either<SdkError, readonly OrderEvent[]> => {
          const as = grantsOf(facts.agreement, user.userId).length > 0 ? 'approver' : user.isCompanyAdmin ? 'company-admin' : undefined;
          return as === undefined
            ? E.left(forbidden(`only an approver of service ${order.serviceId} or a company admin may revoke it`))
            : E.right([{ type: 'OrderRevoked', data: { orderId: order.orderId, companyId: order.companyId, revokedBy: user.userId, as, revokedAt: iso(facts.now) } }]);
        }),
      ),
    ),
  );

const execute = (command: Extract<OrderCommand, { type: 'MarkOrderExecuted' }>, state: OrderState, facts: OrderFacts): Either<SdkError, readonly OrderEvent[]> =>
  pipe(
    requireBank(facts.actor, command.type),
    E.chain(({ operatorId }) =>
      pipe(
        visibleOrder(state, command.orderId, command.companyId),
        E.chainFirst((order) => transition(order, 'MarkOrderExecuted')),
        E.map((order): readonly OrderEvent[] => [
          {
            type: 'OrderExecuted',
            data: {
              orderId: order.orderId,
              companyId: order.companyId,
              executedBy: operatorId,
              executedAt: iso(facts.now),
              ...(command.bankReference === undefined ? {} : { bankReference: command.bankReference }),
            },
          },
        ]),
      ),
    ),
  );

/**
 * Decides one command for one order: who may act (the rules of the manual), whether the transition
 * table allows it from the order's status, and the events. Every error names the order.
 */
export const decideOrder = (command: OrderCommand, state: OrderState, facts: OrderFacts): Either<SdkError, readonly OrderEvent[]> =>
  pipe(
    ((): Either<SdkError, readonly OrderEvent[]> => {
      switch (command.type) {
        case 'UploadOrder':
          return upload(command, state, facts);
        case 'DeleteOrder':
          return deleteOrder(command.orderId, state, facts);
        case 'ApproveOrders':
          return approve(command.orderId, state, facts);
        case 'RevokeOrders':
          return revoke(command.orderId, state, facts);
        case 'MarkOrderExecuted':
          return execute(command, state, facts);
      }
    })(),
    E.mapLeft(aboutOrder(command.orderId)),
  );

/** An order stream as a {@link Decider}: `decideOrder`, `evolveOrder`, the empty state. */
export const orderDecider: Decider<OrderCommand, OrderState, OrderEvent, OrderFacts> = {
  decide: decideOrder,
  evolve: evolveOrder,
  initialState: initialOrderState,
};
