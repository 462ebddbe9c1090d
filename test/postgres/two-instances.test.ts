import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyAll } from '../../src/store/verify-chain.js';
import { postgresCheckpointStore } from '../../src/postgres/checkpoint-store.js';
import { postgresEventStore } from '../../src/postgres/event-store.js';
import type { PostgresEventStore } from '../../src/postgres/event-store.js';
import { dedicatedConnections } from './support/connections.js';
import { announceSkip, databaseUrl, freshStore, needsServer, openTestDatabase, rightOf } from './support/database.js';
import type { TestDatabase } from './support/database.js';
import { write } from './support/events.js';
import { ownershipWitness } from './support/ownership-witness.js';
import { runProcess } from './support/processes.js';
import { configureCompany, quotaRuntime, reserveSlot } from './support/quota.js';
import type { ReserveOutcome } from './support/quota.js';
import { catchUp, emptyTally, fold } from './support/tally.js';
import type { Tally } from './support/tally.js';

const instanceScript = fileURLToPath(new URL('./support/instance.ts', import.meta.url));

const runInstance = (args: readonly string[]) => runProcess(instanceScript, args);

announceSkip('two-instances.test.ts');

describe.skipIf(databaseUrl === undefined)(`two SDK instances in two processes on one database (${databaseUrl === undefined ? needsServer : 'PostgreSQL'})`, () => {
  const url = databaseUrl ?? '';
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(4);
  });
  afterAll(async () => {
    await db.close();
  });

  /** The tally of every event, folded once, straight from the log. */
  const expectedTally = async (store: PostgresEventStore): Promise<Tally> =>
    rightOf(await store.readAll({ fromPosition: 0, limit: 100_000 })()).reduce(fold, emptyTally);

  it('keep every invariant: the quota, each command once, the chains, and one projection folding each event once', async () => {
    const store = await freshStore(db);
    const witness = ownershipWitness(db.pool, store.schema);
    await witness.migrate();
    await configureCompany(quotaRuntime(store), 'acme', 30);
    // 50 commands; 20 of them are dispatched by both instances, as a retrying client would.
    const ids = Array.from({ length: 50 }, (_, index) => `reserve-${String(index)}`);
    const [one, two] = await Promise.all([
      runInstance(['work', url, store.schema, 'instance-one', 'acme', ids.slice(0, 35).join(',')]),
      runInstance(['work', url, store.schema, 'instance-two', 'acme', ids.slice(15).join(',')]),
    ]);
    const summaries = [one, two].map((run) => JSON.parse(run.stdout) as { outcomes: Record<ReserveOutcome, number>; ownedRuns: number });

    // The quota: exactly 30 slots reserved, by the two instances together, each by one command.
    const company = rightOf(await store.readStream('company-acme')());
    expect(company.filter((event) => event.type === 'SlotReserved')).toHaveLength(30);
    expect(summaries.reduce((sum, summary) => sum + summary.outcomes.reserved, 0)).toBe(30);
    expect(summaries.map((summary) => summary.outcomes.reserved + summary.outcomes.exhausted + summary.outcomes['already-applied'])).toEqual([35, 35]);
    // Each command applied at most once, with both of its events or none.
    let applied = 0;
    for (const commandId of ids) {
      const events = rightOf(await store.readCommand(commandId)());
      expect([0, 2]).toContain(events.length);
      if (events.length === 2) applied++;
    }
    expect(applied).toBe(30);
    // Nothing lost, nothing broken.
    expect(rightOf(await store.verify()())).toEqual([]);
    expect(rightOf(await verifyAll(store)())).toMatchObject({ ok: true });

    // The projection: whoever ran it, each event was folded exactly once.
    const checkpoints = postgresCheckpointStore(db.pool, { schema: store.schema });
    await catchUp(store, checkpoints);
    const ownedRuns = summaries.reduce((sum, summary) => sum + summary.ownedRuns, 0);
    expect(ownedRuns).toBeGreaterThan(0);
    // One owner at a time, across both processes.
    expect(await witness.record('tally')).toEqual({ runs: ownedRuns, most: 1 });
    const checkpoint = rightOf(await checkpoints.load('tally')());
    expect(checkpoint?.state).toEqual(JSON.parse(JSON.stringify(await expectedTally(store))) as unknown);
  });

  it('resume a projection from its checkpoint after the instance running it is killed', async () => {
    const store = await freshStore(db);
    await ownershipWitness(db.pool, store.schema).migrate();
    for (let index = 0; index < 10; index++) rightOf(await store.append([write(`stream-${String(index % 3)}`, 'any', `seed-${String(index)}`, 10)])());
    const crashed = await runInstance(['crash', url, store.schema, 'instance-crash']);
    expect(crashed.signal).toBe('SIGKILL');

    const checkpoints = postgresCheckpointStore(db.pool, { schema: store.schema });
    const saved = rightOf(await checkpoints.load('tally')());
    expect(saved?.position).toBe(17);
    // The dead instance's session ends on its own; the projection is free again without anyone's help.
    let resumed = { owned: false, eventsApplied: 0 };
    for (let attempt = 0; attempt < 200 && !resumed.owned; attempt++) {
      resumed = await catchUp(store, checkpoints);
      if (!resumed.owned) await new Promise((resolve) => setTimeout(resolve, 25));
    }
    // It resumed where the dead instance had saved, not from the start.
    expect(resumed).toEqual({ owned: true, eventsApplied: 100 - 17 });
    expect(rightOf(await checkpoints.load('tally')())?.state).toEqual(JSON.parse(JSON.stringify(await expectedTally(store))) as unknown);
  });

  it('give the last free slot to exactly one of 20 concurrent dispatches, each on its own connection', async () => {
    const store = await freshStore(db);
    await configureCompany(quotaRuntime(store), 'solo', 1);
    const connections = await dedicatedConnections(url, 20);
    const outcomes = await Promise.all(
      connections.map((connection, index) => reserveSlot(quotaRuntime(postgresEventStore(connection.pool, { schema: store.schema })), 'solo', `assign-${String(index)}`)),
    ).finally(() => Promise.all(connections.map((connection) => connection.end())));
    expect(outcomes.filter((outcome) => outcome === 'reserved')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'exhausted')).toHaveLength(19);
    expect(rightOf(await store.readStream('company-solo')())).toHaveLength(2);
  });
});
