/**
 * Stored events are hash-chained: how an event type is defined may change, the bytes it is
 * written as may not. One sample of every event type of both domains, encoded by the registry
 * the SDK builds, must give the canonical JSON recorded before event definitions were unified.
 */
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/events/canonical-json.js';
import { eventRegistry } from '../../src/events/event-registry.js';
import { tokenEventDefinitions } from '../../src/domain/token/definitions.js';
import { ordersEventDefinitions } from '../../src/domain/order/event-definitions.js';
import { defaultCompanyPolicy } from '../../src/domain/company/policy.js';

const at = '2025-01-31T14:05:00.000Z';
const fp = 'ab'.repeat(32);
const parameters = { mode: 'totp', algorithm: 'SHA1', digits: 6, period: 30, past: 1, future: 1, lookAhead: 10 };

const { reactivationBy: _r, recoveryCodeCount: _c, recoveryCodeTtlSeconds: _t, emergencyCodeTtlSeconds: _e, ...policyBeforeTokenLife } = defaultCompanyPolicy;

const samples: Readonly<Record<string, unknown>> = {
  TokenRequested: { serial: 'ST-1', companyId: 'c-1', userId: 'u-1' },
  TokenAssignmentConfirmed: { activationCodeRef: 'ref-a', activationCodeExpiresAt: at, parameters, confirmation: 'admin-otp' },
  ActivationCodeReissued: { activationCodeRef: 'ref-b', activationCodeExpiresAt: at, parameters, destroyedSecretRefs: ['ref-a'] },
  RegistrationCodeRejected: { failures: 1, attemptsLeft: 2, destroyedSecretRefs: [] },
  DeviceEnrolled: { method: 'activation-code', seedRef: 'seed-1', destroyedSecretRefs: ['ref-b'] },
  ConfirmationRequested: { challengeId: 'challenge-1', challenge: 'AAAA', digest: 'ab'.repeat(32), command: 'DeleteToken', summary: 'Delete token ST1', expiresAt: '2025-01-15T09:02:00.000Z' },
  ConfirmationAccepted: { challengeId: 'challenge-1', command: 'DeleteToken' },
  ConfirmationRejected: { challengeId: 'challenge-1', command: 'DeleteToken' },
  ConfirmationRefused: { reason: 'bad-signature', failures: 1, command: 'DeleteToken' },
  SecurityAnswerRejected: { failures: 2 },
  TokenActivated: { method: 'admin' },
  PhysicalTokenImported: { serial: 'PT-1', companyId: 'c-1', userId: 'u-1', seedRef: 'seed-2', parameters },
  PhysicalTokenPooled: { serial: 'PT-2', companyId: 'c-1', seedRef: 'seed-3', parameters, counter: '0' },
  PhysicalTokenAssigned: { userId: 'u-2' },
  PhysicalTokenDisabled: { replacedBy: 'ST-1', destroyedSecretRefs: ['seed-2'] },
  TokenDeleted: { destroyedSecretRefs: ['seed-1'] },
  OtpAccepted: { step: '58494123', drift: -1, command: 'cmd-1' },
  OtpRejected: { reason: 'mismatch', failures: 3, command: 'cmd-2' },
  TokenLocked: { reason: 'otp-failures', failures: 5, unlocksAt: null },
  TokenUnlocked: { by: 'bank' },
  TokenResynced: { step: '58494200', drift: 12 },
  TokenSuspended: { by: 'admin', destroyedSecretRefs: ['activation-code-3'] },
  TokenResumed: { by: 'bank' },
  TokenReportedLost: {
    by: 'owner',
    destroyedSecretRefs: [],
    temporaryAccess: { kind: 'recovery-codes', salt: '00112233445566778899aabbccddeeff', digests: ['ab'.repeat(32), 'cd'.repeat(32)], expiresAt: '2025-01-22T14:00:05.000Z' },
  },
  RecoveryCodeUsed: { index: 1, command: 'VerifyOtp' },
  ReactivationStarted: { activationCodeRef: 'activation-code-4', activationCodeExpiresAt: '2025-01-18T14:00:05.000Z', parameters: defaultCompanyPolicy.otp, destroyedSecretRefs: [] },
  DeviceReplaced: { method: 'activation-code', seedRef: 'seed-2', destroyedSecretRefs: ['seed-1', 'activation-code-4'] },
  // A policy as recorded before the token-life settings existed: its bytes do not change.
  CompanyConfigured: { quota: 10, policy: policyBeforeTokenLife },
  TokenSlotReserved: { serial: 'ST-1', userId: 'u-1' },
  TokenSlotReleased: { serial: 'ST-1', userId: 'u-1' },
  PhysicalTokenRegistered: { serial: 'PT-1', userId: 'u-1' },
  PhysicalTokenRetired: { serial: 'PT-1', userId: 'u-1' },
  SecurityAnswerFailed: { userId: 'u-1', serial: 'ST-1', failures: 1 },
  SecurityAnswerFailuresCleared: { userId: 'u-1', by: 'admin' },
  ServiceAgreementRegistered: { companyId: 'c-1', serviceId: 'PAGOS', approvalLevels: 2 },
  ApprovalLevelsChanged: { companyId: 'c-1', serviceId: 'PAGOS', from: 2, to: 3 },
  ApprovalFactorChanged: { companyId: 'c-1', serviceId: 'PAGOS', approvalFactor: 'dynamic-linking', dynamicLinkingAbove: { EUR: '1000.00' } },
  ApproverGranted: { companyId: 'c-1', serviceId: 'PAGOS', userId: 'u-2', level: 1 },
  ApproverRevoked: { companyId: 'c-1', serviceId: 'PAGOS', userId: 'u-2', level: 1 },
  OrderFingerprintRecorded: { orderId: 'o-1', fingerprint: fp },
  OrderFingerprintReleased: { orderId: 'o-1', fingerprint: fp },
  OrderUploaded: {
    orderId: 'o-1', companyId: 'c-1', serviceId: 'PAGOS', kind: 'file', reference: 'NOM-01', transactionCount: 3, total: '1500.00',
    currency: 'EUR', uploadedBy: 'u-1', uploadedAt: at, requiredLevels: 2, fingerprint: fp, possibleDuplicate: false, duplicateOf: [],
  },
  OrderLevelApproved: { orderId: 'o-1', companyId: 'c-1', level: 1, userId: 'u-2', approvedAt: at },
  OrderApproved: { orderId: 'o-1', companyId: 'c-1', approvedAt: at },
  OrderDeleted: { orderId: 'o-1', companyId: 'c-1', deletedBy: 'u-1', as: 'uploader', deletedAt: at },
  OrderRevoked: { orderId: 'o-1', companyId: 'c-1', revokedBy: 'u-2', as: 'approver', revokedAt: at },
  OrderExecuted: { orderId: 'o-1', companyId: 'c-1', executedBy: 'bank-1', executedAt: at, bankReference: 'BR-9' },
};

describe('event encoding is byte-identical', () => {
  const registry = eventRegistry([...tokenEventDefinitions, ...ordersEventDefinitions]);

  it('has a sample of every registered event type', () => {
    expect([...registry.types].sort()).toEqual(Object.keys(samples).sort());
  });

  it('encodes every sample to the canonical JSON recorded before', () => {
    const encoded = Object.entries(samples).map(([type, data]) => {
      const result = registry.encode({ type, data });
      if (result._tag === 'Left') throw new Error(`${type}: ${result.left.message}`);
      return `${result.right.type} v${String(result.right.schemaVersion)} ${canonicalJson(result.right.data)}`;
    });
    expect(encoded.join('\n')).toMatchSnapshot();
  });

  it('reads the version 1 token events of 0.1 logs, which carried the owner\'s name, without it', () => {
    for (const [type, data] of [
      ['TokenRequested', { serial: 'ST-1', companyId: 'c-1', userId: 'u-1', userName: 'Ana' }],
      ['PhysicalTokenImported', { serial: 'PT-1', companyId: 'c-1', userId: 'u-1', userName: 'Ana', seedRef: 'seed-2', parameters }],
    ] as const) {
      const decoded = registry.decode({ type, schemaVersion: 1, data });
      expect(decoded).toMatchObject({ _tag: 'Right' });
      expect(JSON.stringify(decoded)).not.toContain('Ana');
    }
  });
});
