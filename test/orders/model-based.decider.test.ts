import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, it } from 'vitest';
import { grantsOf } from '../../src/domain/agreement/state.js';
import { orderTransitions } from '../../src/domain/order/transitions.js';
import { APPROVERS, COMPANIES, ORDER_IDS, resolveActor, resolveCommand, SERVICES, scenarioArb } from './arbitraries.js';
import { expectViewsAgree, iso, same } from './compare.js';
import { PureSystem } from './pure-system.js';
import type { ModelCommand } from './reference-model.js';
import { decimalOf, ReferenceModel } from './reference-model.js';

const T0 = Date.UTC(2025, 2, 1, 9, 0, 0);

const orderIdsOf = (command: ModelCommand): readonly string[] =>
  'orderIds' in command ? command.orderIds : 'orderId' in command ? [command.orderId] : [];

describe('orders model-based (pure deciders and projection against a reference model)', () => {
  it('agrees with the reference model on every outcome, state, approval and view', () => {
    fc.assert(
      fc.property(scenarioArb, ({ makerChecker, pageSize, steps }) => {
        const system = new PureSystem(makerChecker);
        const model = new ReferenceModel(makerChecker);
        let now = T0;
        for (const step of steps) {
          now += step.advanceMs;
          const command = resolveCommand(step.intent, model);
          const actor = resolveActor(step, command, model);
          const before = new Map<string, string>(ORDER_IDS.map((orderId) => [orderId, system.order('ACME', orderId).status]));
          const actual = system.run(command, actor, now);
          const expected = model.apply(command, actor, now);

          // Same verdict, same error, and a failing batch names its order.
          if (expected.ok) {
            if (E.isLeft(actual)) throw new Error(`model accepted ${command.type} by ${actor.userId}, system said ${actual.left.message}`);
          } else {
            if (E.isRight(actual)) throw new Error(`model refused ${command.type} by ${actor.userId} with ${expected.code}, system accepted`);
            same(actual.left.code, expected.code, `error of ${command.type} by ${actor.userId}`);
            if (expected.orderId !== undefined && !actual.left.message.includes(expected.orderId)) throw new Error(`error does not name ${expected.orderId}: ${actual.left.message}`);
          }

          // Every move is one of the transition table's.
          for (const orderId of orderIdsOf(command)) {
            const from = before.get(orderId)!;
            const to = system.order('ACME', orderId).status;
            if (E.isRight(actual) && to !== 'none') {
              if (!orderTransitions.some((t) => t.from === from && t.command === command.type && t.to === to)) throw new Error(`${from} -${command.type}-> ${to} is not in the table`);
            } else {
              same(to, from, `status of ${orderId} after a refused or unrelated command`);
            }
          }

          // Order states and approvals.
          for (const orderId of ORDER_IDS) {
            const state = system.order('ACME', orderId);
            const reference = model.order('ACME', orderId);
            if (reference === undefined) {
              same(state.status, 'none', `status of ${orderId}`);
              continue;
            }
            if (state.status === 'none') throw new Error(`${orderId} missing`);
            same(
              {
                status: state.status,
                requiredLevels: state.requiredLevels,
                uploadedBy: state.uploadedBy,
                total: state.total,
                possibleDuplicate: state.possibleDuplicate,
                duplicateOf: state.duplicateOf,
                approvals: state.approvals,
              },
              {
              status: reference.status,
              requiredLevels: reference.required,
              uploadedBy: reference.uploader,
              total: decimalOf(reference.minor, reference.currency),
              possibleDuplicate: reference.duplicateOf.length > 0,
              duplicateOf: reference.duplicateOf,
              approvals: reference.approvals.map((approval) => ({ level: approval.level, userId: approval.userId, at: iso(approval.at) })),
              },
              `order ${orderId}`,
            );
          }
          // Grants.
          for (const companyId of COMPANIES) {
            for (const serviceId of SERVICES) {
              for (const userId of APPROVERS) same(grantsOf(system.agreement(companyId, serviceId), userId), model.grantsOf(companyId, serviceId, userId), `grants of ${userId}`);
            }
          }
          // One view after every step (all of them at the end).
          expectViewsAgree(system.readModel, model, pageSize, ['ACME'], [undefined], []);
        }
        expectViewsAgree(system.readModel, model, pageSize, COMPANIES, [undefined, ...SERVICES], APPROVERS);
      }),
      { numRuns: 1000 },
    );
  });
});
