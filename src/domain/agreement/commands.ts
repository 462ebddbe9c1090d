import * as t from 'io-ts';
import { commandEnvelopeCodec } from '../../events/command-envelope.js';
import { ApprovalLevelCodec, EntityIdCodec, ServiceIdCodec } from './ids.js';
import { ApprovalFactorCodec, DynamicLinkingAboveCodec } from './approval-factor.js';

/**
 * `RegisterServiceAgreement`: the annex to the service contract fixes how many approval levels the
 * service's orders need (1..4) and, optionally, which factor confirms their approval
 * (`approvalFactor`, with `dynamicLinkingAbove`: see `ApprovalFactorPolicy`). Registering again
 * amends it; a factor left out keeps the one in force (the OTP rule at first).
 */
export const RegisterServiceAgreementCodec = t.readonly(
  t.intersection([
    t.type({
      type: t.literal('RegisterServiceAgreement'),
      companyId: EntityIdCodec,
      serviceId: ServiceIdCodec,
      approvalLevels: ApprovalLevelCodec,
    }),
    t.partial({ approvalFactor: ApprovalFactorCodec, dynamicLinkingAbove: DynamicLinkingAboveCodec }),
  ]),
  'RegisterServiceAgreement',
);

/** `GrantApprover`: `userId` may approve `level` of the service's orders. */
export const GrantApproverCodec = t.readonly(
  t.type({
    type: t.literal('GrantApprover'),
    companyId: EntityIdCodec,
    serviceId: ServiceIdCodec,
    userId: EntityIdCodec,
    level: ApprovalLevelCodec,
  }),
  'GrantApprover',
);

/** `RevokeApprover`: withdraws one level from `userId`, or every level when `level` is absent. */
export const RevokeApproverCodec = t.intersection(
  [
    t.type({
      type: t.literal('RevokeApprover'),
      companyId: EntityIdCodec,
      serviceId: ServiceIdCodec,
      userId: EntityIdCodec,
    }),
    t.partial({ level: ApprovalLevelCodec }),
  ],
  'RevokeApprover',
);

/** A decoded `RegisterServiceAgreement` command (its domain fields). */
export type RegisterServiceAgreement = t.TypeOf<typeof RegisterServiceAgreementCodec>;
/** A decoded `GrantApprover` command (its domain fields). */
export type GrantApprover = t.TypeOf<typeof GrantApproverCodec>;
/** A decoded `RevokeApprover` command (its domain fields). */
export type RevokeApprover = t.TypeOf<typeof RevokeApproverCodec>;

/** A command on an `agreement-{companyId}-{serviceId}` stream. */
export type AgreementCommand = RegisterServiceAgreement | GrantApprover | RevokeApprover;

/** `GrantApprover` with its command envelope. */
export const GrantApproverCommandCodec = t.intersection([commandEnvelopeCodec, GrantApproverCodec], 'GrantApproverCommand');

/** `RegisterServiceAgreement` with its command envelope. */
export const RegisterServiceAgreementCommandCodec = t.intersection([commandEnvelopeCodec, RegisterServiceAgreementCodec], 'RegisterServiceAgreementCommand');

/** `RevokeApprover` with its command envelope. */
export const RevokeApproverCommandCodec = t.intersection([commandEnvelopeCodec, RevokeApproverCodec], 'RevokeApproverCommand');
