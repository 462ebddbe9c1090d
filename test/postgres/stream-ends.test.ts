import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ChainReport } from '../../src/store/verify-chain.js';
import type { PostgresEventStore } from '../../src/postgres/event-store.js';
import { createSdk } from '../../src/sdk/create-sdk.js';
import { configure } from '../sdk/fixtures.js';
import { bank, harness, person } from '../sdk/harness.js';
import { freshStore, openTestDatabase, rightOf } from './support/database.js';
import type { TestDatabase } from './support/database.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db.close();
});

const CO = 'acme';
const people = [person(CO, 'ada', { isCompanyAdmin: true }), person(CO, 'bo'), person(CO, 'cy')];

const populated = async (store: PostgresEventStore) => {
  const world = harness(people, { store });
  await configure(world, CO, 5);
  for (const [userId, serial] of [['bo', 'HW1'], ['cy', 'HW2']] as const) {
    await world.ok(bank, { type: 'ImportPhysicalToken', companyId: CO, userId, serial, seed: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' });
  }
  await world.ok(bank, { type: 'ConfigureCompany', companyId: CO, quota: 7, policy: {} });
  return world;
};

const sql = async (store: PostgresEventStore, statement: string): Promise<void> => {
  await db.pool.query({ text: statement.replaceAll('$schema', `"${store.schema}"`) });
};

const breakOf = (report: ChainReport) => (report.ok ? undefined : report.firstBreak);

describe('sdk.verify() on PostgreSQL commits to where each stream ends (issue 11, defect 10)', () => {
  it('detects the last events of a stream deleted from the events table', async () => {
    const store = await freshStore(db);
    const world = await populated(store);
    expect(rightOf(await world.sdk.verify()()).ok).toBe(true);
    const company = rightOf(await store.readStream(`company-${CO}`)());
    expect(company.length).toBeGreaterThanOrEqual(2);
    await sql(store, `DELETE FROM $schema.events WHERE stream_id = 'company-${CO}' AND stream_version = ${String(company.length)}`);
    expect(breakOf(rightOf(await world.sdk.verify()()))).toMatchObject({ reason: 'stream-end-mismatch', streamId: `company-${CO}` });
  });

  it('with an anchor kept elsewhere, detects the newest events of the log deleted and the heads rewritten to match', async () => {
    const store = await freshStore(db);
    const world = await populated(store);
    const anchor = rightOf(await world.sdk.anchor()());
    const events = rightOf(await store.readAll({ fromPosition: 0, limit: 1000 })());
    const cutAt = events.at(-3)!.globalPosition;
    await sql(store, `DELETE FROM $schema.events WHERE global_position > ${String(cutAt)}`);
    await sql(store, `DELETE FROM $schema.streams st WHERE NOT EXISTS (SELECT 1 FROM $schema.events e WHERE e.stream_id = st.stream_id)`);
    await sql(
      store,
      `UPDATE $schema.streams st SET version = e.stream_version, head_hash = e.hash FROM $schema.events e
       WHERE e.stream_id = st.stream_id AND e.stream_version = (SELECT max(stream_version) FROM $schema.events m WHERE m.stream_id = st.stream_id)`,
    );
    // The store's own check and verify() without an anchor cannot tell: the rewrite is consistent.
    expect(rightOf(await store.verify()())).toEqual([]);
    expect(rightOf(await world.sdk.verify()()).ok).toBe(true);
    expect(breakOf(rightOf(await createSdk({ store }).verify({ anchor })()))).toMatchObject({ reason: 'anchor-mismatch' });
    expect(E.isRight(await store.readHeads()())).toBe(true);
  });
});
