import * as A from 'fp-ts/lib/ReadonlyArray.js';
import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { SdkError } from '../../errors/sdk-error.js';
import type { AgreementEventOf } from '../agreement/events.js';
import type { OrderCommand, OrderFacts } from './decide.js';
import { decideOrder } from './decide.js';
import type { OrderEvent } from './events.js';
import type { OrderState } from './state.js';

/** An event of a duplicate index: an order's fingerprint recorded or released. */
export type FingerprintEvent = AgreementEventOf<'OrderFingerprintRecorded' | 'OrderFingerprintReleased'>;

/**
 * What the duplicate index of live orders must record for these order events: an upload records the
 * order's fingerprint; deleting, revoking or executing it releases the fingerprint. Approvals leave the
 * index untouched. Where each event goes (the content's own index stream, or a 0.1 agreement's index)
 * is `orderCommandWrites`' business.
 */
export const fingerprintEffects = (before: OrderState, events: readonly OrderEvent[]): readonly FingerprintEvent[] =>
  events.flatMap((event): readonly FingerprintEvent[] => {
    switch (event.type) {
      case 'OrderUploaded':
        return [{ type: 'OrderFingerprintRecorded', data: { orderId: event.data.orderId, fingerprint: event.data.fingerprint } }];
      case 'OrderDeleted':
      case 'OrderRevoked':
      case 'OrderExecuted':
        return before.status === 'none' ? [] : [{ type: 'OrderFingerprintReleased', data: { orderId: before.orderId, fingerprint: before.fingerprint } }];
      case 'OrderLevelApproved':
      case 'OrderApproved':
        return [];
    }
  });

/** One order's share of a command: its events and its duplicate index's. */
export interface OrderOutcome {
  readonly orderId: string;
  readonly companyId: string;
  readonly serviceId: string;
  readonly orderEvents: readonly OrderEvent[];
  /** For the duplicate index of the order's content (empty for approvals). */
  readonly indexEvents: readonly FingerprintEvent[];
}

/** One order to decide: the command as it applies to it, its state, and the facts about it. */
export interface OrderInput {
  readonly command: OrderCommand;
  readonly state: OrderState;
  readonly facts: OrderFacts;
}

/** Decides one order and derives its duplicate-index events. */
export const decideOrderOutcome = ({ command, state, facts }: OrderInput): Either<SdkError, OrderOutcome> =>
  pipe(
    decideOrder(command, state, facts),
    E.map((orderEvents) => ({
      orderId: command.orderId,
      companyId: command.type === 'UploadOrder' ? command.companyId : state.status === 'none' ? '' : state.companyId,
      serviceId: command.type === 'UploadOrder' ? command.serviceId : state.status === 'none' ? '' : state.serviceId,
      orderEvents,
      indexEvents: fingerprintEffects(state, orderEvents),
    })),
  );

/**
 * Decides several orders as one: every order's decision, or the first failure (whose message names its
 * order) and nothing else. This is the all-or-nothing rule of `ApproveOrders` and `RevokeOrders`.
 */
export const decideOrdersAllOrNothing = (inputs: readonly OrderInput[]): Either<SdkError, readonly OrderOutcome[]> =>
  pipe(inputs, A.traverse(E.Applicative)(decideOrderOutcome));
