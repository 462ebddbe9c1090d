import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { EventStore } from '../../src/store/event-store.js';
import { inMemoryEventStore } from '../../src/store/in-memory-event-store.js';
import { orderById } from '../../src/projections/orders/views.js';
import { bankActor, harness, userOf } from './dispatch-harness.js';

// Issue 11, defect 12, as a property: concurrent uploads contend only with uploads of the same content.

/** Lets every append of a burst decide before any commits, then commits them one by one; counts conflicts. */
const burstStore = (inner: EventStore) => {
  let waiting: (() => void)[] = [];
  let parties = 0;
  let conflicts = 0;
  const store: EventStore = {
    ...inner,
    append: (writes) => async () => {
      if (parties > 0) {
        await new Promise<void>((release) => {
          waiting.push(release);
          if (waiting.length === parties) {
            parties = 0;
            const released = waiting;
            waiting = [];
            void released.reduce((previous, go) => previous.then(() => { go(); return new Promise((done) => setTimeout(done, 0)); }), Promise.resolve());
          }
        });
      }
      const result = await inner.append(writes)();
      if (E.isLeft(result) && result.left._tag === 'ConcurrencyConflict') conflicts++;
      return result;
    },
  };
  return { store, hold: (n: number) => (parties = n), conflicts: () => conflicts };
};

describe('concurrent uploads to one service (property)', () => {
  it('all succeed; conflicts arise only between uploads of equal content; each is flagged against exactly the same-content orders committed before it', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.integer({ min: 0, max: 5 }), { minLength: 1, maxLength: 12 }), async (contents) => {
        const gate = burstStore(inMemoryEventStore());
        const h = harness({ store: gate.store });
        const agreement = await h.dispatch({ type: 'RegisterServiceAgreement', actor: bankActor, companyId: 'ACME', serviceId: 'S1', approvalLevels: 1 });
        expect(E.isRight(agreement)).toBe(true);
        gate.hold(contents.length);
        const results = await Promise.all(
          contents.map((content, index) =>
            h.dispatch({
              type: 'UploadOrder', actor: userOf('u1'), orderId: `o${index}`, companyId: 'ACME', serviceId: 'S1',
              kind: 'file', reference: `content-${content}.txt`, transactionCount: 1, total: '10.00', currency: 'USD',
            }),
          ),
        );
        expect(results.every(E.isRight)).toBe(true);
        const groups = new Map<number, number[]>();
        contents.forEach((content, index) => groups.set(content, [...(groups.get(content) ?? []), index]));
        // Each upload conflicts at most once per other upload of its content (which commits once).
        const bound = [...groups.values()].reduce((sum, group) => sum + group.length * (group.length - 1), 0);
        expect(gate.conflicts()).toBeLessThanOrEqual(bound);
        const model = h.projection.state();
        for (const group of groups.values()) {
          const rows = group.map((index) => orderById(model, 'ACME', `o${index}`)!);
          // In commit order, each row names exactly the members of its group committed before it.
          const committed = [...rows].sort((a, b) => a.duplicateOf.length - b.duplicateOf.length);
          committed.forEach((row, position) => {
            expect(new Set(row.duplicateOf)).toEqual(new Set(committed.slice(0, position).map((earlier) => earlier.orderId)));
            expect(row.possibleDuplicate).toBe(position > 0);
          });
        }
      }),
      { numRuns: 200 },
    );
  });
});
