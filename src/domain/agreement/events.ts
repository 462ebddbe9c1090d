import * as t from 'io-ts';
import { defineEvents, type EventsOf } from '../../events/define-events.js';
import { ApprovalFactorCodec, DynamicLinkingAboveCodec } from './approval-factor.js';
import { ApprovalLevelCodec, EntityIdCodec, FingerprintCodec, ServiceIdCodec } from './ids.js';

/** Payload of `ServiceAgreementRegistered`: the annex to the service contract, as first registered. */
export const ServiceAgreementRegisteredCodec = t.readonly(
  t.type({ companyId: EntityIdCodec, serviceId: ServiceIdCodec, approvalLevels: ApprovalLevelCodec }),
  'ServiceAgreementRegistered',
);

/** Payload of `ApprovalLevelsChanged`: the annex was amended. Orders already uploaded keep the levels they were uploaded with. */
export const ApprovalLevelsChangedCodec = t.readonly(
  t.type({ companyId: EntityIdCodec, serviceId: ServiceIdCodec, from: ApprovalLevelCodec, to: ApprovalLevelCodec }),
  'ApprovalLevelsChanged',
);

/** Payload of `ApprovalFactorChanged`: which factor confirms approvals of the service's orders from now on (pending orders included). */
export const ApprovalFactorChangedCodec = t.readonly(
  t.type({ companyId: EntityIdCodec, serviceId: ServiceIdCodec, approvalFactor: ApprovalFactorCodec, dynamicLinkingAbove: DynamicLinkingAboveCodec }),
  'ApprovalFactorChanged',
);

/** Payload of `ApproverGranted`: `userId` may approve `level` of this service's orders. */
export const ApproverGrantedCodec = t.readonly(
  t.type({ companyId: EntityIdCodec, serviceId: ServiceIdCodec, userId: EntityIdCodec, level: ApprovalLevelCodec }),
  'ApproverGranted',
);

/** Payload of `ApproverRevoked`: `userId` no longer approves `level`. Approvals already given stand. */
export const ApproverRevokedCodec = t.readonly(
  t.type({ companyId: EntityIdCodec, serviceId: ServiceIdCodec, userId: EntityIdCodec, level: ApprovalLevelCodec }),
  'ApproverRevoked',
);

/** Payload of `OrderFingerprintRecorded`: a live order (pending approval or execution) and its content fingerprint. */
export const OrderFingerprintRecordedCodec = t.readonly(
  t.type({ orderId: EntityIdCodec, fingerprint: FingerprintCodec }),
  'OrderFingerprintRecorded',
);

/** Payload of `OrderFingerprintReleased`: the order is no longer live (deleted, revoked or executed). */
export const OrderFingerprintReleasedCodec = t.readonly(
  t.type({ orderId: EntityIdCodec, fingerprint: FingerprintCodec }),
  'OrderFingerprintReleased',
);

/** The agreement stream's events, defined once (schema version 1). */
export const agreementEvents = defineEvents({
  ServiceAgreementRegistered: ServiceAgreementRegisteredCodec,
  ApprovalLevelsChanged: ApprovalLevelsChangedCodec,
  ApprovalFactorChanged: ApprovalFactorChangedCodec,
  ApproverGranted: ApproverGrantedCodec,
  ApproverRevoked: ApproverRevokedCodec,
  OrderFingerprintRecorded: OrderFingerprintRecordedCodec,
  OrderFingerprintReleased: OrderFingerprintReleasedCodec,
});

/** The io-ts codec of each agreement event's payload, by event type. */
export const agreementEventCodecs = agreementEvents.codecs;

/** The name of an event of the `agreement-{companyId}-{serviceId}` stream. */
export type AgreementEventType = keyof typeof agreementEventCodecs;

/** An event of the `agreement-{companyId}-{serviceId}` stream. */
export type AgreementEvent = EventsOf<typeof agreementEventCodecs>;

/** The agreement event of type `K`. */
export type AgreementEventOf<K extends AgreementEventType> = Extract<AgreementEvent, { readonly type: K }>;
