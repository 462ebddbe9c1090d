import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import type { SdkError } from '../../src/errors/sdk-error.js';
import type { ActorFacts } from '../../src/domain/actor/actor-facts.js';
import type { AgreementCommand } from '../../src/domain/agreement/commands.js';
import { decideAgreement } from '../../src/domain/agreement/decide.js';
import type { AgreementEvent } from '../../src/domain/agreement/events.js';
import type { ApprovalLevel } from '../../src/domain/agreement/ids.js';
import type { AgreementState } from '../../src/domain/agreement/state.js';
import { evolveAgreement, initialAgreementState, liveOrdersWith } from '../../src/domain/agreement/state.js';
import { uploadFingerprint } from '../../src/domain/order/fingerprint.js';
import type { UploadOrder } from '../../src/domain/order/commands.js';
import { UploadOrderCodec } from '../../src/domain/order/commands.js';
import type { OrderCommand, OrderFacts } from '../../src/domain/order/decide.js';
import { decideOrderOutcome } from '../../src/domain/order/effects.js';
import type { OrderOutcome } from '../../src/domain/order/effects.js';
import type { OrderEvent } from '../../src/domain/order/events.js';
import type { OrderState } from '../../src/domain/order/state.js';
import { evolveOrder, initialOrderState } from '../../src/domain/order/state.js';

export const T0 = Date.UTC(2025, 0, 31, 14, 0, 0);

export const bank: ActorFacts = { kind: 'bank', operatorId: 'op-1' };
export const user = (userId: string, options: { companyId?: string; admin?: boolean; active?: boolean } = {}): ActorFacts => ({
  kind: 'user',
  companyId: options.companyId ?? 'ACME',
  userId,
  active: options.active ?? true,
  isCompanyAdmin: options.admin ?? false,
});

export const unwrap = <A>(either: Either<SdkError, A>): A => {
  if (E.isLeft(either)) throw new Error(`expected success, got ${either.left.code}: ${either.left.message}`);
  return either.right;
};

export const errorOf = <A>(either: Either<SdkError, A>): SdkError => {
  if (E.isRight(either)) throw new Error('expected an error, got success');
  return either.left;
};

/** A tiny in-memory world of agreement and order streams, driven through the pure decisions only. */
export class PureWorld {
  readonly agreements = new Map<string, AgreementState>();
  readonly orders = new Map<string, OrderState>();
  readonly log: (OrderEvent | AgreementEvent)[] = [];
  now = T0;
  makerChecker = true;

  agreement(companyId: string, serviceId: string): AgreementState {
    return this.agreements.get(`${companyId}/${serviceId}`) ?? initialAgreementState;
  }

  order(orderId: string): OrderState {
    return this.orders.get(orderId) ?? initialOrderState;
  }

  onAgreement(command: AgreementCommand, actor: ActorFacts = bank, granteeActive = true): Either<SdkError, readonly AgreementEvent[]> {
    const key = `${command.companyId}/${command.serviceId}`;
    const result = decideAgreement(command, this.agreement(command.companyId, command.serviceId), { actor, granteeActive });
    if (E.isRight(result)) {
      this.agreements.set(key, result.right.reduce(evolveAgreement, this.agreement(command.companyId, command.serviceId)));
      this.log.push(...result.right);
    }
    return result;
  }

  facts(actor: ActorFacts, agreement: AgreementState): OrderFacts {
    return { actor, now: this.now, agreement, makerChecker: this.makerChecker };
  }

  agreementOf(command: OrderCommand): AgreementState {
    if (command.type === 'UploadOrder') return this.agreement(command.companyId, command.serviceId);
    const order = this.order(command.orderId);
    return order.status === 'none' ? initialAgreementState : this.agreement(order.companyId, order.serviceId);
  }

  apply(outcomes: readonly OrderOutcome[]): void {
    for (const outcome of outcomes) {
      this.orders.set(outcome.orderId, outcome.orderEvents.reduce(evolveOrder, this.order(outcome.orderId)));
      const key = `${outcome.companyId}/${outcome.serviceId}`;
      // The world keeps the duplicate index in the agreement's state (as a 0.1 agreement stream does): the
      // pure rules only see the live orders of the same content, wherever the shell keeps them.
      this.agreements.set(key, outcome.indexEvents.reduce(evolveAgreement, this.agreement(outcome.companyId, outcome.serviceId)));
      this.log.push(...outcome.orderEvents, ...outcome.indexEvents);
    }
  }

  onOrder(command: OrderCommand, actor: ActorFacts): Either<SdkError, OrderOutcome> {
    const agreement = this.agreementOf(command);
    const fingerprint = command.type === 'UploadOrder' ? uploadFingerprint(command) : undefined;
    const facts = { ...this.facts(actor, agreement), sameContent: fingerprint === undefined ? [] : liveOrdersWith(agreement, fingerprint) };
    const result = decideOrderOutcome({ command, state: this.order(command.orderId), facts });
    if (E.isRight(result)) this.apply([result.right]);
    return result;
  }
}

export const upload = (fields: { readonly [K in keyof Omit<UploadOrder, 'type'>]?: K extends 'currency' ? string : UploadOrder[K] } & { readonly orderId: string }): UploadOrder =>
  unwrap(
    E.mapLeft((): SdkError => ({ _tag: 'Infrastructure', code: 'INFRASTRUCTURE', message: 'bad fixture' }))(
      UploadOrderCodec.decode({
        type: 'UploadOrder',
        companyId: 'ACME',
        serviceId: 'PAGOS',
        kind: 'file',
        reference: `${fields.orderId}.txt`,
        transactionCount: 3,
        total: '100.00',
        currency: 'USD',
        ...fields,
      }),
    ),
  );

export const register = (approvalLevels: ApprovalLevel, serviceId = 'PAGOS', companyId = 'ACME'): AgreementCommand => ({
  type: 'RegisterServiceAgreement',
  companyId,
  serviceId,
  approvalLevels,
});

export const grant = (userId: string, level: ApprovalLevel, serviceId = 'PAGOS', companyId = 'ACME'): AgreementCommand => ({
  type: 'GrantApprover',
  companyId,
  serviceId,
  userId,
  level,
});
