import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAll } from '../../src/store/verify-chain.js';
import { orderById } from '../../src/projections/orders/views.js';
import { freshStore, openTestDatabase } from '../postgres/support/database.js';
import type { TestDatabase } from '../postgres/support/database.js';
import { bankActor, harness, userOf } from './dispatch-harness.js';

let db: TestDatabase | undefined;
beforeAll(async () => {
  db = await openTestDatabase(4);
});
afterAll(async () => {
  await db?.close();
});

describe('orders on the PostgreSQL event store', () => {
  it('runs the whole lifecycle, replays a command, and leaves a chain that verifies', async () => {
    if (db === undefined) throw new Error('no database');
    const store = await freshStore(db);
    const h = harness({ store });
    const dispatch = async (command: object) => {
      const result = await h.dispatch(command);
      if (E.isLeft(result)) throw new Error(`${result.left.code}: ${result.left.message}`);
      return result.right;
    };
    await dispatch({ type: 'RegisterServiceAgreement', actor: bankActor, companyId: 'ACME', serviceId: 'NOMINA', approvalLevels: 2 });
    await dispatch({ type: 'GrantApprover', actor: bankActor, companyId: 'ACME', serviceId: 'NOMINA', userId: 'u2', level: 1 });
    await dispatch({ type: 'GrantApprover', actor: bankActor, companyId: 'ACME', serviceId: 'NOMINA', userId: 'u3', level: 2 });
    const upload = { type: 'UploadOrder', actor: userOf('u1'), orderId: 'nómina-enero', companyId: 'ACME', serviceId: 'NOMINA', kind: 'file', reference: 'NÓMINA ENERO.txt', transactionCount: 412, total: '98765432109876.54', currency: 'USD' };
    await dispatch(upload);
    expect((await dispatch({ ...upload, orderId: 'copy' })).output).toMatchObject({ possibleDuplicate: true, duplicateOf: ['nómina-enero'] });
    await dispatch({ type: 'DeleteOrder', actor: userOf('u1'), orderId: 'copy' });
    await dispatch({ type: 'ApproveOrders', actor: userOf('u2'), orderIds: ['nómina-enero'], commandId: 'approve-1' });
    const replay = await dispatch({ type: 'ApproveOrders', actor: userOf('u2'), orderIds: ['nómina-enero'], commandId: 'approve-1' });
    expect(replay.replayed).toBe(true);
    await dispatch({ type: 'ApproveOrders', actor: userOf('u3'), orderIds: ['nómina-enero'] });
    await dispatch({ type: 'MarkOrderExecuted', actor: bankActor, companyId: 'ACME', orderId: 'nómina-enero' });
    expect(orderById(h.projection.state(), 'ACME', 'nómina-enero')).toMatchObject({ status: 'executed', total: '98765432109876.54', approvals: [{ userId: 'u2' }, { userId: 'u3' }] });
    const chain = await verifyAll(store)();
    expect(E.isRight(chain) && chain.right).toMatchObject({ ok: true });
  });
});
