import type { StoredEvent } from '../../events/envelope.js';
import type { AgreementEvent } from '../../domain/agreement/events.js';
import type { AgreementState, RegisteredAgreement } from '../../domain/agreement/state.js';
import { evolveAgreement, initialAgreementState } from '../../domain/agreement/state.js';
import type { DomainEvent } from '../../events/decider.js';
import { decodeOrdersEvent } from '../../domain/order/decode.js';
import type { OrderEvent } from '../../domain/order/events.js';
import { orderEventCodecs } from '../../domain/order/events.js';
import { agreementEventCodecs } from '../../domain/agreement/events.js';
import { agreementStreamId } from '../../domain/agreement/ids.js';
import type { PersistentMap } from '../../collections/persistent-map.js';
import { emptyMap, getEntry, setEntry } from '../../collections/persistent-map.js';
import type { Order } from '../../domain/order/state.js';
import type { PaymentLine } from '../../domain/order/approval-digest.js';
import { uploadedOrder } from '../../domain/order/state.js';
import type { ApprovalSummary } from '../../domain/order/approval-summary.js';
import { approvalSummaryOf } from '../../domain/order/approval-summary.js';
import type { PersistentVector } from '../../collections/persistent-vector.js';
import { emptyVector, pushValue } from '../../collections/persistent-vector.js';

/** How an order left the live states: who closed it, in what capacity, when. */
export interface OrderClosure {
  readonly by: string;
  readonly as: 'uploader' | 'company-admin' | 'approver' | 'bank';
  readonly at: string;
  /** The bank's own reference of the execution, when it gave one. */
  readonly bankReference?: string;
}

/**
 * One order as the screens show it: the order as its stream tells it (`Order`, one definition for
 * both), without its payments and fingerprint, with the approver's summary instead of the payments.
 */
export type OrderRow = Omit<Order, 'payments' | 'fingerprint'> & {
  /** Time of the order's latest event. */
  readonly updatedAt: string;
  /** Set once the order is deleted, revoked or executed. */
  readonly closedBy?: OrderClosure;
  /** What an approver sees before approving: total, payment and payee counts, the largest payments. */
  readonly summary: ApprovalSummary;
};

/**
 * The key of an order in the read model: order ids are scoped by company. Ids hold no control
 * character, so the separator cannot occur in either part.
 */
export const orderKey = (companyId: string, orderId: string): string => `${companyId}\u0000${orderId}`;

/** The orders read model: every order (by {@link orderKey}), each company's order ids in upload order, and the agreements. */
export interface OrdersReadModel {
  readonly rows: PersistentMap<OrderRow>;
  /** The payments of each itemised order (by {@link orderKey}): what an approver's app receives (`approvalBatch`), kept out of the rows the lists page through. */
  readonly payments: PersistentMap<readonly PaymentLine[]>;
  readonly byCompany: PersistentMap<PersistentVector<string>>;
  /** By agreement stream id; only registered agreements. */
  readonly agreements: PersistentMap<RegisteredAgreement>;
  /** companyId -> its agreements' service ids, in registration order. */
  readonly servicesByCompany: PersistentMap<readonly string[]>;
}

/** The read model before any event. */
export const emptyOrdersReadModel: OrdersReadModel = {
  rows: emptyMap(),
  payments: emptyMap(),
  byCompany: emptyMap(),
  agreements: emptyMap(),
  servicesByCompany: emptyMap(),
};

const changeRow = (model: OrdersReadModel, data: { readonly companyId: string; readonly orderId: string }, change: (row: OrderRow) => OrderRow): OrdersReadModel => {
  const key = orderKey(data.companyId, data.orderId);
  const row = getEntry(model.rows, key);
  return row === undefined ? model : { ...model, rows: setEntry(model.rows, key, change(row)) };
};

const applyOrderEvent = (model: OrdersReadModel, event: OrderEvent): OrdersReadModel => {
  switch (event.type) {
    case 'OrderUploaded': {
      const { data } = event;
      if (getEntry(model.rows, orderKey(data.companyId, data.orderId)) !== undefined) return model;
      const { payments: _payments, fingerprint: _fingerprint, ...order } = uploadedOrder(event);
      const row: OrderRow = { ...order, updatedAt: data.uploadedAt, summary: approvalSummaryOf(data) };
      return {
        ...model,
        rows: setEntry(model.rows, orderKey(data.companyId, data.orderId), row),
        payments: data.payments === undefined ? model.payments : setEntry(model.payments, orderKey(data.companyId, data.orderId), data.payments),
        byCompany: setEntry(model.byCompany, data.companyId, pushValue(getEntry(model.byCompany, data.companyId) ?? emptyVector<string>(), data.orderId)),
      };
    }
    case 'OrderLevelApproved':
      return changeRow(model, event.data, (row) => ({
        ...row,
        approvals: [...row.approvals, { level: event.data.level, userId: event.data.userId, at: event.data.approvedAt }],
        updatedAt: event.data.approvedAt,
      }));
    case 'OrderApproved':
      return changeRow(model, event.data, (row) => ({ ...row, status: 'approved', updatedAt: event.data.approvedAt }));
    case 'OrderDeleted':
      return changeRow(model, event.data, (row) => ({
        ...row,
        status: 'deleted',
        updatedAt: event.data.deletedAt,
        closedBy: { by: event.data.deletedBy, as: event.data.as, at: event.data.deletedAt },
      }));
    case 'OrderRevoked':
      return changeRow(model, event.data, (row) => ({
        ...row,
        status: 'revoked',
        updatedAt: event.data.revokedAt,
        closedBy: { by: event.data.revokedBy, as: event.data.as, at: event.data.revokedAt },
      }));
    case 'OrderExecuted':
      return changeRow(model, event.data, (row) => ({
        ...row,
        status: 'executed',
        updatedAt: event.data.executedAt,
        closedBy: {
          by: event.data.executedBy,
          as: 'bank',
          at: event.data.executedAt,
          ...(event.data.bankReference === undefined ? {} : { bankReference: event.data.bankReference }),
        },
      }));
  }
};

const applyAgreementEvent = (model: OrdersReadModel, event: AgreementEvent): OrdersReadModel => {
  // The live-order index is the deciders' business; the screens need levels and approvers only.
  if (event.type === 'OrderFingerprintRecorded' || event.type === 'OrderFingerprintReleased') return model;
  const streamId = agreementStreamId(event.data.companyId, event.data.serviceId);
  const before: AgreementState = getEntry(model.agreements, streamId) ?? initialAgreementState;
  const after = evolveAgreement(before, event);
  if (after.status !== 'registered' || after === before) return model;
  const services = getEntry(model.servicesByCompany, after.companyId) ?? [];
  return {
    ...model,
    agreements: setEntry(model.agreements, streamId, after),
    servicesByCompany: services.includes(after.serviceId) ? model.servicesByCompany : setEntry(model.servicesByCompany, after.companyId, [...services, after.serviceId]),
  };
};

const isOrderEvent = (event: DomainEvent): event is OrderEvent => Object.prototype.hasOwnProperty.call(orderEventCodecs, event.type);
const isAgreementEvent = (event: DomainEvent): event is AgreementEvent => Object.prototype.hasOwnProperty.call(agreementEventCodecs, event.type);

/**
 * Folds one decoded event into the orders read model. Pure and incremental: events of other domains
 * are skipped, and every earlier model stays valid (structural sharing). The payload is trusted: it
 * comes from the event registry, which validated it.
 */
export const foldOrdersEvent = (model: OrdersReadModel, event: DomainEvent): OrdersReadModel =>
  isOrderEvent(event) ? applyOrderEvent(model, event) : isAgreementEvent(event) ? applyAgreementEvent(model, event) : model;

/**
 * Folds one stored event into the orders read model, for use without an event registry: `decode`
 * turns a stored event into its current version (default: as stored), then the payload is checked
 * against this version's codecs; anything else is skipped.
 */
export const evolveOrdersReadModel =
  (decode: (event: StoredEvent) => DomainEvent | undefined = (event) => event) =>
  (model: OrdersReadModel, stored: StoredEvent): OrdersReadModel => {
    const domainEvent = decode(stored);
    const event = domainEvent === undefined ? undefined : decodeOrdersEvent(domainEvent);
    return event === undefined ? model : foldOrdersEvent(model, event);
  };
