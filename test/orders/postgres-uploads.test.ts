import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventStore } from '../../src/store/event-store.js';
import { orderById } from '../../src/projections/orders/views.js';
import { freshStore, openTestDatabase } from '../postgres/support/database.js';
import type { TestDatabase } from '../postgres/support/database.js';
import { bankActor, harness, userOf } from './dispatch-harness.js';

// Issue 11, defect 12: only uploads that could be duplicates of each other may contend.

let db: TestDatabase | undefined;
beforeAll(async () => {
  db = await openTestDatabase(8);
});
afterAll(async () => {
  await db?.close();
});

/** Counts the appends the store refused with a version conflict, so retries cannot hide contention. */
const countingConflicts = (inner: EventStore) => {
  let conflicts = 0;
  let appends = 0;
  const store: EventStore = {
    ...inner,
    append: (writes) => async () => {
      appends++;
      const result = await inner.append(writes)();
      if (E.isLeft(result) && result.left._tag === 'ConcurrencyConflict') conflicts++;
      return result;
    },
  };
  return { store, conflicts: () => conflicts, appends: () => appends };
};

const upload = (orderId: string, reference: string) => ({
  type: 'UploadOrder',
  actor: userOf('u1'),
  orderId,
  companyId: 'ACME',
  serviceId: 'NOMINA',
  kind: 'file',
  reference,
  transactionCount: 3,
  total: '150.00',
  currency: 'USD',
});

describe('concurrent uploads to one service on PostgreSQL', () => {
  it('40 uploads of different orders at once all succeed, first time, without a single conflict', async () => {
    if (db === undefined) throw new Error('no database');
    const counting = countingConflicts(await freshStore(db));
    const h = harness({ store: counting.store });
    const setUp = await h.dispatch({ type: 'RegisterServiceAgreement', actor: bankActor, companyId: 'ACME', serviceId: 'NOMINA', approvalLevels: 2 });
    expect(E.isRight(setUp)).toBe(true);
    const before = counting.appends();
    const results = await Promise.all(Array.from({ length: 40 }, (_, index) => h.dispatch(upload(`pay-${index}`, `payroll-${index}.txt`))));
    expect(results.filter(E.isLeft).map((result) => result.left.code)).toEqual([]);
    expect(counting.conflicts()).toBe(0);
    expect(counting.appends() - before).toBe(40);
    expect(results.map((result) => E.isRight(result) && (result.right.output as { possibleDuplicate: boolean }).possibleDuplicate)).toEqual(Array.from({ length: 40 }, () => false));
  });

  it('two uploads of the same content at once: both are kept, exactly one is flagged against the other', async () => {
    if (db === undefined) throw new Error('no database');
    const counting = countingConflicts(await freshStore(db));
    const h = harness({ store: counting.store });
    expect(E.isRight(await h.dispatch({ type: 'RegisterServiceAgreement', actor: bankActor, companyId: 'ACME', serviceId: 'NOMINA', approvalLevels: 1 }))).toBe(true);
    for (let round = 0; round < 5; round++) {
      const [a, b] = [`a${round}`, `b${round}`];
      const results = await Promise.all([h.dispatch(upload(a, `same-${round}.txt`)), h.dispatch(upload(b, `same-${round}.txt`))]);
      expect(results.every(E.isRight)).toBe(true);
      await h.projection.catchUp()();
      const rows = [a, b].map((orderId) => orderById(h.projection.state(), 'ACME', orderId));
      expect(rows.filter((row) => row?.possibleDuplicate === true).map((row) => row?.duplicateOf)).toEqual([[rows.find((row) => row?.possibleDuplicate === false)?.orderId]]);
    }
  });
});
