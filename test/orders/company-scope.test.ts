import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { DispatchResult } from '../../src/commands/command-handler.js';
import type { SdkError } from '../../src/errors/sdk-error.js';
import { orderFingerprint } from '../../src/domain/order/fingerprint.js';
import { orderById, searchOrders } from '../../src/projections/orders/views.js';
import type { Harness } from './dispatch-harness.js';
import { bankActor, harness, userOf } from './dispatch-harness.js';

// Issue 11, defect 4: order identity is (company, order id).

const ok = (result: E.Either<SdkError, DispatchResult>): DispatchResult => {
  if (E.isLeft(result)) throw new Error(`${result.left.code}: ${result.left.message}`);
  return result.right;
};
const fails = (result: E.Either<SdkError, DispatchResult>): SdkError => {
  if (E.isRight(result)) throw new Error('expected a refusal');
  return result.left;
};

const acme = userOf('u1');
const acmeApprover = userOf('u2');
const other = userOf('x1', 'OTHER');

const upload = (actor: typeof acme, orderId: string, reference = `${orderId}.txt`) => ({
  type: 'UploadOrder',
  actor,
  orderId,
  companyId: actor.kind === 'user' ? actor.companyId : '',
  serviceId: 'S1',
  kind: 'file',
  reference,
  transactionCount: 1,
  total: '10.00',
  currency: 'USD',
});

const setUp = async (h: Harness): Promise<void> => {
  for (const companyId of ['ACME', 'OTHER']) ok(await h.dispatch({ type: 'RegisterServiceAgreement', actor: bankActor, companyId, serviceId: 'S1', approvalLevels: 1 }));
  ok(await h.dispatch({ type: 'GrantApprover', actor: bankActor, companyId: 'ACME', serviceId: 'S1', userId: 'u2', level: 1 }));
  ok(await h.dispatch({ type: 'GrantApprover', actor: bankActor, companyId: 'OTHER', serviceId: 'S1', userId: 'x1', level: 1 }));
};

describe('order ids are scoped by company', () => {
  it('two companies upload the same order id, in either order, and each has its own order', async () => {
    const h = harness();
    await setUp(h);
    ok(await h.dispatch(upload(acme, 'PAY-1')));
    // Before: INVALID_TRANSITION, naming the state of ACME's order.
    expect(ok(await h.dispatch(upload(other, 'PAY-1', 'other content.txt'))).output).toMatchObject({ orderId: 'PAY-1', possibleDuplicate: false });
    // A company that takes an id first blocks nobody else.
    ok(await h.dispatch(upload(other, 'PAY-2')));
    ok(await h.dispatch(upload(acme, 'PAY-2')));
    // Within one company the id is still taken.
    expect(fails(await h.dispatch(upload(acme, 'PAY-1'))).code).toBe('INVALID_TRANSITION');
    const model = h.projection.state();
    expect(orderById(model, 'ACME', 'PAY-1')).toMatchObject({ companyId: 'ACME', uploadedBy: 'u1', reference: 'PAY-1.txt' });
    expect(orderById(model, 'OTHER', 'PAY-1')).toMatchObject({ companyId: 'OTHER', uploadedBy: 'x1', reference: 'other content.txt' });
    const ids = (companyId: string) => {
      const page = searchOrders(model, { companyId });
      return E.isRight(page) ? page.right.rows.map((row) => `${row.companyId}/${row.orderId}`) : [];
    };
    expect(ids('ACME')).toEqual(['ACME/PAY-2', 'ACME/PAY-1']);
    expect(ids('OTHER')).toEqual(['OTHER/PAY-2', 'OTHER/PAY-1']);

    // Each company moves its own order only.
    ok(await h.dispatch({ type: 'ApproveOrders', actor: acmeApprover, orderIds: ['PAY-1'] }));
    ok(await h.dispatch({ type: 'DeleteOrder', actor: other, orderId: 'PAY-1' }));
    expect(orderById(h.projection.state(), 'ACME', 'PAY-1')?.status).toBe('approved');
    expect(orderById(h.projection.state(), 'OTHER', 'PAY-1')?.status).toBe('deleted');
    ok(await h.dispatch({ type: 'MarkOrderExecuted', actor: bankActor, companyId: 'ACME', orderId: 'PAY-1' }));
    expect(orderById(h.projection.state(), 'ACME', 'PAY-1')?.status).toBe('executed');
  });

  it("another company's order reads as not found to every command and view", async () => {
    const h = harness();
    await setUp(h);
    ok(await h.dispatch(upload(acme, 'ONLY-ACME')));
    const notFound = { code: 'NOT_FOUND' };
    expect(fails(await h.dispatch({ type: 'DeleteOrder', actor: other, orderId: 'ONLY-ACME' }))).toMatchObject(notFound);
    expect(fails(await h.dispatch({ type: 'ApproveOrders', actor: other, orderIds: ['ONLY-ACME'] }))).toMatchObject(notFound);
    ok(await h.dispatch({ type: 'ApproveOrders', actor: acmeApprover, orderIds: ['ONLY-ACME'] }));
    expect(fails(await h.dispatch({ type: 'RevokeOrders', actor: other, orderIds: ['ONLY-ACME'] }))).toMatchObject(notFound);
    expect(fails(await h.dispatch({ type: 'MarkOrderExecuted', actor: bankActor, companyId: 'OTHER', orderId: 'ONLY-ACME' }))).toMatchObject(notFound);
    // The same answer as an id nobody holds.
    const unknown = fails(await h.dispatch({ type: 'DeleteOrder', actor: other, orderId: 'NOBODY' }));
    const refused = fails(await h.dispatch({ type: 'DeleteOrder', actor: other, orderId: 'ONLY-ACME' }));
    expect(refused.message.replace('ONLY-ACME', 'NOBODY')).toBe(unknown.message);
    expect(orderById(h.projection.state(), 'OTHER', 'ONLY-ACME')).toBeUndefined();
    expect(orderById(h.projection.state(), 'ACME', 'ONLY-ACME')?.status).toBe('approved');
  });

  it('the same content in two companies is no duplicate', async () => {
    const h = harness();
    await setUp(h);
    ok(await h.dispatch(upload(acme, 'A', 'nomina.txt')));
    expect(ok(await h.dispatch(upload(other, 'B', 'nomina.txt'))).output).toMatchObject({ possibleDuplicate: false });
    expect(ok(await h.dispatch(upload(acme, 'C', 'nomina.txt'))).output).toMatchObject({ possibleDuplicate: true, duplicateOf: ['A'] });
  });
});

describe('a 0.1 log (orders in `order-{orderId}`, the duplicate index in the agreement stream)', () => {
  const metadata = { commandId: 'old', correlationId: 'old', causationId: 'old', actor: { kind: 'system' as const }, occurredAt: '2025-06-01T09:00:00.000Z' };
  const content = { kind: 'file' as const, reference: 'legacy.txt', transactionCount: 1, total: '10.00', currency: 'USD' };
  const fingerprint = orderFingerprint(content);
  const legacyLog = async (h: Harness): Promise<void> => {
    await setUp(h);
    const appended = await h.store.append([
      {
        streamId: 'order-L1',
        expectedVersion: 'no-stream',
        events: [
          {
            eventId: '0190f5c0-0000-7000-8000-000000000001',
            type: 'OrderUploaded',
            schemaVersion: 1,
            metadata,
            data: {
              orderId: 'L1', companyId: 'ACME', serviceId: 'S1', ...content, uploadedBy: 'u1', uploadedAt: metadata.occurredAt,
              requiredLevels: 1, fingerprint, possibleDuplicate: false, duplicateOf: [],
            },
          },
        ],
      },
      {
        streamId: 'agreement-ACME-S1',
        expectedVersion: 'any',
        events: [{ eventId: '0190f5c0-0000-7000-8000-000000000002', type: 'OrderFingerprintRecorded', schemaVersion: 1, metadata, data: { orderId: 'L1', fingerprint } }],
      },
    ])();
    if (E.isLeft(appended)) throw new Error(appended.left.message);
    await h.projection.catchUp()();
  };

  it('keeps its orders readable and actionable by their company only, and its duplicates flagged', async () => {
    const h = harness();
    await legacyLog(h);
    expect(orderById(h.projection.state(), 'ACME', 'L1')).toMatchObject({ status: 'pending-approval', uploadedBy: 'u1' });
    // Its company still holds the id, and a new upload of the same content is flagged against it.
    expect(fails(await h.dispatch(upload(acme, 'L1'))).code).toBe('INVALID_TRANSITION');
    expect(ok(await h.dispatch(upload(acme, 'L2', 'legacy.txt'))).output).toMatchObject({ possibleDuplicate: true, duplicateOf: ['L1'] });
    // Another company neither sees it nor is blocked by it.
    expect(fails(await h.dispatch({ type: 'DeleteOrder', actor: other, orderId: 'L1' })).code).toBe('NOT_FOUND');
    ok(await h.dispatch(upload(other, 'L1')));
    // Its company acts on it in its old stream; deleting it releases it from the old index.
    const deleted = ok(await h.dispatch({ type: 'DeleteOrder', actor: acme, orderId: 'L1' }));
    expect(deleted.events.map((event) => [event.streamId, event.type])).toEqual([
      ['order-L1', 'OrderDeleted'],
      ['agreement-ACME-S1', 'OrderFingerprintReleased'],
    ]);
    expect(ok(await h.dispatch(upload(acme, 'L3', 'legacy.txt'))).output).toMatchObject({ possibleDuplicate: true, duplicateOf: ['L2'] });
  });
});
