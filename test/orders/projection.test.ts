import * as E from 'fp-ts/lib/Either.js';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SdkError } from '../../src/errors/sdk-error.js';
import type { StoredEvent } from '../../src/events/envelope.js';
import type { OrdersReadModel } from '../../src/projections/orders/read-model.js';
import { emptyOrdersReadModel, evolveOrdersReadModel } from '../../src/projections/orders/read-model.js';
import { agreementsOf, approveView, deleteView, orderById, revokeView, searchOrders } from '../../src/projections/orders/views.js';
import type { OrderPage } from '../../src/projections/orders/views.js';
import { bankActor, userActor } from './arbitraries.js';
import { PureSystem } from './pure-system.js';
import type { ModelActor, ModelCommand } from './reference-model.js';

const T0 = Date.UTC(2025, 4, 5, 10, 0, 0);
let system: PureSystem;
let clock: number;

const run = (command: ModelCommand, actor: ModelActor): void => {
  clock += 60_000;
  const result = system.run(command, actor, clock);
  if (E.isLeft(result)) throw new Error(result.left.message);
};
const uploadOrder = (orderId: string, minor: bigint, options: { serviceId?: string; currency?: 'USD' | 'EUR' | 'JPY'; by?: string; reference?: string } = {}): void => {
  run(
    {
      type: 'UploadOrder',
      orderId,
      companyId: 'ACME',
      serviceId: options.serviceId ?? 'S1',
      kind: 'file',
      reference: options.reference ?? `${orderId}.txt`,
      count: 2,
      minor,
      currency: options.currency ?? 'USD',
    },
    userActor(options.by ?? 'u1'),
  );
};
const page = (result: E.Either<unknown, OrderPage>): OrderPage => {
  if (E.isLeft(result)) throw new Error(JSON.stringify(result.left));
  return result.right;
};

beforeEach(() => {
  system = new PureSystem(true);
  clock = T0;
  run({ type: 'RegisterServiceAgreement', companyId: 'ACME', serviceId: 'S1', levels: 2 }, bankActor);
  run({ type: 'RegisterServiceAgreement', companyId: 'ACME', serviceId: 'S2', levels: 1 }, bankActor);
  run({ type: 'GrantApprover', companyId: 'ACME', serviceId: 'S1', userId: 'u2', level: 1 }, bankActor);
  run({ type: 'GrantApprover', companyId: 'ACME', serviceId: 'S1', userId: 'u3', level: 2 }, bankActor);
  run({ type: 'GrantApprover', companyId: 'ACME', serviceId: 'S2', userId: 'u2', level: 1 }, bankActor);
});

describe('orders projection', () => {
  it('shows each order with its approvals (level, by whom, when), required levels and total', () => {
    uploadOrder('o1', 123450n);
    run({ type: 'ApproveOrders', orderIds: ['o1'] }, userActor('u2'));
    const row = page(searchOrders(system.readModel, { companyId: 'ACME' })).rows[0]!;
    expect(row).toMatchObject({
      orderId: 'o1',
      serviceId: 'S1',
      status: 'pending-approval',
      requiredLevels: 2,
      total: '1234.50',
      currency: 'USD',
      transactionCount: 2,
      uploadedBy: 'u1',
      uploadedAt: '2025-05-05T10:06:00.000Z',
      updatedAt: '2025-05-05T10:07:00.000Z',
      approvals: [{ level: 1, userId: 'u2', at: '2025-05-05T10:07:00.000Z' }],
    });
    run({ type: 'ApproveOrders', orderIds: ['o1'] }, userActor('u3'));
    expect(orderById(system.readModel, 'ACME', 'o1')).toMatchObject({ status: 'approved', approvals: [{ level: 1 }, { level: 2, userId: 'u3' }] });
    run({ type: 'MarkOrderExecuted', companyId: 'ACME', orderId: 'o1' }, bankActor);
    expect(orderById(system.readModel, 'ACME', 'o1')?.closedBy).toEqual({ by: 'op-1', as: 'bank', at: '2025-05-05T10:09:00.000Z' });
    expect(orderById(system.readModel, 'ACME', 'nope')).toBeUndefined();
  });

  it('pages newest first and says "showing 11 to 12 of 12"', () => {
    for (let i = 1; i <= 12; i++) uploadOrder(`o${i}`, BigInt(i) * 100n);
    const first = page(searchOrders(system.readModel, { companyId: 'ACME', page: 1, pageSize: 5 }));
    expect(first.rows.map((row) => row.orderId)).toEqual(['o12', 'o11', 'o10', 'o9', 'o8']);
    expect(first).toMatchObject({ from: 1, to: 5, count: 12, pages: 3 });
    const last = page(searchOrders(system.readModel, { companyId: 'ACME', page: 3, pageSize: 5 }));
    expect(last.rows.map((row) => row.orderId)).toEqual(['o2', 'o1']);
    expect(last).toMatchObject({ from: 11, to: 12, count: 12, pages: 3 });
    const beyond = page(searchOrders(system.readModel, { companyId: 'ACME', page: 4, pageSize: 5 }));
    expect(beyond).toMatchObject({ rows: [], from: 0, to: 0, count: 12 });
    const defaults = page(searchOrders(system.readModel, { companyId: 'ACME' }));
    expect(defaults).toMatchObject({ page: 1, pageSize: 10, from: 1, to: 10 });
    expect(page(searchOrders(system.readModel, { companyId: 'NOBODY' }))).toMatchObject({ rows: [], count: 0, pages: 0, from: 0, to: 0, totals: {} });
  });

  it('sums totals exactly, per currency, over every matching order', () => {
    for (let i = 0; i < 1000; i++) uploadOrder(`o${i}`, 10n);
    uploadOrder('jpy', 1500n, { currency: 'JPY' });
    uploadOrder('eur', 99_999_999_999_999_999n, { currency: 'EUR' });
    uploadOrder('eur2', 1n, { currency: 'EUR' });
    const result = page(searchOrders(system.readModel, { companyId: 'ACME', pageSize: 3 }));
    expect(result.totals).toEqual({ EUR: '1000000000000000.00', JPY: '1500', USD: '100.00' });
    expect(result.transactions).toBe(2 * 1003);
    expect(result.rows).toHaveLength(3);
  });

  it('searches by service and by one or several statuses', () => {
    uploadOrder('a', 100n);
    uploadOrder('b', 100n, { serviceId: 'S2' });
    uploadOrder('c', 100n);
    run({ type: 'ApproveOrders', orderIds: ['b'] }, userActor('u2'));
    run({ type: 'DeleteOrder', orderId: 'c' }, userActor('u1'));
    const ids = (query: object) => page(searchOrders(system.readModel, { companyId: 'ACME', ...query })).rows.map((row) => row.orderId);
    expect(ids({ serviceId: 'S1' })).toEqual(['c', 'a']);
    expect(ids({ status: 'approved' })).toEqual(['b']);
    expect(ids({ status: ['deleted', 'approved'] })).toEqual(['c', 'b']);
    expect(ids({ serviceId: 'S2', status: 'pending-approval' })).toEqual([]);
  });

  it('gives the Delete, Approve and Revoke views of the manual', () => {
    uploadOrder('pending', 100n);
    uploadOrder('partly', 100n);
    uploadOrder('approved', 100n, { serviceId: 'S2' });
    uploadOrder('executed', 100n, { serviceId: 'S2' });
    uploadOrder('deleted', 100n);
    run({ type: 'ApproveOrders', orderIds: ['partly', 'approved', 'executed'] }, userActor('u2'));
    run({ type: 'MarkOrderExecuted', companyId: 'ACME', orderId: 'executed' }, bankActor);
    run({ type: 'DeleteOrder', orderId: 'deleted' }, userActor('u1'));
    const ids = (result: E.Either<unknown, OrderPage>) => page(result).rows.map((row) => row.orderId);
    expect(ids(deleteView(system.readModel, { companyId: 'ACME' }))).toEqual(['partly', 'pending']);
    expect(ids(approveView(system.readModel, { companyId: 'ACME' }))).toEqual(['approved', 'partly', 'pending']);
    expect(ids(revokeView(system.readModel, { companyId: 'ACME' }))).toEqual(['approved']);
    expect(ids(revokeView(system.readModel, { companyId: 'ACME', serviceId: 'S1' }))).toEqual([]);
    // For an approver, the Approve view says which rows they can approve now.
    const forU3 = page(approveView(system.readModel, { companyId: 'ACME', approverId: 'u3' })).rows.map((row) => [row.orderId, row.canApprove]);
    expect(forU3).toEqual([['approved', false], ['partly', true], ['pending', false]]);
    const forU2 = page(approveView(system.readModel, { companyId: 'ACME', approverId: 'u2' })).rows.map((row) => [row.orderId, row.canApprove]);
    expect(forU2).toEqual([['approved', false], ['partly', false], ['pending', true]]);
    // The uploader cannot approve under maker-checker; without it they could.
    run({ type: 'GrantApprover', companyId: 'ACME', serviceId: 'S1', userId: 'u1', level: 1 }, bankActor);
    expect(page(approveView(system.readModel, { companyId: 'ACME', approverId: 'u1' })).rows.find((row) => row.orderId === 'pending')?.canApprove).toBe(false);
    expect(page(approveView(system.readModel, { companyId: 'ACME', approverId: 'u1', makerChecker: false })).rows.find((row) => row.orderId === 'pending')?.canApprove).toBe(true);
  });

  it('lists the company agreements with levels and approvers, for the search form', () => {
    expect(agreementsOf(system.readModel, 'ACME')).toEqual([
      { companyId: 'ACME', serviceId: 'S1', approvalLevels: 2, approvers: [{ userId: 'u2', levels: [1] }, { userId: 'u3', levels: [2] }] },
      { companyId: 'ACME', serviceId: 'S2', approvalLevels: 1, approvers: [{ userId: 'u2', levels: [1] }] },
    ]);
    run({ type: 'RegisterServiceAgreement', companyId: 'ACME', serviceId: 'S1', levels: 4 }, bankActor);
    run({ type: 'RevokeApprover', companyId: 'ACME', serviceId: 'S1', userId: 'u2' }, bankActor);
    expect(agreementsOf(system.readModel, 'ACME')[0]).toEqual({ companyId: 'ACME', serviceId: 'S1', approvalLevels: 4, approvers: [{ userId: 'u3', levels: [2] }] });
    expect(agreementsOf(system.readModel, 'NOBODY')).toEqual([]);
  });

  it('refuses a bad query with the field paths, never throwing', () => {
    const issues = (result: E.Either<SdkError, unknown>) => (E.isLeft(result) && result.left._tag === 'InvalidCommand' ? result.left.issues.map((issue) => issue.path) : []);
    expect(issues(searchOrders(system.readModel, { companyId: 'ACME', page: 0 }))).toEqual(['page']);
    expect(issues(searchOrders(system.readModel, { companyId: 'ACME', pageSize: 101 }))).toEqual(['pageSize']);
    expect(issues(searchOrders(system.readModel, { companyId: 'ACME', pageSize: 2.5 }))).toEqual(['pageSize']);
    expect(issues(searchOrders(system.readModel, { companyId: 'ACME', status: 'lost' }))).toContain('status');
    expect(issues(searchOrders(system.readModel, { companyId: 'ACME', status: ['approved', 'lost'] }))).toContain('status.1');
    expect(issues(searchOrders(system.readModel, { serviceId: 'S-1' }))).toEqual(['companyId', 'serviceId']);
    expect(issues(deleteView(system.readModel, null))).toEqual(['']);
    expect(issues(approveView(system.readModel, { companyId: 'ACME', approverId: '' }))).toEqual(['approverId']);
    expect(issues(revokeView(system.readModel, 'ACME'))).toEqual(['']);
    const result = searchOrders(system.readModel, { companyId: 'ACME', page: -1 });
    expect(E.isLeft(result) && result.left.code).toBe('INVALID_COMMAND');
  });
});

describe('orders projection fold', () => {
  const stored = (type: string, data: object, globalPosition: number, streamId = 'order-x'): StoredEvent => ({
    eventId: `e${globalPosition}`,
    type,
    schemaVersion: 1,
    data: data as StoredEvent['data'],
    metadata: { commandId: 'c', correlationId: 'c', causationId: 'c', actor: { kind: 'system' }, occurredAt: '2025-01-01T00:00:00.000Z' },
    streamId,
    streamVersion: 1,
    globalPosition,
    prevHash: '',
    hash: '',
  });

  it('skips other domains, malformed payloads and the fingerprint index', () => {
    const fold = evolveOrdersReadModel();
    const afterToken = fold(emptyOrdersReadModel, stored('TokenActivated', { serial: 'X' }, 7));
    expect(afterToken).toBe(emptyOrdersReadModel);
    const afterBad = fold(afterToken, stored('OrderUploaded', { orderId: 42 }, 9));
    expect(afterBad).toBe(emptyOrdersReadModel);
    expect(fold(afterBad, stored('OrderFingerprintRecorded', { orderId: 'o1', fingerprint: 'a'.repeat(64) }, 10, 'agreement-ACME-S1'))).toBe(emptyOrdersReadModel);
    const afterStray = fold(afterBad, stored('OrderApproved', { orderId: 'ghost', approvedAt: '2025-01-01T00:00:00.000Z' }, 10));
    expect(afterStray.rows.size).toBe(0);
  });

  it('never changes an earlier model', () => {
    uploadOrder('o1', 100n);
    const earlier: OrdersReadModel = system.readModel;
    const before = JSON.stringify(page(searchOrders(earlier, { companyId: 'ACME' })));
    run({ type: 'ApproveOrders', orderIds: ['o1'] }, userActor('u2'));
    uploadOrder('o2', 100n);
    run({ type: 'DeleteOrder', orderId: 'o2' }, userActor('u1'));
    expect(JSON.stringify(page(searchOrders(earlier, { companyId: 'ACME' })))).toBe(before);
  });

  it('reads older schema versions through the decode hook (the registry upcasts)', () => {
    const upcast = (event: StoredEvent) =>
      event.type === 'OrderApproved' && event.schemaVersion === 0 ? { type: 'OrderApproved', data: { orderId: event.data['id'], companyId: 'ACME', approvedAt: event.data['at'] } } : event;
    system = new PureSystem(true);
    const fold = evolveOrdersReadModel(upcast);
    let model = emptyOrdersReadModel;
    model = fold(model, stored('ServiceAgreementRegistered', { companyId: 'ACME', serviceId: 'S1', approvalLevels: 1 }, 1, 'agreement-ACME-S1'));
    model = fold(
      model,
      stored(
        'OrderUploaded',
        {
          orderId: 'o1',
          companyId: 'ACME',
          serviceId: 'S1',
          kind: 'single',
          reference: 'r',
          transactionCount: 1,
          total: '1.00',
          currency: 'USD',
          uploadedBy: 'u1',
          uploadedAt: '2025-01-01T00:00:00.000Z',
          requiredLevels: 1,
          fingerprint: 'a'.repeat(64),
          possibleDuplicate: false,
          duplicateOf: [],
        },
        2,
        'order-o1',
      ),
    );
    model = fold(model, { ...stored('OrderApproved', { id: 'o1', at: '2025-01-02T00:00:00.000Z' }, 3, 'order-o1'), schemaVersion: 0 });
    expect(orderById(model, 'ACME', 'o1')).toMatchObject({ status: 'approved', updatedAt: '2025-01-02T00:00:00.000Z' });
    // A decode hook may also drop an event.
    expect(evolveOrdersReadModel(() => undefined)(model, stored('OrderDeleted', {}, 4))).toBe(model);
  });
});
