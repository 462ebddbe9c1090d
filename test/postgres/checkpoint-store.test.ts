import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SdkError } from '../../src/errors/sdk-error.js';
import { postgresCheckpointStore } from '../../src/postgres/checkpoint-store.js';
import type { PostgresCheckpointStore } from '../../src/postgres/checkpoint-store.js';
import { checkpointStoreContract } from '../../src/testing/checkpoint-store-contract.js';
import { announceSkip, databaseUrl, freshStore, leftOf, needsServer, openTestDatabase, rightOf } from './support/database.js';
import type { TestDatabase } from './support/database.js';
import { freshId } from './support/events.js';

let db: TestDatabase | undefined;
const database = async (): Promise<TestDatabase> => (db ??= await openTestDatabase(4));
beforeAll(database);
afterAll(async () => {
  await db?.close();
});

const freshCheckpoints = async (): Promise<PostgresCheckpointStore> => {
  const { schema } = await freshStore(await database());
  return postgresCheckpointStore((await database()).pool, { schema });
};

checkpointStoreContract(`PostgreSQL (${databaseUrl === undefined ? 'embedded PGlite' : 'DATABASE_URL'})`, freshCheckpoints, { describe, it });

describe('postgresCheckpointStore', () => {
  it('keeps the state as the JSON it was given, through the escapes PostgreSQL text cannot hold raw', async () => {
    const store = await freshCheckpoints();
    const state = { text: 'nul \u0000 lone \ud800 emoji 🧾', numbers: [0, -1.5, 1e21, 2 ** 53 - 1], nested: { '': null, __proto__: 'x' } };
    rightOf(await store.save('tokens', { position: 12, state })());
    expect(rightOf(await store.load('tokens')())).toEqual({ position: 12, state: JSON.parse(JSON.stringify(state)) as unknown });
    rightOf(await store.save('tokens', { position: 13, state: null })());
    expect(rightOf(await store.load('tokens')())).toEqual({ position: 13, state: null });
  });

  it('rejects what it could not store faithfully, as a bug of the caller', async () => {
    const store = await freshCheckpoints();
    const cases: readonly TaskEither<SdkError, unknown>[] = [
      store.save('p', { position: -1, state: {} }),
      store.save('p', { position: 1.5, state: {} }),
      store.save('p', { position: 1, state: { f: Number.NaN } }),
      store.save('p', { position: 1, state: undefined as never }),
      store.save('', { position: 1, state: {} }),
      store.save('a\u0000', { position: 1, state: {} }),
      store.load('\ud800'),
      store.withOwnership('', () => Promise.resolve(1)),
    ];
    for (const task of cases) expect(leftOf(await task())._tag).toBe('Infrastructure');
    expect(rightOf(await store.load('p')())).toBeUndefined();
  });

  it('creates its tables with its own migrate, and refuses a bad schema name', async () => {
    const base = await database();
    const store = postgresCheckpointStore(base.pool, { schema: base.newSchema() });
    expect(leftOf(await store.load('p')()).message).toMatch(/migrate\(\)/);
    rightOf(await store.migrate()());
    rightOf(await store.save('p', { position: 1, state: [] })());
    expect(rightOf(await store.load('p')())).toEqual({ position: 1, state: [] });
    const bad = postgresCheckpointStore(base.pool, { schema: 'Bad-Name' });
    expect(leftOf(await bad.withOwnership('p', () => Promise.resolve(1))())).toMatchObject({ _tag: 'Infrastructure' });
  });
});

announceSkip('checkpoint-store.test.ts (ownership across instances)');

describe.skipIf(databaseUrl === undefined)(`postgresCheckpointStore across instances (${databaseUrl === undefined ? needsServer : 'PostgreSQL'})`, () => {
  const url = databaseUrl ?? '';
  const pools: pg.Pool[] = [];
  const instance = (schema: string, applicationName = freshId('instance')): PostgresCheckpointStore => {
    const pool = new pg.Pool({ connectionString: url, max: 2, application_name: applicationName });
    pool.on('error', () => undefined);
    pools.push(pool);
    return postgresCheckpointStore(pool, { schema });
  };
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
  });

  it('gives a projection to one instance at a time, across pools', async () => {
    const { schema } = await freshStore(await database());
    const [one, two] = [instance(schema), instance(schema)];
    const result = rightOf(
      await one.withOwnership('orders', async () => {
        const inside = rightOf(await two.withOwnership('orders', () => Promise.resolve('two'))());
        expect(inside).toEqual({ owned: false });
        return 'one';
      })(),
    );
    expect(result).toEqual({ owned: true, result: 'one' });
    expect(rightOf(await two.withOwnership('orders', () => Promise.resolve('two'))())).toEqual({ owned: true, result: 'two' });
  });

  it('hands a projection over when its owner dies, and the dead owner can no longer save', async () => {
    const { schema } = await freshStore(await database());
    const ownerName = freshId('owner');
    const owner = instance(schema, ownerName);
    const successor = instance(schema);
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      const outcome = rightOf(
        await owner.withOwnership('tokens', async () => {
          rightOf(await owner.save('tokens', { position: 10, state: { count: 10 } })());
          // The owner's connection dies (a crash, a failover, an operator).
          await admin.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = $1`, [ownerName]);
          let taken: unknown;
          for (let attempt = 0; attempt < 100; attempt++) {
            taken = rightOf(await successor.withOwnership('tokens', async () => rightOf(await successor.load('tokens')()))());
            if ((taken as { owned: boolean }).owned) break;
            await new Promise((resolve) => setTimeout(resolve, 20));
          }
          expect(taken).toEqual({ owned: true, result: { position: 10, state: { count: 10 } } });
          return (await owner.save('tokens', { position: 20, state: { count: 20 } })())._tag;
        })(),
      );
      expect(outcome).toEqual({ owned: true, result: 'Left' });
      expect(rightOf(await successor.load('tokens')())).toEqual({ position: 10, state: { count: 10 } });
    } finally {
      await admin.end();
    }
  });
});
