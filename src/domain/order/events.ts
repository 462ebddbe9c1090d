import * as t from 'io-ts';
import { ApprovalLevelCodec, EntityIdCodec, FingerprintCodec, ServiceIdCodec } from '../agreement/ids.js';
import { CurrencyCodeCodec, DecimalStringCodec } from '../../money/codecs.js';
import { IsoTimestamp } from '../../events/codecs.js';
import { defineEvents, type EventsOf } from '../../events/define-events.js';


/** `file`: a file of transactions; `single`: one order keyed in by hand. */
export const OrderKindCodec = t.keyof({ file: null, single: null }, 'OrderKind');

/** A payment as stored in `OrderUploaded`: checked by `PaymentCodec` when uploaded, read back structurally. */
export const StoredPaymentCodec = t.readonly(
  t.intersection([
    t.type({ payeeName: t.string, account: t.string, amount: DecimalStringCodec, currency: CurrencyCodeCodec, reference: t.string }),
    t.partial({ bank: t.string }),
  ]),
  'StoredPayment',
);

/** Payload of `OrderUploaded`: what was uploaded (with its payments since 0.2), by whom, the levels it needs, and whether it looks like a duplicate. */
export const OrderUploadedCodec = t.readonly(
  t.intersection([t.type({
    orderId: EntityIdCodec,
    companyId: EntityIdCodec,
    serviceId: ServiceIdCodec,
    kind: OrderKindCodec,
    reference: t.string,
    transactionCount: t.number,
    /** Canonical decimal string with exactly the currency's minor-unit digits. */
    total: DecimalStringCodec,
    currency: CurrencyCodeCodec,
    uploadedBy: EntityIdCodec,
    uploadedAt: IsoTimestamp,
    /** Fixed from the agreement at upload time; amending the agreement later does not change it. */
    requiredLevels: ApprovalLevelCodec,
    fingerprint: FingerprintCodec,
    /** Same content was pending (approval or execution) in the same company and service. Flagged, not refused. */
    possibleDuplicate: t.boolean,
    /** Those live orders, oldest first. */
    duplicateOf: t.readonlyArray(EntityIdCodec),
  }),
  /** The payments, in file order; absent in 0.1 orders (not itemised), whose approval covers reference, count and total only. */
  t.partial({ payments: t.readonlyArray(StoredPaymentCodec) }),
  ]),
  'OrderUploaded',
);

/** Payload of `OrderLevelApproved`: one level of one order, by one user. */
export const OrderLevelApprovedCodec = t.readonly(
  t.type({ orderId: EntityIdCodec, companyId: EntityIdCodec, level: ApprovalLevelCodec, userId: EntityIdCodec, approvedAt: IsoTimestamp }),
  'OrderLevelApproved',
);

/** Payload of `OrderApproved`: the last required level was approved; the order now waits for execution at the bank. */
export const OrderApprovedCodec = t.readonly(t.type({ orderId: EntityIdCodec, companyId: EntityIdCodec, approvedAt: IsoTimestamp }), 'OrderApproved');

/** Payload of `OrderDeleted`: removed before approval, by its uploader or a company admin. */
export const OrderDeletedCodec = t.readonly(
  t.type({ orderId: EntityIdCodec, companyId: EntityIdCodec, deletedBy: EntityIdCodec, as: t.keyof({ uploader: null, 'company-admin': null }), deletedAt: IsoTimestamp }),
  'OrderDeleted',
);

/** Payload of `OrderRevoked`: cancelled after approval and before execution, by an approver of the service or a company admin. */
export const OrderRevokedCodec = t.readonly(
  t.type({ orderId: EntityIdCodec, companyId: EntityIdCodec, revokedBy: EntityIdCodec, as: t.keyof({ approver: null, 'company-admin': null }), revokedAt: IsoTimestamp }),
  'OrderRevoked',
);

/** Payload of `OrderExecuted`: the bank carried the order out. */
export const OrderExecutedCodec = t.readonly(
  t.intersection([t.type({ orderId: EntityIdCodec, companyId: EntityIdCodec, executedBy: t.string, executedAt: IsoTimestamp }), t.partial({ bankReference: t.string })]),
  'OrderExecuted',
);

/** The order stream's events, defined once (schema version 1). */
export const orderEvents = defineEvents({
  OrderUploaded: OrderUploadedCodec,
  OrderLevelApproved: OrderLevelApprovedCodec,
  OrderApproved: OrderApprovedCodec,
  OrderDeleted: OrderDeletedCodec,
  OrderRevoked: OrderRevokedCodec,
  OrderExecuted: OrderExecutedCodec,
});

/** The io-ts codec of each order event's payload, by event type. */
export const orderEventCodecs = orderEvents.codecs;

/** The name of an event of an order's stream. */
export type OrderEventType = keyof typeof orderEventCodecs;

/** An event of an order's stream. */
export type OrderEvent = EventsOf<typeof orderEventCodecs>;

/** The order event of type `K`. */
export type OrderEventOf<K extends OrderEventType> = Extract<OrderEvent, { readonly type: K }>;
