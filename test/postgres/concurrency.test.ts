import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/events/envelope.js';
import { verifyAll } from '../../src/store/verify-chain.js';
import { postgresEventStore } from '../../src/postgres/event-store.js';
import type { PostgresEventStore } from '../../src/postgres/event-store.js';
import type { AppendWrite } from '../../src/store/event-store.js';
import { dedicatedConnections } from './support/connections.js';
import type { Dedicated } from './support/connections.js';
import { announceSkip, databaseUrl, freshStore, needsServer, openTestDatabase, rightOf } from './support/database.js';
import type { TestDatabase } from './support/database.js';
import { freshId, write } from './support/events.js';

announceSkip('concurrency.test.ts');

describe.skipIf(databaseUrl === undefined)(`postgresEventStore under real concurrency (${databaseUrl === undefined ? needsServer : 'PostgreSQL'})`, () => {
  const url = databaseUrl ?? '';
  let db: TestDatabase;
  let connections: readonly Dedicated[];
  beforeAll(async () => {
    db = await openTestDatabase(4);
    connections = await dedicatedConnections(url, 50);
  });
  afterAll(async () => {
    await Promise.all(connections.map((connection) => connection.end()));
    await db.close();
  });

  /** The same store once per connection. */
  const storesOn = (schema: string): readonly PostgresEventStore[] => connections.map((connection) => postgresEventStore(connection.pool, { schema }));

  const outcomes = (results: readonly { readonly _tag: string; readonly left?: { readonly _tag: string } }[]) =>
    results.map((result) => (result._tag === 'Right' ? 'Right' : (result.left?._tag ?? '?'))).sort();

  it('lets exactly one of 50 appends with the same expected version through', async () => {
    const store = await freshStore(db);
    rightOf(await store.append([write('company-acme', 'no-stream', 'setup', 3)])());
    const stores = storesOn(store.schema);
    const results = await Promise.all(stores.map((each, index) => each.append([write('company-acme', 3, `reserve-${index}`)])()));
    expect(outcomes(results)).toEqual(['Right', ...Array<string>(49).fill('ConcurrencyConflict')].sort());
    expect(rightOf(await store.readStream('company-acme')()).map((event) => event.streamVersion)).toEqual([1, 2, 3, 4]);
    expect(rightOf(await store.verify()())).toEqual([]);
  });

  it('lets exactly one of 50 writers create the same stream', async () => {
    const store = await freshStore(db);
    const stores = storesOn(store.schema);
    const results = await Promise.all(stores.map((each, index) => each.append([write('token-ST1', 'no-stream', `create-${index}`, 2)])()));
    expect(outcomes(results)).toEqual(['Right', ...Array<string>(49).fill('ConcurrencyConflict')].sort());
    expect(rightOf(await store.readStream('token-ST1')())).toHaveLength(2);
  });

  it('applies a command dispatched by 50 instances at once exactly once', async () => {
    const store = await freshStore(db);
    const stores = storesOn(store.schema);
    // Each instance decided on its own stream, as instances that loaded different states would.
    const results = await Promise.all(stores.map((each, index) => each.append([write(`order-${index}`, 'no-stream', 'approve-42')])()));
    expect(outcomes(results)).toEqual(['Right', ...Array<string>(49).fill('DuplicateCommand')].sort());
    expect(rightOf(await store.readCommand('approve-42')())).toHaveLength(1);
    expect(rightOf(await store.readAll({ fromPosition: 0, limit: 100 })())).toHaveLength(1);
  });

  it('keeps writers that can each go on appending with "any" in one unbroken chain', async () => {
    const store = await freshStore(db);
    const stores = storesOn(store.schema);
    const results = await Promise.all(stores.map((each, index) => each.append([write('audit', 'any', `log-${index}`, 2)])()));
    expect(outcomes(results)).toEqual(Array<string>(50).fill('Right'));
    expect(rightOf(await store.readStream('audit')()).map((event) => event.streamVersion)).toEqual(Array.from({ length: 100 }, (_, index) => index + 1));
    expect(rightOf(await store.verify()())).toEqual([]);
  });

  it('never deadlocks appends that name the same streams in opposite orders, and keeps them all-or-nothing', async () => {
    const store = await freshStore(db);
    const stores = storesOn(store.schema);
    const streams = ['company-a', 'company-b', 'company-c'];
    const results = await Promise.all(
      stores.map((each, index) => {
        const order = index % 2 === 0 ? streams : [...streams].reverse();
        const writes: AppendWrite[] = order.map((streamId) => write(streamId, 'any', `multi-${index}`));
        return each.append(writes)();
      }),
    );
    expect(outcomes(results)).toEqual(Array<string>(50).fill('Right'));
    for (const streamId of streams) expect(rightOf(await store.readStream(streamId)())).toHaveLength(50);
    // Each command's three events sit at the same place in every stream's history: appends were serialised.
    const positionsByCommand = new Map<string, number[]>();
    for (const event of rightOf(await store.readAll({ fromPosition: 0, limit: 1000 })())) {
      positionsByCommand.set(event.metadata.commandId, [...(positionsByCommand.get(event.metadata.commandId) ?? []), event.streamVersion]);
    }
    for (const versions of positionsByCommand.values()) expect(new Set(versions).size).toBe(1);
    expect(rightOf(await store.verify()())).toEqual([]);
  });

  it('lets a reader that follows readAll while 8 writers append see every event, in order, with no gap left behind', async () => {
    const store = await freshStore(db);
    const writers = storesOn(store.schema).slice(0, 8);
    const reader = postgresEventStore((connections[49] as Dedicated).pool, { schema: store.schema });
    let writing = true;
    const seen: StoredEvent[] = [];
    const follow = async (): Promise<void> => {
      let from = 0;
      for (let idle = 0; writing || idle < 2; ) {
        const page = rightOf(await reader.readAll({ fromPosition: from, limit: 37 })());
        if (page.length === 0) idle = writing ? 0 : idle + 1;
        for (const event of page) {
          expect(event.globalPosition).toBeGreaterThan(from);
          from = event.globalPosition;
          seen.push(event);
        }
      }
    };
    const appendMany = async (each: PostgresEventStore, writer: number): Promise<void> => {
      for (let round = 0; round < 60; round++) {
        const shared = `shared-${round % 3}`;
        const mine = `writer-${writer}`;
        const commandId = freshId(`w${writer}`);
        rightOf(await each.append([write(mine, round === 0 ? 'no-stream' : round * 2, commandId, 2), write(shared, 'any', commandId, 1 + (round % 3))])());
      }
    };
    const reading = follow();
    await Promise.all(writers.map(appendMany));
    writing = false;
    await reading;
    const everything = rightOf(await store.readAll({ fromPosition: 0, limit: 100_000 })());
    expect(everything).toHaveLength(8 * 60 * 4);
    expect(seen.map((event) => event.globalPosition)).toEqual(everything.map((event) => event.globalPosition));
    // Every stream's positions follow its versions, and the whole log verifies (in the database and here).
    expect(rightOf(await verifyAll(store, { pageSize: 250 })())).toMatchObject({ ok: true });
    expect(rightOf(await store.verify()())).toEqual([]);
  });
});
