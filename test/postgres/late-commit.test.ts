import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresEventStore } from '../../src/postgres/event-store.js';
import type { PostgresEventStore } from '../../src/postgres/event-store.js';
import { announceSkip, databaseUrl, freshStore, needsServer, openTestDatabase, rightOf } from './support/database.js';
import type { TestDatabase } from './support/database.js';
import { write } from './support/events.js';
import { holdTransaction } from './support/held-transaction.js';

announceSkip('late-commit.test.ts');

describe.skipIf(databaseUrl === undefined)(`readAll and a transaction that commits late (${databaseUrl === undefined ? needsServer : 'PostgreSQL'})`, () => {
  const url = databaseUrl ?? '';
  let db: TestDatabase;
  beforeAll(async () => {
    db = await openTestDatabase(4);
  });
  afterAll(async () => {
    await db.close();
  });

  const positions = async (store: PostgresEventStore, fromPosition = 0): Promise<readonly number[]> =>
    rightOf(await store.readAll({ fromPosition, limit: 1000 })()).map((event) => event.globalPosition);

  it('shows nothing past an append still in flight, then everything in order once it commits', async () => {
    const store = await freshStore(db);
    rightOf(await store.append([write('company-acme', 'no-stream', 'before', 2)])());

    const slow = await holdTransaction(url);
    try {
      const slowStore = postgresEventStore(slow.pool, { schema: store.schema });
      const held = rightOf(await slowStore.append([write('token-slow', 'no-stream', 'slow', 2)])());
      expect(held.events.map((event) => event.globalPosition)).toEqual([3, 4]);

      // Later appends take later positions and commit first.
      rightOf(await store.append([write('token-fast', 'no-stream', 'fast-1')])());
      rightOf(await store.append([write('company-acme', 2, 'fast-2', 2)])());
      expect(rightOf(await store.readStream('company-acme')())).toHaveLength(4);

      // A reader sees the events before the slow append, and nothing from 5 on, even though 5..7 are committed.
      expect(await positions(store)).toEqual([1, 2]);
      expect(await positions(store, 2)).toEqual([]);
    } catch (error) {
      await slow.rollback();
      throw error;
    }
    await slow.commit();
    expect(await positions(store)).toEqual([1, 2, 3, 4, 5, 6, 7]);
    expect(await positions(store, 2)).toEqual([3, 4, 5, 6, 7]);
  });

  it('moves past the positions of an append that rolls back', async () => {
    const store = await freshStore(db);
    const slow = await holdTransaction(url);
    try {
      rightOf(await postgresEventStore(slow.pool, { schema: store.schema }).append([write('token-slow', 'no-stream', 'slow')])());
      rightOf(await store.append([write('token-fast', 'no-stream', 'fast')])());
      expect(await positions(store)).toEqual([]);
    } finally {
      await slow.rollback();
    }
    expect(await positions(store)).toEqual([2]);
    expect(rightOf(await store.readCommand('slow')())).toEqual([]);
  });

  it('is not held back by transactions that do not append to this store', async () => {
    const store = await freshStore(db);
    const other = await freshStore(db);
    // A long transaction elsewhere: another store's append, and a plain write to another table.
    const elsewhere = await holdTransaction(url);
    rightOf(await postgresEventStore(elsewhere.pool, { schema: other.schema }).append([write('x', 'no-stream', 'other')])());
    const unrelated = new pg.Client({ connectionString: url });
    await unrelated.connect();
    await unrelated.query('BEGIN');
    await unrelated.query(`INSERT INTO "${other.schema}".checkpoints (projection, position, state) VALUES ('unrelated', 0, 'null')`);
    try {
      rightOf(await store.append([write('token-1', 'no-stream', 'mine')])());
      expect(await positions(store)).toEqual([1]);
    } finally {
      await unrelated.query('ROLLBACK');
      await unrelated.end();
      await elsewhere.rollback();
    }
  });

  it('holds readers back as well when the append runs late in a longer transaction that wrote first', async () => {
    const store = await freshStore(db);
    const busy = await holdTransaction(url);
    try {
      await busy.pool.query({ text: `INSERT INTO "${store.schema}".checkpoints (projection, position, state) VALUES ('x', 0, 'null')` });
      rightOf(await postgresEventStore(busy.pool, { schema: store.schema }).append([write('a', 'no-stream', 'slow')])());
      rightOf(await store.append([write('b', 'no-stream', 'fast')])());
      expect(await positions(store)).toEqual([]);
    } catch (error) {
      await busy.rollback();
      throw error;
    }
    await busy.commit();
    expect(await positions(store)).toEqual([1, 2]);
  });
});
