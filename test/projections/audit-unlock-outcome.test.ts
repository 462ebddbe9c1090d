import { describe, expect, it } from 'vitest';
import type { Actor, JsonObject, StoredEvent } from '../../src/events/envelope.js';
import { auditEntries, emptyAudit, evolveAudit } from '../../src/projections/audit/state.js';

const bank: Actor = { kind: 'bank', operatorId: 'op-1' };
const owner: Actor = { kind: 'user', companyId: 'acme', userId: 'ana' };

let position = 0;
const stored = (type: string, data: JsonObject, commandId: string, actor: Actor): StoredEvent => {
  position += 1;
  return {
    eventId: `e${position}`,
    streamId: 'token-ST0000000001',
    streamVersion: position,
    globalPosition: position,
    type,
    schemaVersion: 1,
    data,
    metadata: { commandId, correlationId: commandId, causationId: commandId, actor, occurredAt: new Date(0).toISOString() },
    prevHash: '0'.repeat(64),
    hash: '0'.repeat(64),
  };
};

const outcomes = (events: readonly StoredEvent[]) => [...auditEntries(events.reduce((state, event) => evolveAudit(state, event), emptyAudit))].map((entry) => [entry.action, entry.outcome]);

describe('the audit trail tells an unlock from a refusal', () => {
  it('records a bank unlock as a succeeded UnlockToken', () => {
    expect(outcomes([stored('TokenUnlocked', { by: 'bank' }, 'unlock-1', bank)])).toEqual([['UnlockToken', 'succeeded']]);
  });

  it('still records a wrong code after a timed unlock as failed', () => {
    expect(
      outcomes([
        stored('TokenUnlocked', { by: 'timer' }, 'verify-1', owner),
        stored('OtpRejected', { reason: 'mismatch', failures: 1, command: 'VerifyOtp' }, 'verify-1', owner),
      ]),
    ).toEqual([['VerifyOtp', 'failed']]);
  });

  it('records a timed unlock followed by an accepted code as succeeded', () => {
    expect(
      outcomes([
        stored('TokenUnlocked', { by: 'timer' }, 'verify-2', owner),
        stored('OtpAccepted', { step: '1', drift: 0, command: 'VerifyOtp' }, 'verify-2', owner),
      ]),
    ).toEqual([['VerifyOtp', 'succeeded']]);
  });
});
