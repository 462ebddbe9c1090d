import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { SdkError } from '../../src/errors/sdk-error.js';
import type { EventStore } from '../../src/store/event-store.js';
import { inMemoryEventStore } from '../../src/store/in-memory-event-store.js';
import { orderById } from '../../src/projections/orders/views.js';
import type { Harness } from './dispatch-harness.js';
import { bankActor, harness, userOf } from './dispatch-harness.js';

/**
 * A store whose next `parties` appends wait for each other, so concurrent commands are sure to have
 * decided on the same versions before any of them commits. Counts the conflicts it reports.
 */
const barrierStore = (inner: EventStore) => {
  let waiting: (() => void)[] = [];
  let parties = 0;
  let reverse = false;
  let conflicts = 0;
  const store: EventStore = {
    ...inner,
    append: (writes) => async () => {
      if (parties > 0) {
        await new Promise<void>((release) => {
          waiting.push(release);
          if (waiting.length === parties) {
            parties = 0;
            const released = reverse ? waiting.reverse() : waiting;
            waiting = [];
            // Each released append runs to completion before the next is let go.
            void released.reduce((previous, go) => previous.then(() => { go(); return new Promise((done) => setTimeout(done, 0)); }), Promise.resolve());
          }
        });
      }
      const result = await inner.append(writes)();
      if (E.isLeft(result) && result.left._tag === 'ConcurrencyConflict') conflicts++;
      return result;
    },
  };
  return {
    store,
    /** The next `n` appends wait for each other, then go in arrival order (or the reverse). */
    hold: (n: number, inReverse = false) => {
      parties = n;
      reverse = inReverse;
    },
    conflicts: () => conflicts,
  };
};

const ok = (result: E.Either<SdkError, unknown>): void => {
  if (E.isLeft(result)) throw new Error(`${result.left.code}: ${result.left.message}`);
};

const setUp = async (h: Harness, levels: number, grants: readonly (readonly [string, number])[]): Promise<void> => {
  ok(await h.dispatch({ type: 'RegisterServiceAgreement', actor: bankActor, companyId: 'ACME', serviceId: 'S1', approvalLevels: levels }));
  for (const [userId, level] of grants) ok(await h.dispatch({ type: 'GrantApprover', actor: bankActor, companyId: 'ACME', serviceId: 'S1', userId, level }));
};
const upload = (orderId: string, reference = `${orderId}.txt`) => ({
  type: 'UploadOrder',
  actor: userOf('u1'),
  orderId,
  companyId: 'ACME',
  serviceId: 'S1',
  kind: 'file',
  reference,
  transactionCount: 1,
  total: '10.00',
  currency: 'USD',
});

const ROUNDS = 25;

describe('concurrency', () => {
  it('two approvers holding the same level approve the same order at once: exactly one level is recorded', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const gate = barrierStore(inMemoryEventStore());
      const h = harness({ store: gate.store });
      await setUp(h, 2, [['u2', 1], ['u4', 1]]);
      ok(await h.dispatch(upload('o1')));
      gate.hold(2);
      const results = await Promise.all([
        h.dispatch({ type: 'ApproveOrders', actor: userOf('u2'), orderIds: ['o1'] }),
        h.dispatch({ type: 'ApproveOrders', actor: userOf('u4'), orderIds: ['o1'] }),
      ]);
      expect(results.filter(E.isRight)).toHaveLength(1);
      const loser = results.find(E.isLeft);
      // The loser's retry sees level 1 taken: level 2 is next, which it does not hold.
      expect(loser?.left.code).toBe('FORBIDDEN');
      expect(gate.conflicts()).toBe(1);
      expect(orderById(h.projection.state(), 'ACME', 'o1')?.approvals).toHaveLength(1);
      const stream = await h.store.readStream('payment-order-ACME-o1')();
      expect(E.isRight(stream) && stream.right.filter((event) => event.type === 'OrderLevelApproved')).toHaveLength(1);
    }
  });

  it('an approval racing a delete: exactly one of them wins', async () => {
    const winners = new Set<string>();
    for (let round = 0; round < ROUNDS; round++) {
      const gate = barrierStore(inMemoryEventStore());
      const h = harness({ store: gate.store });
      await setUp(h, 1, [['u2', 1]]);
      ok(await h.dispatch(upload('o1')));
      gate.hold(2, round % 2 === 1);
      const [approval, deletion] = await Promise.all(
        (round % 2 === 0
          ? [{ type: 'ApproveOrders', actor: userOf('u2'), orderIds: ['o1'] }, { type: 'DeleteOrder', actor: userOf('u1'), orderId: 'o1' }]
          : [{ type: 'DeleteOrder', actor: userOf('u1'), orderId: 'o1' }, { type: 'ApproveOrders', actor: userOf('u2'), orderIds: ['o1'] }]
        ).map((command) => h.dispatch(command)),
      );
      const outcomes = round % 2 === 0 ? { approval, deletion } : { approval: deletion, deletion: approval };
      expect([outcomes.approval, outcomes.deletion].filter((result) => result !== undefined && E.isRight(result))).toHaveLength(1);
      const loser = [outcomes.approval, outcomes.deletion].find((result) => result !== undefined && E.isLeft(result));
      expect(loser !== undefined && E.isLeft(loser) && loser.left).toMatchObject({ code: 'INVALID_TRANSITION' });
      const status = orderById(h.projection.state(), 'ACME', 'o1')?.status;
      expect(['approved', 'deleted']).toContain(status);
      winners.add(status ?? '');
    }
    // Both orders of arrival were exercised: either side can win.
    expect(winners).toEqual(new Set(['approved', 'deleted']));
  });

  it('two uploads of the same content at once: both are kept and the later one is flagged', async () => {
    for (let round = 0; round < ROUNDS; round++) {
      const gate = barrierStore(inMemoryEventStore());
      const h = harness({ store: gate.store });
      await setUp(h, 1, [['u2', 1]]);
      gate.hold(2);
      const results = await Promise.all([h.dispatch(upload('a', 'same.txt')), h.dispatch(upload('b', 'same.txt'))]);
      expect(results.every(E.isRight)).toBe(true);
      const flags = ['a', 'b'].map((orderId) => orderById(h.projection.state(), 'ACME', orderId)?.possibleDuplicate);
      expect(flags.filter(Boolean)).toHaveLength(1);
      expect(gate.conflicts()).toBe(1);
    }
  });

  it('approvals of different orders of one agreement never contend', async () => {
    const gate = barrierStore(inMemoryEventStore());
    const h = harness({ store: gate.store });
    await setUp(h, 1, [['u2', 1], ['u4', 1], ['u3', 1]]);
    for (const orderId of ['o1', 'o2', 'o3']) ok(await h.dispatch(upload(orderId)));
    gate.hold(3);
    const results = await Promise.all(
      (
        [
          ['u2', 'o1'],
          ['u3', 'o2'],
          ['u4', 'o3'],
        ] as const
      ).map(([userId, orderId]) => h.dispatch({ type: 'ApproveOrders', actor: userOf(userId), orderIds: [orderId] })),
    );
    expect(results.every(E.isRight)).toBe(true);
    expect(gate.conflicts()).toBe(0);
  });

  it('uploads of different orders to one service never contend, and uploads of the same content still see each other (issue 11, defect 12)', async () => {
    const gate = barrierStore(inMemoryEventStore());
    const h = harness({ store: gate.store });
    await setUp(h, 1, [['u2', 1]]);
    gate.hold(8);
    const results = await Promise.all(Array.from({ length: 8 }, (_, index) => h.dispatch(upload(`d${index}`))));
    expect(results.every(E.isRight)).toBe(true);
    // No attempt was refused by the store: the default retries hide nothing.
    expect(gate.conflicts()).toBe(0);
    expect(['d0', 'd7'].map((orderId) => orderById(h.projection.state(), 'ACME', orderId)?.possibleDuplicate)).toEqual([false, false]);
    // The same content again, uploaded twice at once: they contend, and the later one is flagged against both.
    gate.hold(2);
    const again = await Promise.all([h.dispatch(upload('e1', 'd0.txt')), h.dispatch(upload('e2', 'd0.txt'))]);
    expect(again.every(E.isRight)).toBe(true);
    expect(gate.conflicts()).toBe(1);
    const flagged = ['e1', 'e2'].map((orderId) => orderById(h.projection.state(), 'ACME', orderId)?.duplicateOf);
    expect(flagged).toContainEqual(['d0']);
    expect(flagged.some((duplicateOf) => duplicateOf?.length === 2)).toBe(true);
  });
});
