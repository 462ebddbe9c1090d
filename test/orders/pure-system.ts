import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import type { SdkError } from '../../src/errors/sdk-error.js';
import type { StoredEvent } from '../../src/events/envelope.js';
import type { ActorFacts } from '../../src/domain/actor/actor-facts.js';
import { decideAgreement } from '../../src/domain/agreement/decide.js';
import type { AgreementEvent } from '../../src/domain/agreement/events.js';
import type { ApprovalLevel } from '../../src/domain/agreement/ids.js';
import { agreementStreamId } from '../../src/domain/agreement/ids.js';
import type { AgreementState } from '../../src/domain/agreement/state.js';
import { evolveAgreement, initialAgreementState } from '../../src/domain/agreement/state.js';
import { UploadOrderCodec } from '../../src/domain/order/commands.js';
import type { OrderCommand } from '../../src/domain/order/decide.js';
import type { OrderInput, OrderOutcome } from '../../src/domain/order/effects.js';
import { decideOrdersAllOrNothing } from '../../src/domain/order/effects.js';
import type { OrderEvent } from '../../src/domain/order/events.js';
import { uploadFingerprint } from '../../src/domain/order/fingerprint.js';
import { duplicateIndexFold } from '../../src/domain/order/folds.js';
import { duplicateIndexStreamId, orderStreamId } from '../../src/domain/order/streams.js';
import type { OrderState } from '../../src/domain/order/state.js';
import { evolveOrder, initialOrderState } from '../../src/domain/order/state.js';
import type { OrdersReadModel } from '../../src/projections/orders/read-model.js';
import { emptyOrdersReadModel, evolveOrdersReadModel } from '../../src/projections/orders/read-model.js';
import type { ModelActor, ModelCommand } from './reference-model.js';
import { decimalOf, directory } from './reference-model.js';

const factsOf = (actor: ModelActor): ActorFacts => {
  if (actor.kind === 'bank') return { kind: 'bank', operatorId: actor.userId };
  const entry = directory[actor.userId];
  const known = entry?.companyId === actor.companyId;
  return { kind: 'user', companyId: actor.companyId, userId: actor.userId, active: known && entry.active, isCompanyAdmin: known && entry.active && entry.admin };
};

/**
 * The system under test at the decider level: the real pure decisions and folds, with streams held in
 * maps and every event also stored (with stream id and global position) and folded into the read model.
 */
export class PureSystem {
  private readonly streams = new Map<string, StoredEvent[]>();
  private position = 0;
  readModel: OrdersReadModel = emptyOrdersReadModel;
  private readonly fold = evolveOrdersReadModel();

  constructor(readonly makerChecker: boolean) {}

  private events(streamId: string): readonly StoredEvent[] {
    return this.streams.get(streamId) ?? [];
  }

  private readonly agreements = new Map<string, AgreementState>();
  private readonly orders = new Map<string, OrderState>();
  private readonly indexes = new Map<string, readonly string[]>();

  agreement(companyId: string, serviceId: string): AgreementState {
    return this.agreements.get(agreementStreamId(companyId, serviceId)) ?? initialAgreementState;
  }

  order(companyId: string, orderId: string): OrderState {
    return this.orders.get(orderStreamId(companyId, orderId)) ?? initialOrderState;
  }

  /** Every event stored so far, by stream. */
  streamEvents(streamId: string): readonly StoredEvent[] {
    return this.events(streamId);
  }

  private append(streamId: string, events: readonly (OrderEvent | AgreementEvent)[], now: number): void {
    const stream = this.streams.get(streamId) ?? [];
    for (const event of events) {
      this.position += 1;
      const stored: StoredEvent = {
        eventId: `e${this.position}`,
        type: event.type,
        schemaVersion: 1,
        data: event.data,
        metadata: { commandId: 'c', correlationId: 'c', causationId: 'c', actor: { kind: 'system' }, occurredAt: new Date(now).toISOString() },
        streamId,
        streamVersion: stream.length + 1,
        globalPosition: this.position,
        prevHash: '',
        hash: '',
      };
      stream.push(stored);
      if (streamId.startsWith('payment-order-')) this.orders.set(streamId, evolveOrder(this.orders.get(streamId) ?? initialOrderState, event as OrderEvent));
      else if (streamId.startsWith('duplicate-index-')) this.indexes.set(streamId, duplicateIndexFold.evolve(this.indexes.get(streamId) ?? [], event as AgreementEvent, stored));
      else this.agreements.set(streamId, evolveAgreement(this.agreements.get(streamId) ?? initialAgreementState, event as AgreementEvent));
      this.readModel = this.fold(this.readModel, stored);
    }
    this.streams.set(streamId, stream);
  }

  private input(command: OrderCommand, actor: ModelActor, now: number): OrderInput {
    // As the shell does: an order is looked up under the command's company (the upload's and the
    // bank's field), else under the acting user's.
    const scope = command.type === 'UploadOrder' || command.type === 'MarkOrderExecuted' ? command.companyId : actor.kind === 'user' ? actor.companyId : undefined;
    const state = scope === undefined ? initialOrderState : this.order(scope, command.orderId);
    const fingerprint = command.type === 'UploadOrder' ? uploadFingerprint(command) : undefined;
    const sameContent =
      command.type === 'UploadOrder' && fingerprint !== undefined ? (this.indexes.get(duplicateIndexStreamId(command.companyId, command.serviceId, fingerprint)) ?? []) : [];
    const agreement =
      command.type === 'UploadOrder'
        ? this.agreement(command.companyId, command.serviceId)
        : state.status === 'none'
          ? initialAgreementState
          : this.agreement(state.companyId, state.serviceId);
    return { command, state, facts: { actor: factsOf(actor), now, agreement, makerChecker: this.makerChecker, sameContent } };
  }

  private commit(outcomes: readonly OrderOutcome[], now: number): void {
    for (const outcome of outcomes) {
      this.append(orderStreamId(outcome.companyId, outcome.orderId), outcome.orderEvents, now);
      for (const event of outcome.indexEvents) this.append(duplicateIndexStreamId(outcome.companyId, outcome.serviceId, event.data.fingerprint), [event], now);
    }
  }

  run(command: ModelCommand, actor: ModelActor, now: number): Either<SdkError, unknown> {
    switch (command.type) {
      case 'RegisterServiceAgreement':
      case 'GrantApprover':
      case 'RevokeApprover': {
        const real =
          command.type === 'RegisterServiceAgreement'
            ? { type: command.type, companyId: command.companyId, serviceId: command.serviceId, approvalLevels: command.levels as ApprovalLevel }
            : command.type === 'GrantApprover'
              ? { type: command.type, companyId: command.companyId, serviceId: command.serviceId, userId: command.userId, level: command.level as ApprovalLevel }
              : {
                  type: command.type,
                  companyId: command.companyId,
                  serviceId: command.serviceId,
                  userId: command.userId,
                  ...(command.level === undefined ? {} : { level: command.level as ApprovalLevel }),
                };
        const grantee = command.type === 'GrantApprover' ? directory[command.userId] : undefined;
        const result = decideAgreement(real, this.agreement(command.companyId, command.serviceId), {
          actor: factsOf(actor),
          granteeActive: grantee?.companyId === command.companyId && grantee.active,
        });
        if (E.isRight(result)) this.append(agreementStreamId(command.companyId, command.serviceId), result.right, now);
        return result;
      }
      case 'UploadOrder': {
        const decoded = UploadOrderCodec.decode({
          type: 'UploadOrder',
          orderId: command.orderId,
          companyId: command.companyId,
          serviceId: command.serviceId,
          kind: command.kind,
          reference: command.reference,
          transactionCount: command.count,
          total: decimalOf(command.minor, command.currency, true),
          currency: command.currency,
        });
        if (E.isLeft(decoded)) throw new Error('the generator made an invalid upload');
        return this.decideAndCommit([this.input(decoded.right, actor, now)], now);
      }
      case 'DeleteOrder':
      case 'MarkOrderExecuted':
        return this.decideAndCommit([this.input(command, actor, now)], now);
      case 'ApproveOrders':
      case 'RevokeOrders':
        return this.decideAndCommit(
          command.orderIds.map((orderId) => this.input({ type: command.type, orderId }, actor, now)),
          now,
        );
    }
  }

  private decideAndCommit(inputs: readonly OrderInput[], now: number): Either<SdkError, unknown> {
    const result = decideOrdersAllOrNothing(inputs);
    if (E.isRight(result)) this.commit(result.right, now);
    return result;
  }
}
