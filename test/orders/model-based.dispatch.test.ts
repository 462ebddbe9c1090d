import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, it } from 'vitest';
import type { Actor } from '../../src/events/envelope.js';
import { agreementsOf, orderById } from '../../src/projections/orders/views.js';
import { APPROVERS, COMPANIES, ORDER_IDS, resolveActor, resolveCommand, SERVICES, scenarioArb, USERS } from './arbitraries.js';
import { expectedRow, expectViewsAgree, same } from './compare.js';
import { harness } from './dispatch-harness.js';
import type { ModelActor, ModelCommand } from './reference-model.js';
import { decimalOf, ReferenceModel } from './reference-model.js';

const actorOf = (actor: ModelActor): Actor => (actor.kind === 'bank' ? { kind: 'bank', operatorId: actor.userId } : { kind: 'user', companyId: actor.companyId, userId: actor.userId });

const wire = (command: ModelCommand): object => {
  switch (command.type) {
    case 'RegisterServiceAgreement':
      return { type: command.type, companyId: command.companyId, serviceId: command.serviceId, approvalLevels: command.levels };
    case 'UploadOrder':
      return {
        type: command.type,
        orderId: command.orderId,
        companyId: command.companyId,
        serviceId: command.serviceId,
        kind: command.kind,
        reference: command.reference,
        transactionCount: command.count,
        total: decimalOf(command.minor, command.currency, true),
        currency: command.currency,
      };
    default:
      return command;
  }
};

const T0 = Date.UTC(2025, 6, 1, 8, 0, 0);

describe('orders model-based (through dispatch, the kernel runtime and the inline projection)', () => {
  it('agrees with the reference model on every outcome, order row, approver list and view', async () => {
    await fc.assert(
      fc.asyncProperty(scenarioArb, async ({ makerChecker, pageSize, steps }) => {
        const h = harness({ makerChecker, start: T0 });
        const model = new ReferenceModel(makerChecker);
        for (const step of steps) {
          h.clock.advance(step.advanceMs);
          const command = resolveCommand(step.intent, model);
          const actor = resolveActor(step, command, model);
          const actual = await h.dispatch({ ...wire(command), actor: actorOf(actor) });
          const expected = model.apply(command, actor, h.clock.now());
          if (expected.ok !== E.isRight(actual)) {
            throw new Error(`${command.type} by ${actor.userId}: model ${expected.ok ? 'accepted' : 'refused'}, system ${E.isRight(actual) ? 'accepted' : `refused (${actual.left.message})`}`);
          }
          if (!expected.ok && E.isLeft(actual)) {
            same(actual.left.code, expected.code, `error of ${command.type} by ${actor.userId}`);
            if (expected.orderId !== undefined && !actual.left.message.includes(expected.orderId)) throw new Error(`error does not name ${expected.orderId}: ${actual.left.message}`);
          }
          const readModel = h.projection.state();
          for (const orderId of ORDER_IDS) {
            const reference = model.order('ACME', orderId);
            const row = orderById(readModel, 'ACME', orderId);
            if (reference === undefined) {
              same(row, undefined, `row of ${orderId}`);
              continue;
            }
            if (row === undefined) throw new Error(`${orderId} missing from the read model`);
            const expectedShape = expectedRow(reference);
            same(
              Object.fromEntries(Object.keys(expectedShape).map((key) => [key, row[key as keyof typeof row]])),
              expectedShape,
              `row of ${orderId}`,
            );
          }
        }
        for (const companyId of COMPANIES) {
          same(
            agreementsOf(h.projection.state(), companyId).map((agreement) => [agreement.serviceId, agreement.approvers.map((approver) => [approver.userId, approver.levels])]),
            SERVICES.filter((serviceId) => model.agreements.has(`${companyId}/${serviceId}`))
              .sort((a, b) => [...model.agreements.keys()].indexOf(`${companyId}/${a}`) - [...model.agreements.keys()].indexOf(`${companyId}/${b}`))
              .map((serviceId) => [
                serviceId,
                [...USERS]
                  .filter((userId) => model.grantsOf(companyId, serviceId, userId).length > 0)
                  .sort()
                  .map((userId) => [userId, model.grantsOf(companyId, serviceId, userId)]),
              ]),
            `agreements of ${companyId}`,
          );
        }
        expectViewsAgree(h.projection.state(), model, pageSize, COMPANIES, [undefined, ...SERVICES], APPROVERS);
      }),
      { numRuns: 1000 },
    );
  });
});
