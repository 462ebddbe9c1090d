import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import type { SdkError } from '../../errors/sdk-error.js';
import { infrastructure } from '../../errors/sdk-error.js';
import type { JsonValue } from '../../events/envelope.js';
import type { EventRegistry } from '../../events/event-registry.js';
import { validationIssues } from '../../events/field-issues.js';
import { CurrencyCodeCodec } from '../../money/codecs.js';
import { agreementStreamId, ApprovalLevelCodec } from '../../domain/agreement/ids.js';
import type { RegisteredAgreement } from '../../domain/agreement/state.js';
import { ApprovalFactorCodec, defaultApprovalFactorPolicy, DynamicLinkingAboveCodec } from '../../domain/agreement/approval-factor.js';
import { OrderKindCodec, StoredPaymentCodec } from '../../domain/order/events.js';
import { approvalSummaryOf } from '../../domain/order/approval-summary.js';
import type { PersistentMap } from '../../collections/persistent-map.js';
import { emptyMap, entriesOf, getEntry, setEntry } from '../../collections/persistent-map.js';
import { OrderStatusCodec } from '../../domain/order/status.js';
import { decodedProjection } from '../decoded-projection.js';
import type { Projection } from '../projection.js';
import { emptyVector, pushValue, valueAt } from '../../collections/persistent-vector.js';
import type { OrderRow, OrdersReadModel } from './read-model.js';
import { emptyOrdersReadModel, evolveOrdersReadModel, foldOrdersEvent, orderKey } from './read-model.js';

const ApprovalJson = t.type({ level: ApprovalLevelCodec, userId: t.string, at: t.string });
const ClosureJson = t.intersection([
  t.type({ by: t.string, as: t.keyof({ uploader: null, 'company-admin': null, approver: null, bank: null }), at: t.string }),
  t.partial({ bankReference: t.string }),
]);
const OrderRowJson = t.intersection([
  t.type({
    orderId: t.string,
    companyId: t.string,
    serviceId: t.string,
    kind: OrderKindCodec,
    reference: t.string,
    transactionCount: t.number,
    total: t.string,
    currency: CurrencyCodeCodec,
    status: OrderStatusCodec,
    requiredLevels: ApprovalLevelCodec,
    approvals: t.readonlyArray(ApprovalJson),
    uploadedBy: t.string,
    uploadedAt: t.string,
    possibleDuplicate: t.boolean,
    duplicateOf: t.readonlyArray(t.string),
    updatedAt: t.string,
  }),
  // Checkpoints written before orders carried payments have no summary: it is rebuilt from the row.
  t.partial({
    closedBy: ClosureJson,
    payments: t.readonlyArray(StoredPaymentCodec),
    summary: t.type({ orderId: t.string, total: t.string, currency: t.string, transactionCount: t.number, payees: t.number, largest: t.readonlyArray(StoredPaymentCodec), itemised: t.boolean }),
  }),
]);
const AgreementJson = t.intersection([
  t.type({
    companyId: t.string,
    serviceId: t.string,
    approvalLevels: ApprovalLevelCodec,
    approvers: t.readonlyArray(t.type({ userId: t.string, levels: t.readonlyArray(ApprovalLevelCodec) })),
  }),
  // Absent in checkpoints written before approval factors: the OTP rule.
  t.partial({ approvalFactor: ApprovalFactorCodec, dynamicLinkingAbove: DynamicLinkingAboveCodec }),
]);

/** The JSON form of the orders read model in a checkpoint (version 1): rows per company in upload order, agreements in registration order. */
export const SerializedOrdersCodec = t.type({
  version: t.literal(1),
  companies: t.readonlyArray(t.type({ companyId: t.string, orders: t.readonlyArray(OrderRowJson) })),
  agreements: t.readonlyArray(AgreementJson),
});

/** The orders read model as JSON, for durable projection runners' checkpoints. */
export const serializeOrdersReadModel = (model: OrdersReadModel): JsonValue => {
  const companies = [...entriesOf(model.byCompany)].map(([companyId, orderIds]) => ({
    companyId,
    orders: Array.from({ length: orderIds.size }, (_, index) => valueAt(orderIds, index))
      .map((orderId) => (orderId === undefined ? undefined : getEntry(model.rows, orderKey(companyId, orderId))))
      .filter((row): row is OrderRow => row !== undefined)
      .map((row) => {
        const payments = getEntry(model.payments, orderKey(companyId, row.orderId));
        return payments === undefined ? row : { ...row, payments };
      }),
  }));
  const agreements = [...entriesOf(model.servicesByCompany)].flatMap(([companyId, serviceIds]) =>
    serviceIds.flatMap((serviceId) => {
      const agreement = getEntry(model.agreements, agreementStreamId(companyId, serviceId));
      return agreement === undefined
        ? []
        : [
            {
              companyId,
              serviceId,
              approvalLevels: agreement.approvalLevels,
              approvers: [...entriesOf(agreement.grants)].map(([userId, levels]) => ({ userId, levels })),
              ...agreement.approvalFactor,
            },
          ];
    }),
  );
  return JSON.parse(JSON.stringify({ version: 1, companies, agreements })) as JsonValue;
};

/** Rebuilds the orders read model from its JSON form; a checkpoint that does not match is an `Infrastructure` error. */
export const deserializeOrdersReadModel = (json: JsonValue): Either<SdkError, OrdersReadModel> =>
  pipe(
    SerializedOrdersCodec.decode(json),
    E.mapLeft((errors) =>
      infrastructure(
        `orders checkpoint is not readable: ${validationIssues(errors)
          .map((issue) => `${issue.path}: ${issue.message}`)
          .join('; ')}`,
      ),
    ),
    E.map((serialized) => {
      let model = emptyOrdersReadModel;
      for (const { companyId, orders } of serialized.companies) {
        let orderIds = emptyVector<string>();
        let rows = model.rows;
        let payments = model.payments;
        for (const { payments: paid, ...row } of orders) {
          orderIds = pushValue(orderIds, row.orderId);
          rows = setEntry(rows, orderKey(companyId, row.orderId), { ...row, companyId, summary: row.summary ?? approvalSummaryOf({ ...row, ...(paid === undefined ? {} : { payments: paid }) }) });
          if (paid !== undefined) payments = setEntry(payments, orderKey(companyId, row.orderId), paid);
        }
        model = { ...model, rows, payments, byCompany: setEntry(model.byCompany, companyId, orderIds) };
      }
      for (const { companyId, serviceId, approvalLevels, approvers, approvalFactor, dynamicLinkingAbove } of serialized.agreements) {
        let grants: PersistentMap<readonly (1 | 2 | 3 | 4)[]> = emptyMap();
        for (const { userId, levels } of approvers) grants = setEntry(grants, userId, levels);
        const factor = { approvalFactor: approvalFactor ?? defaultApprovalFactorPolicy.approvalFactor, dynamicLinkingAbove: dynamicLinkingAbove ?? {} };
        const agreement: RegisteredAgreement = { status: 'registered', companyId, serviceId, approvalLevels, approvalFactor: factor, grants, liveOrders: emptyMap(), liveByFingerprint: emptyMap() };
        model = { ...model, agreements: setEntry(model.agreements, agreementStreamId(companyId, serviceId), agreement) };
        const services = [...(getEntry(model.servicesByCompany, companyId) ?? []), serviceId];
        model = { ...model, servicesByCompany: setEntry(model.servicesByCompany, companyId, services) };
      }
      return model;
    }),
  );

/**
 * The orders projection: the read model behind the order views, for the inline runner (current
 * right after each dispatch) and for durable catch-up runners (with its checkpoint JSON). With the
 * host's event registry, stored events are read through it (upcasting older schema versions);
 * without one, payloads are checked against this version's codecs.
 */
export const ordersProjection = (registry?: EventRegistry): Projection<OrdersReadModel> => {
  const spec = { name: 'orders', initialState: emptyOrdersReadModel, serialize: serializeOrdersReadModel, deserialize: deserializeOrdersReadModel };
  return registry === undefined ? { ...spec, evolve: evolveOrdersReadModel() } : decodedProjection(registry, { ...spec, evolve: (model, event) => foldOrdersEvent(model, event) });
};
