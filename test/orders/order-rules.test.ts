import * as E from 'fp-ts/lib/Either.js';
import { beforeEach, describe, expect, it } from 'vitest';
import { UploadOrderCodec, ApproveOrdersCodec, DeleteOrderCodec, MarkOrderExecutedCodec, MAX_ORDERS_PER_BATCH } from '../../src/domain/order/commands.js';
import { decideOrdersAllOrNothing } from '../../src/domain/order/effects.js';
import type { OrderInput } from '../../src/domain/order/effects.js';
import type { OrderCommand } from '../../src/domain/order/decide.js';
import { fieldPath } from '../../src/projections/orders/field-path.js';
import { liveOrdersWith } from '../../src/domain/agreement/state.js';
import { bank, errorOf, grant, PureWorld, register, unwrap, upload, user } from './fixtures.js';

const approve = (orderId: string): OrderCommand => ({ type: 'ApproveOrders', orderId });
const revoke = (orderId: string): OrderCommand => ({ type: 'RevokeOrders', orderId });
const del = (orderId: string): OrderCommand => ({ type: 'DeleteOrder', orderId });
const execute = (orderId: string): OrderCommand => ({ type: 'MarkOrderExecuted', companyId: 'ACME', orderId });

let world: PureWorld;
const statusOf = (orderId: string): string => world.order(orderId).status;

beforeEach(() => {
  world = new PureWorld();
  unwrap(world.onAgreement(register(2)));
  unwrap(world.onAgreement(grant('ana', 1)));
  unwrap(world.onAgreement(grant('bea', 2)));
  unwrap(world.onAgreement(grant('carl', 1)));
  unwrap(world.onAgreement(grant('carl', 2)));
  unwrap(world.onAgreement(grant('up', 1)));
});

const approvedOrder = (orderId: string): void => {
  unwrap(world.onOrder(upload({ orderId }), user('up')));
  unwrap(world.onOrder(approve(orderId), user('ana')));
  unwrap(world.onOrder(approve(orderId), user('bea')));
  expect(statusOf(orderId)).toBe('approved');
};

describe('UploadOrder', () => {
  it('fixes the required levels from the agreement at upload time', () => {
    unwrap(world.onOrder(upload({ orderId: 'o1' }), user('up')));
    unwrap(world.onAgreement(register(4)));
    unwrap(world.onOrder(upload({ orderId: 'o2' }), user('up')));
    unwrap(world.onAgreement(register(1)));
    const o1 = world.order('o1');
    const o2 = world.order('o2');
    expect(o1.status !== 'none' && o1.requiredLevels).toBe(2);
    expect(o2.status !== 'none' && o2.requiredLevels).toBe(4);
    // o1 still needs two levels although the agreement now says one.
    unwrap(world.onOrder(approve('o1'), user('ana')));
    expect(statusOf('o1')).toBe('pending-approval');
  });

  it('records the uploader, the time and the total in canonical form', () => {
    const outcome = unwrap(world.onOrder(upload({ orderId: 'o1', total: '1234.5' }), user('up')));
    expect(outcome.orderEvents[0]).toMatchObject({
      type: 'OrderUploaded',
      data: { orderId: 'o1', uploadedBy: 'up', uploadedAt: '2025-01-31T14:00:00.000Z', total: '1234.50', currency: 'USD', requiredLevels: 2, possibleDuplicate: false, duplicateOf: [] },
    });
  });

  it('needs a registered agreement and an active user of that company', () => {
    expect(errorOf(world.onOrder(upload({ orderId: 'o1', serviceId: 'NOMINA' }), user('up')))).toMatchObject({ code: 'NOT_FOUND', entity: 'service agreement' });
    expect(errorOf(world.onOrder(upload({ orderId: 'o1' }), user('up', { companyId: 'OTHER' }))).code).toBe('FORBIDDEN');
    expect(errorOf(world.onOrder(upload({ orderId: 'o1' }), user('up', { active: false }))).code).toBe('FORBIDDEN');
    expect(errorOf(world.onOrder(upload({ orderId: 'o1' }), bank)).code).toBe('FORBIDDEN');
  });

  it('refuses an order id already used', () => {
    unwrap(world.onOrder(upload({ orderId: 'o1' }), user('up')));
    expect(errorOf(world.onOrder(upload({ orderId: 'o1' }), user('up')))).toMatchObject({ code: 'INVALID_TRANSITION', from: 'pending-approval', command: 'UploadOrder' });
  });

  it('flags, without refusing, the same content while the first is pending approval or execution', () => {
    unwrap(world.onOrder(upload({ orderId: 'o1', reference: 'PAGOS_ENERO.TXT', total: '10.5' }), user('up')));
    const second = unwrap(world.onOrder(upload({ orderId: 'o2', reference: ' pagos_enero.txt', total: '10.50' }), user('ana')));
    expect(second.orderEvents[0]!.data).toMatchObject({ possibleDuplicate: true, duplicateOf: ['o1'] });
    // Another count, total, currency, kind or reference is other content.
    for (const [orderId, change] of [
      ['o3', { transactionCount: 4 }],
      ['o4', { total: '10.51' }],
      ['o5', { currency: 'EUR' }],
      ['o6', { reference: 'PAGOS_FEBRERO.TXT' }],
      ['o7', { kind: 'single', transactionCount: 1 }],
    ] as const) {
      const outcome = unwrap(world.onOrder(upload({ orderId, reference: 'PAGOS_ENERO.TXT', total: '10.50', ...change }), user('up')));
      expect(outcome.orderEvents[0]!.data).toMatchObject({ possibleDuplicate: false, duplicateOf: [] });
    }
    // Approved, the first is still live (pending execution): a new upload is still flagged.
    unwrap(world.onOrder(approve('o1'), user('ana')));
    unwrap(world.onOrder(approve('o1'), user('bea')));
    expect(unwrap(world.onOrder(upload({ orderId: 'o8', reference: 'PAGOS_ENERO.TXT', total: '10.50' }), user('up'))).orderEvents[0]!.data).toMatchObject({
      duplicateOf: ['o1', 'o2'],
    });
    // Once every copy is executed, deleted or revoked, the content is no longer pending anywhere.
    unwrap(world.onOrder(execute('o1'), bank));
    unwrap(world.onOrder(del('o2'), user('ana', { admin: true })));
    unwrap(world.onOrder(del('o8'), user('up')));
    const agreement = world.agreement('ACME', 'PAGOS');
    expect(agreement.status === 'registered' && agreement.liveOrders.size).toBe(5);
    expect(unwrap(world.onOrder(upload({ orderId: 'o9', reference: 'PAGOS_ENERO.TXT', total: '10.50' }), user('up'))).orderEvents[0]!.data).toMatchObject({
      possibleDuplicate: false,
    });
  });

  it('validates the command: total against the currency, count against the kind', () => {
    const base = { type: 'UploadOrder', orderId: 'o1', companyId: 'ACME', serviceId: 'PAGOS', kind: 'file', reference: 'f.txt', transactionCount: 2, total: '10.00', currency: 'USD' };
    const pathsOf = (input: unknown): string[] => {
      const result = UploadOrderCodec.decode(input);
      return E.isLeft(result) ? result.left.map((error) => fieldPath(error.context)) : [];
    };
    expect(pathsOf(base)).toEqual([]);
    expect(UploadOrderCodec.is(base)).toBe(true);
    expect(pathsOf({ ...base, total: '10.001' })).toEqual(['total']);
    expect(pathsOf({ ...base, total: '0.00' })).toEqual(['total']);
    expect(pathsOf({ ...base, total: 10 })).toContain('total');
    expect(pathsOf({ ...base, total: '10.5', currency: 'JPY' })).toEqual(['total']);
    expect(pathsOf({ ...base, currency: 'XAU' })).toContain('currency');
    expect(pathsOf({ ...base, transactionCount: undefined })).toEqual(['transactionCount']);
    expect(pathsOf({ ...base, transactionCount: 0 })).toContain('transactionCount');
    expect(pathsOf({ ...base, transactionCount: 1.5 })).toContain('transactionCount');
    expect(pathsOf({ ...base, kind: 'single', transactionCount: 2 })).toEqual(['transactionCount']);
    expect(pathsOf({ ...base, kind: 'batch' })).toContain('kind');
    expect(pathsOf({ ...base, reference: '   ' })).toContain('reference');
    expect(pathsOf({ ...base, reference: 'a\u0007b' })).toContain('reference');
    expect(pathsOf({ ...base, serviceId: 'PAGOS-1' })).toContain('serviceId');
    const single = UploadOrderCodec.decode({ ...base, kind: 'single', transactionCount: undefined });
    expect(E.isRight(single) && single.right.transactionCount).toBe(1);
    expect(UploadOrderCodec.is({ ...base, total: 'x' })).toBe(false);
  });
});

describe('DeleteOrder (manual: only before approval)', () => {
  it('the uploader or a company admin deletes a pending order', () => {
    unwrap(world.onOrder(upload({ orderId: 'o1' }), user('up')));
    unwrap(world.onOrder(upload({ orderId: 'o2' }), user('up')));
    expect(unwrap(world.onOrder(del('o1'), user('up'))).orderEvents[0]!.data).toMatchObject({ deletedBy: 'up', as: 'uploader' });
    expect(errorOf(world.onOrder(del('o2'), user('ana'))).code).toBe('FORBIDDEN');
    expect(unwrap(world.onOrder(del('o2'), user('boss', { admin: true }))).orderEvents[0]!.data).toMatchObject({ deletedBy: 'boss', as: 'company-admin' });
    expect(statusOf('o1')).toBe('deleted');
    expect(statusOf('o2')).toBe('deleted');
  });

  it('a partly approved order is still pending and may be deleted', () => {
    unwrap(world.onOrder(upload({ orderId: 'o1' }), user('up')));
    unwrap(world.onOrder(approve('o1'), user('ana')));
    unwrap(world.onOrder(del('o1'), user('up')));
    expect(statusOf('o1')).toBe('deleted');
  });

  it('delete after approval is refused', () => {
    approvedOrder('o1');
    expect(errorOf(world.onOrder(del('o1'), user('up')))).toMatchObject({ code: 'INVALID_TRANSITION', from: 'approved', command: 'DeleteOrder' });
  });

  it('a deleted order cannot be deleted, approved or revoked again', () => {
    unwrap(world.onOrder(upload({ orderId: 'o1' }), user('up')));
    unwrap(world.onOrder(del('o1'), user('up')));
    for (const [command, actor] of [[del('o1'), user('up')], [approve('o1'), user('ana')], [revoke('o1'), user('ana')]] as const) {
      expect(errorOf(world.onOrder(command, actor))).toMatchObject({ code: 'INVALID_TRANSITION', from: 'deleted' });
    }
  });

  it('another company cannot see the order at all', () => {
    unwrap(world.onOrder(upload({ orderId: 'o1' }), user('up')));
    expect(errorOf(world.onOrder(del('o1'), user('up', { companyId: 'OTHER', admin: true })))).toMatchObject({ code: 'NOT_FOUND', entity: 'order', id: 'o1' });
    expect(errorOf(world.onOrder(del('nope'), user('up')))).toMatchObject({ code: 'NOT_FOUND', id: 'nope' });
  });
});

describe('ApproveOrders (manual: levels in order, one level per user, maker != checker)', () => {
  beforeEach(() => {
    unwrap(world.onOrder(upload({ orderId: 'o1' }), user('up')));
  });

  it('levels are approved in order, each by a holder of its grant; the last approves the order', () => {
    expect(errorOf(world.onOrder(approve('o1'), user('bea'))).message).toMatch(/order o1: .*no grant for level 1/);
    const first = unwrap(world.onOrder(approve('o1'), user('ana')));
    expect(first.orderEvents).toEqual([{ type: 'OrderLevelApproved', data: { orderId: 'o1', companyId: 'ACME', level: 1, userId: 'ana', approvedAt: '2025-01-31T14:00:00.000Z' } }]);
    expect(first.indexEvents).toEqual([]);
    world.now += 60_000;
    const second = unwrap(world.onOrder(approve('o1'), user('bea')));
    expect(second.orderEvents.map((event) => event.type)).toEqual(['OrderLevelApproved', 'OrderApproved']);
    const order = world.order('o1');
    expect(order.status !== 'none' && order.approvals).toEqual([
      { level: 1, userId: 'ana', at: '2025-01-31T14:00:00.000Z' },
      { level: 2, userId: 'bea', at: '2025-01-31T14:01:00.000Z' },
    ]);
    expect(errorOf(world.onOrder(approve('o1'), user('carl')))).toMatchObject({ code: 'INVALID_TRANSITION', from: 'approved' });
  });

  it('an approver without the grant is refused', () => {
    expect(errorOf(world.onOrder(approve('o1'), user('dan'))).code).toBe('FORBIDDEN');
    expect(errorOf(world.onOrder(approve('o1'), user('boss', { admin: true }))).code).toBe('FORBIDDEN');
  });

  it('the uploader is refused under maker-checker, and allowed one level without it', () => {
    expect(errorOf(world.onOrder(approve('o1'), user('up'))).message).toContain('uploader may not approve');
    world.makerChecker = false;
    unwrap(world.onOrder(approve('o1'), user('up')));
    expect(errorOf(world.onOrder(approve('o1'), user('up'))).message).toContain('already approved level 1');
  });

  it('a user approving a second level of the same order is refused, even holding both grants', () => {
    unwrap(world.onOrder(approve('o1'), user('carl')));
    expect(errorOf(world.onOrder(approve('o1'), user('carl')))).toMatchObject({ code: 'FORBIDDEN' });
    unwrap(world.onOrder(approve('o1'), user('bea')));
  });

  it('a revoked grant stops approving; approvals already given stand', () => {
    unwrap(world.onOrder(approve('o1'), user('ana')));
    unwrap(world.onAgreement({ type: 'RevokeApprover', companyId: 'ACME', serviceId: 'PAGOS', userId: 'bea' }));
    expect(errorOf(world.onOrder(approve('o1'), user('bea'))).code).toBe('FORBIDDEN');
    const order = world.order('o1');
    expect(order.status !== 'none' && order.approvals.length).toBe(1);
  });

  it('inactive users, bank operators and other companies cannot approve', () => {
    expect(errorOf(world.onOrder(approve('o1'), user('ana', { active: false }))).code).toBe('FORBIDDEN');
    expect(errorOf(world.onOrder(approve('o1'), bank)).code).toBe('FORBIDDEN');
    expect(errorOf(world.onOrder(approve('o1'), user('ana', { companyId: 'OTHER' }))).code).toBe('NOT_FOUND');
  });

  it('a batch with one bad order approves nothing, and the error names that order', () => {
    unwrap(world.onOrder(upload({ orderId: 'o2' }), user('ana')));
    unwrap(world.onOrder(upload({ orderId: 'o3' }), user('up')));
    const inputs = (approver: string): OrderInput[] =>
      ['o1', 'o2', 'o3'].map((orderId) => ({ command: approve(orderId), state: world.order(orderId), facts: world.facts(user(approver), world.agreement('ACME', 'PAGOS')) }));
    // ana uploaded o2: maker-checker refuses it, so o1 and o3 are not approved either.
    const failure = errorOf(decideOrdersAllOrNothing(inputs('ana')));
    expect(failure.code).toBe('FORBIDDEN');
    expect(failure.message).toContain('order o2');
    expect(failure.message).not.toContain('order o1');
    // carl may approve all three.
    const outcomes = unwrap(decideOrdersAllOrNothing(inputs('carl')));
    expect(outcomes.map((outcome) => outcome.orderId)).toEqual(['o1', 'o2', 'o3']);
    expect(outcomes.every((outcome) => outcome.orderEvents[0]!.type === 'OrderLevelApproved')).toBe(true);
  });

  it('the batch codec wants 1 to 100 distinct order ids', () => {
    const pathsOf = (input: unknown): string[] => {
      const result = ApproveOrdersCodec.decode(input);
      return E.isLeft(result) ? result.left.map((error) => fieldPath(error.context)) : [];
    };
    expect(pathsOf({ type: 'ApproveOrders', orderIds: ['a', 'b'], otp: '123456' })).toEqual([]);
    expect(pathsOf({ type: 'ApproveOrders', orderIds: [] })).toEqual(['orderIds']);
    expect(pathsOf({ type: 'ApproveOrders', orderIds: ['a', 'b', 'a'] })).toEqual(['orderIds.2']);
    expect(pathsOf({ type: 'ApproveOrders', orderIds: Array.from({ length: MAX_ORDERS_PER_BATCH + 1 }, (_, i) => `o${i}`) })).toEqual(['orderIds']);
    expect(pathsOf({ type: 'ApproveOrders', orderIds: 'o1' })).toEqual(['orderIds']);
    expect(pathsOf({ type: 'ApproveOrders', orderIds: ['ok', ''] })).toEqual(['orderIds.1']);
  });
});

describe('RevokeOrders (manual: approved and not yet executed)', () => {
  it('revoke before approval and after execution is refused', () => {
    unwrap(world.onOrder(upload({ orderId: 'o1' }), user('up')));
    expect(errorOf(world.onOrder(revoke('o1'), user('ana')))).toMatchObject({ code: 'INVALID_TRANSITION', from: 'pending-approval', command: 'RevokeOrders' });
    approvedOrder('o2');
    unwrap(world.onOrder(execute('o2'), bank));
    expect(errorOf(world.onOrder(revoke('o2'), user('ana')))).toMatchObject({ code: 'INVALID_TRANSITION', from: 'executed', command: 'RevokeOrders' });
  });

  it('an approver of the service (any level) or a company admin revokes; nobody else', () => {
    approvedOrder('o1');
    approvedOrder('o2');
    approvedOrder('o3');
    expect(errorOf(world.onOrder(revoke('o1'), user('dan'))).code).toBe('FORBIDDEN');
    expect(unwrap(world.onOrder(revoke('o1'), user('bea'))).orderEvents[0]!.data).toMatchObject({ revokedBy: 'bea', as: 'approver' });
    expect(unwrap(world.onOrder(revoke('o2'), user('dan', { admin: true }))).orderEvents[0]!.data).toMatchObject({ as: 'company-admin' });
    expect(statusOf('o1')).toBe('revoked');
    expect(errorOf(world.onOrder(execute('o1'), bank))).toMatchObject({ code: 'INVALID_TRANSITION', from: 'revoked' });
    const agreement = world.agreement('ACME', 'PAGOS');
    expect(liveOrdersWith(agreement, world.order('o3').status === 'none' ? '' : (world.order('o3') as { fingerprint: string }).fingerprint)).toEqual(['o3']);
  });
});

describe('MarkOrderExecuted (bank side)', () => {
  it('only the bank executes, and only approved orders', () => {
    unwrap(world.onOrder(upload({ orderId: 'o1' }), user('up')));
    expect(errorOf(world.onOrder(execute('o1'), bank))).toMatchObject({ code: 'INVALID_TRANSITION', from: 'pending-approval' });
    unwrap(world.onOrder(approve('o1'), user('ana')));
    unwrap(world.onOrder(approve('o1'), user('bea')));
    expect(errorOf(world.onOrder(execute('o1'), user('boss', { admin: true }))).code).toBe('FORBIDDEN');
    const outcome = unwrap(world.onOrder({ type: 'MarkOrderExecuted', companyId: 'ACME', orderId: 'o1', bankReference: 'TRX-9' }, bank));
    expect(outcome.orderEvents[0]!.data).toEqual({ orderId: 'o1', companyId: 'ACME', executedBy: 'op-1', executedAt: '2025-01-31T14:00:00.000Z', bankReference: 'TRX-9' });
    expect(outcome.indexEvents[0]!.type).toBe('OrderFingerprintReleased');
    expect(errorOf(world.onOrder(execute('nope'), bank)).code).toBe('NOT_FOUND');
    expect(E.isRight(MarkOrderExecutedCodec.decode({ type: 'MarkOrderExecuted', companyId: 'ACME', orderId: 'o1' }))).toBe(true);
    expect(E.isRight(DeleteOrderCodec.decode({ type: 'DeleteOrder', orderId: 'o1' }))).toBe(true);
  });
});
