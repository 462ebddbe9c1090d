import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { agreementEventCodecs } from '../../src/domain/agreement/events.js';
import { orderEventCodecs } from '../../src/domain/order/events.js';
import { inMemoryCheckpointStore } from '../../src/projections/in-memory-checkpoint-store.js';
import { runProjection } from '../../src/projections/run-projection.js';
import { orderAuditActions } from '../../src/projections/orders/audit-actions.js';
import { deserializeOrdersReadModel, ordersProjection, serializeOrdersReadModel } from '../../src/projections/orders/projection.js';
import type { OrdersReadModel } from '../../src/projections/orders/read-model.js';
import { agreementsOf, approveView, searchOrders } from '../../src/projections/orders/views.js';
import { APPROVERS, COMPANIES, resolveActor, resolveCommand, scenarioArb } from './arbitraries.js';
import { bankActor, harness, userOf } from './dispatch-harness.js';
import { PureSystem } from './pure-system.js';
import { ReferenceModel } from './reference-model.js';

// Everything a screen can show of a read model, for comparing two of them.
const screens = (model: OrdersReadModel): string =>
  JSON.stringify(
    COMPANIES.map((companyId) => [
      searchOrders(model, { companyId, pageSize: 100 }),
      APPROVERS.map((approverId) => approveView(model, { companyId, approverId, pageSize: 100 })),
      agreementsOf(model, companyId),
    ]),
  );

describe('orders projection checkpoints', () => {
  it('JSON round trip shows the same screens, for any history', () => {
    fc.assert(
      fc.property(scenarioArb, ({ makerChecker, steps }) => {
        const system = new PureSystem(makerChecker);
        const model = new ReferenceModel(makerChecker);
        let now = 0;
        for (const step of steps) {
          now += step.advanceMs;
          const command = resolveCommand(step.intent, model);
          const actor = resolveActor(step, command, model);
          system.run(command, actor, now);
          model.apply(command, actor, now);
        }
        const json = serializeOrdersReadModel(system.readModel);
        const restored = deserializeOrdersReadModel(JSON.parse(JSON.stringify(json)) as typeof json);
        if (E.isLeft(restored)) throw new Error(restored.left.message);
        expect(screens(restored.right)).toBe(screens(system.readModel));
      }),
      { numRuns: 200 },
    );
  });

  it('refuses a checkpoint that is not its JSON form', () => {
    for (const bad of [null, {}, { version: 2, companies: [], agreements: [] }, { version: 1, companies: [{ companyId: 'A', orders: [{ orderId: 1 }] }], agreements: [] }]) {
      const result = deserializeOrdersReadModel(bad);
      expect(E.isLeft(result) && result.left.code).toBe('INFRASTRUCTURE');
    }
  });

  it('a catch-up runner resuming from its checkpoint ends where the inline projection is', async () => {
    const h = harness();
    await h.dispatch({ type: 'RegisterServiceAgreement', actor: bankActor, companyId: 'ACME', serviceId: 'S1', approvalLevels: 1 });
    await h.dispatch({ type: 'GrantApprover', actor: bankActor, companyId: 'ACME', serviceId: 'S1', userId: 'u2', level: 1 });
    const checkpoints = inMemoryCheckpointStore();
    const projection = ordersProjection();
    const upload = (orderId: string) => ({ type: 'UploadOrder', actor: userOf('u1'), orderId, companyId: 'ACME', serviceId: 'S1', kind: 'single', reference: orderId, total: '5', currency: 'USD' });
    await h.dispatch(upload('o1'));
    const first = await runProjection(h.store, checkpoints, projection, { pageSize: 2 })();
    expect(E.isRight(first) && first.right.owned).toBe(true);
    await h.dispatch(upload('o2'));
    await h.dispatch({ type: 'ApproveOrders', actor: userOf('u2'), orderIds: ['o1', 'o2'] });
    const second = await runProjection(h.store, checkpoints, projection, { pageSize: 2 })();
    if (E.isLeft(second) || !second.right.owned) throw new Error('runner did not run');
    expect(second.right.eventsApplied).toBeLessThan(8);
    expect(screens(second.right.state)).toBe(screens(h.projection.state()));
  });
});

describe('audit action names', () => {
  it('name a command for every order and agreement event except the fingerprint index', () => {
    const types = [...Object.keys(orderEventCodecs), ...Object.keys(agreementEventCodecs)].filter((type) => !type.startsWith('OrderFingerprint'));
    expect(Object.keys(orderAuditActions).sort()).toEqual(types.sort());
    expect(new Set(Object.values(orderAuditActions))).toEqual(
      new Set(['RegisterServiceAgreement', 'GrantApprover', 'RevokeApprover', 'UploadOrder', 'ApproveOrders', 'DeleteOrder', 'RevokeOrders', 'MarkOrderExecuted']),
    );
  });
});
