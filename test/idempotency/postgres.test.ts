import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PgPool } from '../../src/postgres/client.js';
import { postgresEventStore } from '../../src/postgres/event-store.js';
import type { PostgresEventStore } from '../../src/postgres/event-store.js';
import { bank } from '../sdk/harness.js';
import { databaseUrl, freshStore, openTestDatabase, rightOf } from '../postgres/support/database.js';
import type { TestDatabase } from '../postgres/support/database.js';
import { COMPANY, commandsOf, firstOutcomeEverywhere, instance, ok, pausingLookup, raceBench, SERVICE, setUp, sharedPorts } from './world.js';

let db: TestDatabase;
/** A second pool: the second instance talks to the database over connections of its own. */
let otherPool: PgPool & { end?: () => Promise<void> };
beforeAll(async () => {
  db = await openTestDatabase(4);
  otherPool = databaseUrl === undefined ? db.pool : new pg.Pool({ connectionString: databaseUrl, max: 4 });
});
afterAll(async () => {
  if (otherPool !== db.pool) await otherPool.end?.();
  await db.close();
});

/** The same schema, seen by the second instance's own store. */
const twin = (store: PostgresEventStore): PostgresEventStore => postgresEventStore(otherPool, { schema: store.schema });

describe('idempotency with two createSdk instances on one PostgreSQL schema', () => {
  it('a reused commandId and a no-op command behave as in memory', async () => {
    const store = await freshStore(db);
    const ports = sharedPorts();
    const one = instance(store, ports, 1);
    const two = instance(twin(store), ports, 2);
    await setUp(one);
    const held = { type: 'GrantApprover', commandId: 'pg-noop', actor: bank, companyId: COMPANY, serviceId: SERVICE, userId: 'ana', level: 1 };
    expect((await ok(one, held)).replayed).toBe(false);
    expect(await ok(two, held)).toMatchObject({ replayed: true, events: [], output: { changed: false } });
    const reused = await two.dispatchJson({ ...held, userId: 'ben' })();
    expect(E.isLeft(reused) && reused.left.code).toBe('IDEMPOTENCY_KEY_REUSED');
    await ok(one, { type: 'ApproveOrders', commandId: 'pg-approve', actor: { kind: 'user', companyId: COMPANY, userId: 'ana' }, orderIds: ['o1'] });
    const revoke = await two.dispatchJson({ type: 'RevokeOrders', commandId: 'pg-approve', actor: { kind: 'user', companyId: COMPANY, userId: 'ana' }, orderIds: ['o1'] })();
    expect(E.isLeft(revoke) && revoke.left.code).toBe('IDEMPOTENCY_KEY_REUSED');
  });

  for (const command of ['approve', 'upload', 'grantNew', 'grantHeld'] as const) {
    it(`${command}: a retry that looked before its original committed on the other instance answers the first outcome`, async () => {
      const store = await freshStore(db);
      const ports = sharedPorts();
      await setUp(instance(store, ports, 99));
      const paused = pausingLookup(store);
      const retrying = instance(paused.store, ports, 1);
      const original = instance(twin(store), ports, 2);
      const sent = { ...commandsOf(COMPANY)[command], commandId: `pg-overlap-${command}` };
      const retry = retrying.dispatchJson(sent)();
      await paused.looked;
      const first = rightOf(await original.dispatchJson(sent)());
      paused.release();
      const retried = await retry;
      expect(E.isRight(retried) ? retried.right : retried.left).toEqual({ ...first, replayed: true });
    });
  }

  it('migrate() brings a 0.1 schema (no receipts) up to date, and receipts work after it', async () => {
    const store = await freshStore(db);
    await db.pool.query({ text: `DROP FUNCTION "${store.schema}".append(text, text[], bigint[], integer[], text[], text[], text[], text[], text)` });
    await db.pool.query({ text: `ALTER TABLE "${store.schema}".commands DROP COLUMN receipt` });
    rightOf(await store.migrate()());
    rightOf(await store.migrate()());
    const sdk = instance(store, sharedPorts(), 1);
    await setUp(sdk);
    const held = { type: 'GrantApprover', commandId: 'after-migrate', actor: bank, companyId: COMPANY, serviceId: SERVICE, userId: 'ana', level: 1 };
    expect((await ok(sdk, held)).replayed).toBe(false);
    expect((await ok(sdk, held)).replayed).toBe(true);
  });

  it('model: random interleavings of a command and its retries always answer the first outcome and append once', async () => {
    const store = await freshStore(db);
    const race = raceBench([store, twin(store)]);
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.constantFrom(...Object.keys(commandsOf(COMPANY))),
        fc.constantFrom(1, 2),
        fc.array(fc.record({ instance: fc.nat({ max: 1 }), late: fc.boolean() }), { minLength: 2, maxLength: 4 }),
        async (scheduler, command, instances, copies) => {
          const result = await race(scheduler, { command, instances, copies });
          const problem = firstOutcomeEverywhere(result, result.commandId);
          if (problem !== undefined) throw new Error(problem);
        },
      ),
      { numRuns: 100 },
    );
    // About a minute on a busy shared machine: every run is some sixty round trips.
  }, 300_000);
});
