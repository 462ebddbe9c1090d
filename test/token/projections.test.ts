import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { Actor, JsonObject, JsonValue, StoredEvent } from '../../src/events/envelope.js';
import { deserializeAudit, serializeAudit } from '../../src/projections/audit/serialize.js';
import { deserializeTokenTable, serializeTokenTable } from '../../src/projections/token-table/serialize.js';
import { auditPage } from '../../src/projections/audit/view.js';
import { emptyAudit, evolveAudit, type AuditState } from '../../src/projections/audit/state.js';
import { emptyTokenTable, evolveTokenTable, type TokenTableState } from '../../src/projections/token-table/state.js';
import { tokenTablePage } from '../../src/projections/token-table/view.js';
import { defaultCompanyPolicy } from '../../src/domain/company/policy.js';
import { T0 } from './fixtures.js';

const admin: Actor = { kind: 'user', companyId: 'acme', userId: 'admin' };
const bank: Actor = { kind: 'bank', operatorId: 'op-1' };

let position = 0;
const stored = (streamId: string, type: string, data: JsonObject, commandId: string, actor: Actor = admin, atMs = T0): StoredEvent => {
  position += 1;
  return {
    eventId: `e${position}`,
    streamId,
    streamVersion: 1,
    globalPosition: position,
    type,
    schemaVersion: 1,
    data,
    metadata: { commandId, correlationId: commandId, causationId: commandId, actor, occurredAt: new Date(atMs).toISOString() },
    prevHash: '0'.repeat(64),
    hash: '0'.repeat(64),
  };
};

const policy = defaultCompanyPolicy as unknown as JsonObject;
const users = ['Carla', 'Ana', 'Beto', 'Dora', 'Eva', 'Fabio'];

const history = (): StoredEvent[] => {
  position = 0;
  const events: StoredEvent[] = [stored('company-acme', 'CompanyConfigured', { quota: 5, policy }, 'c0', bank)];
  users.forEach((name, index) => {
    const serial = `ST000000000${index}`;
    const command = `req-${index}`;
    if (index < 5) events.push(stored('company-acme', 'TokenSlotReserved', { serial, userId: name.toLowerCase() }, command));
    events.push(stored(`token-${serial}`, 'TokenRequested', { serial, companyId: 'acme', userId: name.toLowerCase(), userName: name }, command, admin, T0 + index * 1000));
  });
  events.push(
    stored('token-ST0000000000', 'OtpAccepted', { step: '100', drift: 0, command: 'ConfirmTokenAssignment' }, 'confirm-0', admin, T0 + 10_000),
    stored(
      'token-ST0000000000',
      'TokenAssignmentConfirmed',
      { activationCodeRef: 'ref', activationCodeExpiresAt: new Date(T0).toISOString(), parameters: defaultCompanyPolicy.otp as unknown as JsonObject, confirmation: 'admin-otp' },
      'confirm-0',
      admin,
      T0 + 10_000,
    ),
    stored('token-ST0000000001', 'TokenLocked', { reason: 'otp-failures', failures: 10, unlocksAt: new Date(T0 + 60_000).toISOString() }, 'lock-1', admin, T0 + 20_000),
    stored('token-ST0000000002', 'OtpRejected', { reason: 'mismatch', failures: 1, command: 'DeleteToken' }, 'del-2', admin, T0 + 30_000),
    stored('token-ST0000000003', 'TokenDeleted', { destroyedSecretRefs: [] }, 'del-3', admin, T0 + 40_000),
    stored('company-acme', 'TokenSlotReleased', { serial: 'ST0000000003', userId: 'dora' }, 'del-3', admin, T0 + 40_000),
    stored('company-other', 'Unrelated', {}, 'x'),
    stored('order-1', 'OrderUploaded', { companyId: 'acme' }, 'up-1'),
  );
  return events;
};

const table = (): TokenTableState => history().reduce(evolveTokenTable, emptyTokenTable);

describe('the token table', () => {
  it('shows a company\'s live tokens with quota, status and paging', () => {
    // The names are the Directory's, given at read time.
    const page = tokenTablePage(table(), 'acme', { pageSize: 5 }, T0 + 30_000, (userId) => users.find((name) => name.toLowerCase() === userId) ?? userId);
    if (E.isLeft(page)) throw new Error(page.left.message);
    expect(page.right.quota).toEqual({ total: 5, available: 1 });
    expect(page.right.rows.map((row) => [row.userName, row.status, row.locked])).toEqual([
      ['Ana', 'pending', true],
      ['Beto', 'pending', false],
      ['Carla', 'assigned', false],
      ['Eva', 'pending', false],
      ['Fabio', 'pending', false],
    ]);
    expect(page.right.summary).toBe('showing 1 to 5 of 5');
    expect(page.right.rows[2]!.lastUpdate).toBe(new Date(T0 + 10_000).toISOString());
    // An OTP rejection is a use, not a lifecycle change.
    expect(page.right.rows[1]!.lastUpdate).toBe(new Date(T0 + 2000).toISOString());
  });

  it('keeps no name of its own: version 1 events that carried one still fold, and the name shown is only ever the one given at read time', () => {
    // history() writes TokenRequested as 0.1 did, with the owner's name in the payload.
    const state = table();
    expect(JSON.stringify([...state.companies.values()].map((company) => [...company.rows.values()]))).not.toMatch(/Ana|Beto|Carla/);
    const forgotten = tokenTablePage(state, 'acme', { pageSize: 5 }, T0 + 30_000);
    expect(E.isRight(forgotten) && forgotten.right.rows.map((row) => row.userName)).toEqual(['ana', 'beto', 'carla', 'eva', 'fabio']);
  });

  it('lifts a timed lock when its time has come, and pages, sorts and includes deleted rows on request', () => {
    const state = table();
    const later = tokenTablePage(state, 'acme', { sortBy: 'serial', order: 'desc', pageSize: 2, page: 2, includeDeleted: true }, T0 + 60_000);
    if (E.isLeft(later)) throw new Error(later.left.message);
    expect(later.right.rows.map((row) => row.serial)).toEqual(['ST0000000003', 'ST0000000002']);
    expect(later.right.summary).toBe('showing 3 to 4 of 6');
    const all = tokenTablePage(state, 'acme', { pageSize: 100 }, T0 + 60_000);
    expect(E.isRight(all) && all.right.rows.every((row) => !row.locked)).toBe(true);
    const beyond = tokenTablePage(state, 'acme', { page: 9 }, T0);
    expect(E.isRight(beyond) && beyond.right.summary).toBe('showing 0 to 0 of 5');
  });

  it('refuses bad paging by field, and unknown companies', () => {
    expect(tokenTablePage(table(), 'acme', { page: 0, pageSize: 101 }, T0)).toEqual(
      E.left(expect.objectContaining({ _tag: 'InvalidCommand', issues: [expect.objectContaining({ path: 'page' }), expect.objectContaining({ path: 'pageSize' })] })),
    );
    expect(tokenTablePage(table(), 'acme', { sortBy: 'x' as never, order: 'up' as never }, T0)).toEqual(E.left(expect.objectContaining({ _tag: 'InvalidCommand' })));
    expect(tokenTablePage(table(), 'nobody', {}, T0)).toEqual(E.left(expect.objectContaining({ _tag: 'NotFound' })));
  });

  it('is rebuilt to the same state from the same events', () => {
    expect(history().reduce(evolveTokenTable, emptyTokenTable)).toEqual(table());
  });
});

describe('the audit trail', () => {
  const audit = (): AuditState => history().reduce((state, event) => evolveAudit(state, event), emptyAudit);

  it('has one entry per command, newest first, with who, what, when and the factor', () => {
    const page = auditPage(audit(), { companyId: 'acme', pageSize: 100 });
    if (E.isLeft(page)) throw new Error(page.left.message);
    const byCommand = new Map(page.right.entries.map((entry) => [entry.commandId, entry]));
    expect(byCommand.get('confirm-0')).toMatchObject({
      action: 'ConfirmTokenAssignment',
      outcome: 'succeeded',
      factor: { kind: 'otp', serial: 'ST0000000000', step: '100' },
      actor: admin,
      events: ['OtpAccepted', 'TokenAssignmentConfirmed'],
    });
    expect(byCommand.get('del-2')).toMatchObject({ action: 'DeleteToken', outcome: 'failed', factor: { kind: 'none' } });
    expect(byCommand.get('del-3')).toMatchObject({ action: 'DeleteToken', outcome: 'succeeded', streams: ['token-ST0000000003', 'company-acme'] });
    expect(byCommand.get('req-0')).toMatchObject({ action: 'RequestTokenAssignment', factor: { kind: 'none' } });
    expect(byCommand.get('c0')).toMatchObject({ action: 'ConfigureCompany', actor: bank, companyIds: ['acme'] });
    expect(byCommand.get('up-1')).toMatchObject({ action: 'OrderUploaded' });
    expect(page.right.entries[0]!.position).toBeGreaterThan(page.right.entries[1]!.position);
  });

  it('filters by actor, serial and action, and pages', () => {
    const state = audit();
    const bankOnly = auditPage(state, { actorId: 'op-1' });
    expect(E.isRight(bankOnly) && bankOnly.right.entries.map((entry) => entry.commandId)).toEqual(['c0']);
    const serial = auditPage(state, { serial: 'ST0000000000' });
    expect(E.isRight(serial) && serial.right.entries.map((entry) => entry.commandId)).toEqual(['confirm-0', 'req-0']);
    const deletes = auditPage(state, { action: 'DeleteToken', pageSize: 1, page: 2 });
    expect(E.isRight(deletes) && deletes.right.paging).toEqual({ page: 2, pageSize: 1, from: 2, to: 2, total: 2 });
    expect(auditPage(state, { page: -1 })).toEqual(E.left(expect.objectContaining({ _tag: 'InvalidCommand' })));
  });

  it('groups a command whose events were interleaved with another commit', () => {
    position = 0;
    const events = [
      stored('token-A', 'TokenDeleted', { destroyedSecretRefs: [] }, 'one'),
      stored('token-B', 'TokenDeleted', { destroyedSecretRefs: [] }, 'two'),
      stored('company-acme', 'TokenSlotReleased', { serial: 'A', userId: 'ana' }, 'one'),
    ];
    const state = events.reduce((s, e) => evolveAudit(s, e), emptyAudit);
    expect(state.count).toBe(2);
    const page = auditPage(state);
    expect(E.isRight(page) && page.right.entries.map((entry) => [entry.commandId, entry.events.length])).toEqual([
      ['two', 1],
      ['one', 2],
    ]);
  });
});

describe('checkpoints', () => {
  it('round-trip the token table through JSON', () => {
    const state = table();
    const json = JSON.parse(JSON.stringify(serializeTokenTable(state))) as JsonValue;
    const restored = deserializeTokenTable(json);
    expect(restored).toEqual(E.right(state));
    expect(deserializeTokenTable({ companies: 'nope' })).toEqual(E.left(expect.objectContaining({ _tag: 'Infrastructure' })));
  });

  it('round-trip the audit trail through JSON, and keep folding after it', () => {
    const events = history();
    const state = events.reduce((s, e) => evolveAudit(s, e), emptyAudit);
    const restored = deserializeAudit(JSON.parse(JSON.stringify(serializeAudit(state))) as JsonValue);
    if (E.isLeft(restored)) throw new Error(restored.left.message);
    expect(auditPage(restored.right, { pageSize: 100 })).toEqual(auditPage(state, { pageSize: 100 }));
    const next = stored('token-ST0000000004', 'TokenDeleted', { destroyedSecretRefs: [] }, 'later');
    expect(auditPage(evolveAudit(restored.right, next), { pageSize: 100 })).toEqual(auditPage(evolveAudit(state, next), { pageSize: 100 }));
    expect(deserializeAudit([])).toEqual(E.left(expect.objectContaining({ _tag: 'Infrastructure' })));
  });
});
