import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SdkError } from '../../src/errors/sdk-error.js';
import type { DispatchResult } from '../../src/commands/command-handler.js';
import { approveView, orderById, revokeView } from '../../src/projections/orders/views.js';
import type { Harness } from './dispatch-harness.js';
import { bankActor, harness, stubOtpGate, userOf } from './dispatch-harness.js';

const ok = (result: E.Either<SdkError, DispatchResult>): DispatchResult => {
  if (E.isLeft(result)) throw new Error(`${result.left.code}: ${result.left.message}`);
  return result.right;
};
const failed = (result: E.Either<SdkError, DispatchResult>): SdkError => {
  if (E.isRight(result)) throw new Error('expected a failure');
  return result.left;
};
const allEvents = async (h: Harness) => {
  const events = await h.store.readAll({ fromPosition: 0, limit: 10_000 })();
  if (E.isLeft(events)) throw new Error(events.left.message);
  return events.right;
};
const upload = (orderId: string, by = 'u1', extra: object = {}) => ({
  type: 'UploadOrder',
  actor: userOf(by),
  orderId,
  companyId: 'ACME',
  serviceId: 'S1',
  kind: 'file',
  reference: `${orderId}.txt`,
  transactionCount: 3,
  total: '250.5',
  currency: 'USD',
  ...extra,
});
const approve = (by: string, orderIds: readonly string[], otp?: string) => ({ type: 'ApproveOrders', actor: userOf(by), orderIds, ...(otp === undefined ? {} : { otp }) });

const setUp = async (h: Harness, levels = 2): Promise<void> => {
  ok(await h.dispatch({ type: 'RegisterServiceAgreement', actor: bankActor, companyId: 'ACME', serviceId: 'S1', approvalLevels: levels }));
  for (const [userId, level] of [['u2', 1], ['u3', 2], ['u4', 1], ['adm', 2]] as const) {
    ok(await h.dispatch({ type: 'GrantApprover', actor: bankActor, companyId: 'ACME', serviceId: 'S1', userId, level }));
  }
};

describe('order commands through dispatch', () => {
  let h: Harness;
  beforeEach(async () => {
    h = harness();
    await setUp(h);
  });

  it('uploads, approves level by level, revokes; outputs and views follow', async () => {
    const uploaded = ok(await h.dispatch(upload('o1')));
    expect(uploaded.output).toEqual({ orderId: 'o1', requiredLevels: 2, possibleDuplicate: false, duplicateOf: [] });
    expect(uploaded.events.map((event) => [event.streamId, event.type])).toEqual([
      ['payment-order-ACME-o1', 'OrderUploaded'],
      [expect.stringMatching(/^duplicate-index-ACME-S1-[0-9a-f]{64}$/), 'OrderFingerprintRecorded'],
    ]);
    expect(ok(await h.dispatch(approve('u2', ['o1']))).output).toEqual({ orders: [{ orderId: 'o1', status: 'pending-approval', level: 1 }] });
    h.clock.advance(60_000);
    expect(ok(await h.dispatch(approve('u3', ['o1']))).output).toEqual({ orders: [{ orderId: 'o1', status: 'approved', level: 2 }] });
    const row = orderById(h.projection.state(), 'ACME', 'o1');
    expect(row?.approvals).toEqual([
      { level: 1, userId: 'u2', at: '2025-06-02T09:00:00.000Z' },
      { level: 2, userId: 'u3', at: '2025-06-02T09:01:00.000Z' },
    ]);
    const toRevoke = revokeView(h.projection.state(), { companyId: 'ACME' });
    expect(E.isRight(toRevoke) && toRevoke.right.rows.map((r) => r.orderId)).toEqual(['o1']);
    expect(ok(await h.dispatch({ type: 'RevokeOrders', actor: userOf('u2'), orderIds: ['o1'] })).output).toEqual({ orders: [{ orderId: 'o1', status: 'revoked' }] });
    expect(orderById(h.projection.state(), 'ACME', 'o1')?.status).toBe('revoked');
  });

  it('a second dispatch of a commandId returns the first outcome and appends nothing', async () => {
    ok(await h.dispatch(upload('o1')));
    const first = ok(await h.dispatch({ ...approve('u2', ['o1']), commandId: 'same' }));
    const before = (await allEvents(h)).length;
    const again = ok(await h.dispatch({ ...approve('u2', ['o1']), commandId: 'same' }));
    expect(again.replayed).toBe(true);
    expect(again.output).toEqual(first.output);
    expect((await allEvents(h)).length).toBe(before);
    const uploadAgain = ok(await h.dispatch({ ...upload('o2'), commandId: 'up-2' }));
    expect(ok(await h.dispatch({ ...upload('o2'), commandId: 'up-2' })).output).toEqual(uploadAgain.output);
  });

  it('bad commands name their fields and append nothing', async () => {
    const before = (await allEvents(h)).length;
    const paths = (error: SdkError) => (error._tag === 'InvalidCommand' ? error.issues.map((issue) => issue.path) : []);
    expect(paths(failed(await h.dispatch(upload('o1', 'u1', { total: '10.555' }))))).toEqual(['total']);
    expect(paths(failed(await h.dispatch(upload('o1', 'u1', { total: 10.5 }))))).toEqual(['total']);
    expect(paths(failed(await h.dispatch(upload('o1', 'u1', { currency: 'XAU', kind: 'batch' }))))).toEqual(['kind', 'currency']);
    expect(paths(failed(await h.dispatch(approve('u2', ['o1', 'o1']))))).toEqual(['orderIds.1']);
    expect(paths(failed(await h.dispatch({ type: 'GrantApprover', actor: bankActor, companyId: 'ACME', serviceId: 'S1', userId: 'u2', level: 5 })))).toEqual(['level']);
    expect((await allEvents(h)).length).toBe(before);
  });

  it('a batch with one bad order approves nothing and names that order', async () => {
    ok(await h.dispatch(upload('o1')));
    ok(await h.dispatch(upload('o2', 'u2')));
    ok(await h.dispatch(upload('o3')));
    const before = (await allEvents(h)).length;
    const error = failed(await h.dispatch(approve('u2', ['o1', 'o2', 'o3'])));
    expect(error.code).toBe('FORBIDDEN');
    expect(error.message).toContain('order o2');
    expect((await allEvents(h)).length).toBe(before);
    expect(orderById(h.projection.state(), 'ACME', 'o1')?.approvals).toEqual([]);
    expect(ok(await h.dispatch(approve('u4', ['o1', 'o2', 'o3']))).output).toEqual({
      orders: ['o1', 'o2', 'o3'].map((orderId) => ({ orderId, status: 'pending-approval', level: 1 })),
    });
  });

  it('deletes (uploader or admin) and the bank executes; the fingerprint index follows', async () => {
    ok(await h.dispatch(upload('o1')));
    expect(ok(await h.dispatch(upload('o2', 'u2', { reference: 'o1.txt' }))).output).toMatchObject({ possibleDuplicate: true, duplicateOf: ['o1'] });
    expect(failed(await h.dispatch({ type: 'DeleteOrder', actor: userOf('u3'), orderId: 'o2' })).code).toBe('FORBIDDEN');
    const deleted = ok(await h.dispatch({ type: 'DeleteOrder', actor: userOf('adm'), orderId: 'o2' }));
    expect(deleted.events.map((event) => [event.streamId, event.type])).toEqual([
      ['payment-order-ACME-o2', 'OrderDeleted'],
      [expect.stringMatching(/^duplicate-index-ACME-S1-[0-9a-f]{64}$/), 'OrderFingerprintReleased'],
    ]);
    ok(await h.dispatch(approve('u2', ['o1'])));
    ok(await h.dispatch(approve('u3', ['o1'])));
    expect(failed(await h.dispatch({ type: 'MarkOrderExecuted', actor: userOf('adm'), companyId: 'ACME', orderId: 'o1' })).code).toBe('FORBIDDEN');
    expect(ok(await h.dispatch({ type: 'MarkOrderExecuted', actor: bankActor, companyId: 'ACME', orderId: 'o1', bankReference: 'BCE-77' })).output).toEqual({ orders: [{ orderId: 'o1', status: 'executed' }] });
    expect(orderById(h.projection.state(), 'ACME', 'o1')?.closedBy).toMatchObject({ as: 'bank', bankReference: 'BCE-77' });
    expect(ok(await h.dispatch(upload('o3', 'u1', { reference: 'o1.txt' }))).output).toMatchObject({ possibleDuplicate: false });
  });

  it('agreement commands: no-ops append nothing; the grantee must be an active user', async () => {
    const same = ok(await h.dispatch({ type: 'RegisterServiceAgreement', actor: bankActor, companyId: 'ACME', serviceId: 'S1', approvalLevels: 2 }));
    expect(same).toMatchObject({ events: [], output: { changed: false } });
    expect(failed(await h.dispatch({ type: 'GrantApprover', actor: bankActor, companyId: 'ACME', serviceId: 'S1', userId: 'ina', level: 1 })).code).toBe('PRECONDITION_FAILED');
    expect(failed(await h.dispatch({ type: 'GrantApprover', actor: bankActor, companyId: 'ACME', serviceId: 'S1', userId: 'x1', level: 1 })).code).toBe('PRECONDITION_FAILED');
    expect(failed(await h.dispatch({ type: 'GrantApprover', actor: userOf('adm'), companyId: 'ACME', serviceId: 'S1', userId: 'u1', level: 1 })).code).toBe('FORBIDDEN');
    const revoked = ok(await h.dispatch({ type: 'RevokeApprover', actor: bankActor, companyId: 'ACME', serviceId: 'S1', userId: 'u2', commandId: 'rv' }));
    expect(revoked.output).toEqual({ companyId: 'ACME', serviceId: 'S1', changed: true });
    expect(ok(await h.dispatch({ type: 'RevokeApprover', actor: bankActor, companyId: 'ACME', serviceId: 'S1', userId: 'u2', commandId: 'rv' })).output).toEqual(revoked.output);
    ok(await h.dispatch(upload('o1')));
    expect(E.isRight(approveView(h.projection.state(), { companyId: 'ACME', approverId: 'u2' }))).toBe(true);
    expect(failed(await h.dispatch(approve('u2', ['o1']))).code).toBe('FORBIDDEN');
  });
});

describe('the OTP rule on delete, approve and revoke (handler composition, stand-in gate)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = harness({ checkOtp: stubOtpGate(new Map([['u2', '111111'], ['u1', '222222']])) });
    await setUp(h);
    ok(await h.dispatch(upload('o1')));
  });

  it('an enrolled approver without an OTP is refused and nothing is appended', async () => {
    const before = (await allEvents(h)).length;
    expect(failed(await h.dispatch(approve('u2', ['o1']))).code).toBe('OTP_REQUIRED');
    expect((await allEvents(h)).length).toBe(before);
  });

  it('a wrong OTP is refused, its record is committed, the order does not move, and a replay fails again', async () => {
    const error = failed(await h.dispatch({ ...approve('u2', ['o1'], '999999'), commandId: 'wrong' }));
    expect(error).toMatchObject({ code: 'OTP_REJECTED', reason: 'mismatch' });
    const events = await allEvents(h);
    expect(events[events.length - 1]).toMatchObject({ type: 'StubOtpRejected', streamId: 'token-u2' });
    expect(orderById(h.projection.state(), 'ACME', 'o1')?.approvals).toEqual([]);
    expect(failed(await h.dispatch({ ...approve('u2', ['o1'], '999999'), commandId: 'wrong' })).code).toBe('OTP_REJECTED');
  });

  it('a right OTP is recorded in the same atomic append as the approval; the same code again is a replay', async () => {
    ok(await h.dispatch(upload('o2')));
    const approved = ok(await h.dispatch(approve('u2', ['o1', 'o2'], '111111')));
    expect(approved.events.map((event) => [event.streamId, event.type])).toEqual([
      ['token-u2', 'StubOtpAccepted'],
      ['payment-order-ACME-o1', 'OrderLevelApproved'],
      ['payment-order-ACME-o2', 'OrderLevelApproved'],
    ]);
    expect(new Set(approved.events.map((event) => event.metadata.commandId)).size).toBe(1);
    ok(await h.dispatch(upload('o3')));
    expect(failed(await h.dispatch(approve('u2', ['o3'], '111111')))).toMatchObject({ code: 'OTP_REJECTED', reason: 'replay' });
  });

  it('a non-enrolled approver needs no OTP; delete and revoke ask enrolled users too', async () => {
    ok(await h.dispatch(approve('u4', ['o1'])));
    expect(failed(await h.dispatch({ type: 'DeleteOrder', actor: userOf('u1'), orderId: 'o1' })).code).toBe('OTP_REQUIRED');
    ok(await h.dispatch(approve('u3', ['o1'])));
    expect(failed(await h.dispatch({ type: 'RevokeOrders', actor: userOf('u2'), orderIds: ['o1'] })).code).toBe('OTP_REQUIRED');
    ok(await h.dispatch({ type: 'RevokeOrders', actor: userOf('u2'), orderIds: ['o1'], otp: '111111' }));
  });

  it('a domain refusal comes before the OTP: the code is neither checked nor spent', async () => {
    ok(await h.dispatch(approve('u4', ['o1'])));
    const before = (await allEvents(h)).length;
    expect(failed(await h.dispatch(approve('u2', ['o1'], '111111'))).code).toBe('FORBIDDEN');
    expect((await allEvents(h)).length).toBe(before);
  });
});

describe('host ports that fail', () => {
  it('a failing OTP engine or a throwing directory is an Infrastructure error, and nothing is appended', async () => {
    const h = harness({ checkOtp: () => TE.left({ _tag: 'Infrastructure', code: 'INFRASTRUCTURE', message: 'engine down' }) });
    await setUp(h);
    ok(await h.dispatch(upload('o1')));
    expect(failed(await h.dispatch(approve('u2', ['o1'], '123456'))).code).toBe('INFRASTRUCTURE');
    let down = false;
    const flaky = harness({
      directory: {
        getUser: (companyId, userId) => {
          if (down) throw new Error('LDAP unreachable');
          return { companyId, userId, displayName: userId, active: true, isCompanyAdmin: false };
        },
        checkSecurityAnswer: () => false,
      },
    });
    await setUp(flaky);
    ok(await flaky.dispatch(upload('o1')));
    down = true;
    const before = (await allEvents(flaky)).length;
    expect(failed(await flaky.dispatch(approve('u2', ['o1'])))).toMatchObject({ code: 'INFRASTRUCTURE', message: 'the directory failed: Error thrown' });
    expect(failed(await flaky.dispatch({ type: 'GrantApprover', actor: bankActor, companyId: 'ACME', serviceId: 'S1', userId: 'u9', level: 1 })).code).toBe('INFRASTRUCTURE');
    expect((await allEvents(flaky)).length).toBe(before);
  });
});
