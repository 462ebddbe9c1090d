import fc from 'fast-check';
import type { Either } from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SdkError } from '../../src/errors/sdk-error.js';
import { canonicalJson } from '../../src/events/canonical-json.js';
import { GENESIS_HASH } from '../../src/events/envelope.js';
import type { JsonObject, JsonValue, StoredEvent } from '../../src/events/envelope.js';
import { hashEvent } from '../../src/events/hash-chain.js';
import { postgresEventStore } from '../../src/postgres/event-store.js';
import type { PostgresEventStore } from '../../src/postgres/event-store.js';
import { freshStore, leftOf, openTestDatabase, rightOf } from './support/database.js';
import type { TestDatabase } from './support/database.js';
import { freshId, newEvent, write } from './support/events.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db.close();
});

const readAllOf = async (store: PostgresEventStore): Promise<readonly StoredEvent[]> => rightOf(await store.readAll({ fromPosition: 0, limit: 1_000_000 })());

describe('postgresEventStore: appending and reading', () => {
  it('stores events with versions, positions and a hash chain any verifier recomputes', async () => {
    const store = await freshStore(db);
    const first = rightOf(await store.append([write('company-acme', 'no-stream', 'c1', 2), write('token-1', 'no-stream', 'c1')])());
    expect(first.streamVersions).toEqual({ 'company-acme': 2, 'token-1': 1 });
    expect(first.events.map((event) => [event.streamId, event.streamVersion, event.globalPosition])).toEqual([
      ['company-acme', 1, 1],
      ['company-acme', 2, 2],
      ['token-1', 1, 3],
    ]);
    const second = rightOf(await store.append([write('company-acme', 2, 'c2')])());
    expect(second.events[0]?.prevHash).toBe(first.events[1]?.hash);

    const stream = rightOf(await store.readStream('company-acme')());
    expect(stream.map((event) => event.streamVersion)).toEqual([1, 2, 3]);
    expect(stream[0]?.prevHash).toBe(GENESIS_HASH);
    for (const event of [...stream, ...(await readAllOf(store))]) expect(hashEvent(event)).toBe(event.hash);
    expect(stream).toEqual([...first.events.slice(0, 2), ...second.events].map((event) => JSON.parse(JSON.stringify(event)) as unknown));
    expect(rightOf(await store.verify()())).toEqual([]);
  });

  it('reads a stream between two versions, and an unknown stream as empty', async () => {
    const store = await freshStore(db);
    rightOf(await store.append([write('order-9', 'no-stream', 'c1', 5)])());
    expect(rightOf(await store.readStream('order-9', { from: 2, to: 4 })()).map((event) => event.streamVersion)).toEqual([2, 3, 4]);
    expect(rightOf(await store.readStream('order-9', { from: 4 })()).map((event) => event.streamVersion)).toEqual([4, 5]);
    expect(rightOf(await store.readStream('order-9', { from: 4, to: 3 })())).toEqual([]);
    expect(rightOf(await store.readStream('order-unknown')())).toEqual([]);
  });

  it('reads everything after a position, in global order, a page at a time', async () => {
    const store = await freshStore(db);
    for (let index = 0; index < 5; index++) rightOf(await store.append([write(`token-${index % 2}`, 'any', `c${index}`, 2)])());
    const pages: number[][] = [];
    let from = 0;
    for (;;) {
      const page = rightOf(await store.readAll({ fromPosition: from, limit: 3 })());
      if (page.length === 0) break;
      pages.push(page.map((event) => event.globalPosition));
      from = page.at(-1)?.globalPosition ?? from;
    }
    expect(pages).toEqual([
      [1, 2, 3],
      [4, 5, 6],
      [7, 8, 9],
      [10],
    ]);
    expect(rightOf(await store.readAll({ fromPosition: 4, limit: 0 })())).toEqual([]);
  });

  it('finds the events of a command, and nothing for an unknown one', async () => {
    const store = await freshStore(db);
    rightOf(await store.append([write('a', 'no-stream', 'first')])());
    const second = rightOf(await store.append([write('a', 1, 'second', 2), write('b', 'any', 'second')])());
    rightOf(await store.append([write('b', 1, 'third')])());
    expect(rightOf(await store.readCommand('second')())).toEqual(second.events.map((event) => JSON.parse(JSON.stringify(event)) as unknown));
    expect(rightOf(await store.readCommand('never')())).toEqual([]);
  });

  it('accepts an append without events as a check of expectations', async () => {
    const store = await freshStore(db);
    rightOf(await store.append([write('a', 'no-stream', 'c1', 2)])());
    expect(rightOf(await store.append([{ streamId: 'a', expectedVersion: 2, events: [] }, { streamId: 'b', expectedVersion: 'no-stream', events: [] }])())).toEqual({
      events: [],
      streamVersions: { a: 2, b: 0 },
    });
    expect(leftOf(await store.append([{ streamId: 'a', expectedVersion: 1, events: [] }])())).toMatchObject({ _tag: 'ConcurrencyConflict', actual: 2 });
    expect(rightOf(await store.readStream('b')())).toEqual([]);
    expect(rightOf(await store.append([])())).toEqual({ events: [], streamVersions: {} });
  });
});

describe('postgresEventStore: optimistic concurrency and idempotency', () => {
  it('rejects a stale expected version, naming the stream, what was expected and what is there', async () => {
    const store = await freshStore(db);
    rightOf(await store.append([write('token-7', 'no-stream', 'c1', 3)])());
    expect(leftOf(await store.append([write('token-7', 2, 'c2')])())).toMatchObject({
      _tag: 'ConcurrencyConflict',
      streamId: 'token-7',
      expected: '2',
      actual: 3,
    });
    expect(leftOf(await store.append([write('token-7', 'no-stream', 'c3')])())).toMatchObject({ _tag: 'ConcurrencyConflict', expected: 'no-stream', actual: 3 });
    expect(leftOf(await store.append([write('token-8', 1, 'c4')])())).toMatchObject({ _tag: 'ConcurrencyConflict', streamId: 'token-8', actual: 0 });
    expect(rightOf(await store.append([write('token-8', 0, 'c5')])()).streamVersions).toEqual({ 'token-8': 1 });
    expect(rightOf(await store.append([write('token-7', 'any', 'c6')])()).streamVersions).toEqual({ 'token-7': 4 });
  });

  it('writes nothing at all when one write of a multi-stream append conflicts', async () => {
    const store = await freshStore(db);
    rightOf(await store.append([write('company-acme', 'no-stream', 'c1')])());
    const failed = leftOf(await store.append([write('token-new', 'no-stream', 'c2'), write('company-acme', 0, 'c2')])());
    expect(failed).toMatchObject({ _tag: 'ConcurrencyConflict', streamId: 'company-acme', expected: '0', actual: 1 });
    expect(rightOf(await store.readStream('token-new')())).toEqual([]);
    expect(rightOf(await store.readCommand('c2')())).toEqual([]);
    // The command id was not used up by the failed attempt, and the stream can still be created.
    expect(rightOf(await store.append([write('token-new', 'no-stream', 'c2'), write('company-acme', 1, 'c2')])()).streamVersions).toEqual({
      'token-new': 1,
      'company-acme': 2,
    });
    expect(rightOf(await store.verify()())).toEqual([]);
  });

  it('accepts a command id once, whatever streams the second append names', async () => {
    const store = await freshStore(db);
    rightOf(await store.append([write('a', 'no-stream', 'assign-1')])());
    expect(leftOf(await store.append([write('b', 'no-stream', 'assign-1')])())).toMatchObject({ _tag: 'DuplicateCommand', commandId: 'assign-1' });
    expect(rightOf(await store.readStream('b')())).toEqual([]);
    expect(rightOf(await store.readCommand('assign-1')())).toHaveLength(1);
  });
});

describe('postgresEventStore: stored bytes', () => {
  const jsonObject = fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue({ maxDepth: 3 }), { maxKeys: 6 }) as fc.Arbitrary<JsonObject>;
  const awkwardNumbers = fc.constantFrom(-0, 1.0, 0.1, 1e21, 1e-7, 2 ** 53 - 1, -(2 ** 53) + 1, 123456789.12345679, 5e-324, 1.7976931348623157e308);
  const awkwardStrings = fc.constantFrom('\u0000', '\ud800', '\udfff', 'a\ud83d\ude00b', '\u2028', '"\\', 'ñandú', '\u007f', '__proto__');

  it('reads back every payload with the canonical JSON, and so the hash, it was written with', async () => {
    const store = await freshStore(db);
    let command = 0;
    await fc.assert(
      fc.asyncProperty(fc.array(jsonObject, { minLength: 1, maxLength: 4 }), awkwardNumbers, awkwardStrings, async (payloads, number, text) => {
        const commandId = `c${++command}`;
        const events = payloads.map((payload) => newEvent(commandId, { ...payload, [text]: [number, text, { [text]: number }] }, text));
        const appended = rightOf(await store.append([{ streamId: `s-${command % 7}`, expectedVersion: 'any', events }])());
        const read = rightOf(await store.readCommand(commandId)());
        expect(read).toHaveLength(events.length);
        read.forEach((event, index) => {
          expect(canonicalJson(event.data)).toBe(canonicalJson(events[index]?.data as JsonValue));
          expect(canonicalJson(event.metadata as unknown as JsonValue)).toBe(canonicalJson(events[index]?.metadata as unknown as JsonValue));
          expect(event.type).toBe(text);
          expect(hashEvent(event)).toBe(event.hash);
          expect(event.hash).toBe(appended.events[index]?.hash);
        });
      }),
      { numRuns: db.kind === 'postgres' ? 300 : 100 },
    );
    expect(rightOf(await store.verify()())).toEqual([]);
  });

  it('keeps a key named __proto__ as data', async () => {
    const store = await freshStore(db);
    const data = JSON.parse('{"__proto__":{"admin":true},"plain":1}') as JsonObject;
    rightOf(await store.append([{ streamId: 'a', expectedVersion: 'no-stream', events: [newEvent('c1', data)] }])());
    const [event] = rightOf(await store.readStream('a')());
    expect(Object.keys(event?.data ?? {})).toEqual(['__proto__', 'plain']);
    expect(({} as Record<string, unknown>)['admin']).toBeUndefined();
    expect(hashEvent(event as StoredEvent)).toBe(event?.hash);
  });
});

describe('postgresEventStore: bad input', () => {
  const cases: readonly [string, unknown, string][] = [
    ['not an array', { streamId: 'a' }, 'writes'],
    ['a write that is not an object', [42], 'writes.0'],
    ['an empty stream id', [{ ...write('a', 'any', 'c'), streamId: '' }], 'writes.0.streamId'],
    ['a stream id PostgreSQL cannot hold', [{ ...write('a', 'any', 'c'), streamId: 'a\u0000b' }], 'writes.0.streamId'],
    ['a stream id with a lone surrogate', [write('ok', 'any', 'c'), { ...write('a', 'any', 'c'), streamId: 'a\ud800' }], 'writes.1.streamId'],
    ['one stream twice', [write('a', 'any', 'c'), write('a', 'any', 'c')], 'writes.1.streamId'],
    ['a negative expected version', [write('a', -1, 'c')], 'writes.0.expectedVersion'],
    ['a fractional expected version', [write('a', 1.5, 'c')], 'writes.0.expectedVersion'],
    ['events that are not an array', [{ streamId: 'a', expectedVersion: 'any', events: 'x' }], 'writes.0.events'],
    ['an event that is not an object', [{ streamId: 'a', expectedVersion: 'any', events: [null] }], 'writes.0.events.0'],
    ['an event without a type', [{ streamId: 'a', expectedVersion: 'any', events: [{ ...newEvent('c'), type: '' }] }], 'writes.0.events.0.type'],
    ['NaN in the data', [{ streamId: 'a', expectedVersion: 'any', events: [newEvent('c', { amount: Number.NaN })] }], 'writes.0.events.0.data.amount'],
    ['a bigint in the data', [{ streamId: 'a', expectedVersion: 'any', events: [{ ...newEvent('c'), data: { n: 1n } }] }], 'writes.0.events.0.data.n'],
    ['a command id PostgreSQL cannot hold', [write('a', 'any', 'c\u0000')], 'metadata.commandId'],
    ['two command ids in one append', [write('a', 'any', 'c1'), write('b', 'any', 'c2')], 'writes.1.events.0.metadata.commandId'],
  ];

  it.each(cases)('rejects %s as a bug of the writer, naming the field, and writes nothing', async (_name, writes, path) => {
    const store = await freshStore(db);
    const error = leftOf(await store.append(writes as never)());
    expect(error._tag).toBe('Infrastructure');
    expect(error.message).toContain(`invalid append: ${path}`);
    expect(await readAllOf(store)).toEqual([]);
  });

  it('reads like the in-memory store with odd bounds, and rejects bounds that are not numbers', async () => {
    const store = await freshStore(db);
    rightOf(await store.append([write('a', 'no-stream', 'c1', 5)])());
    const versions = async (options: object): Promise<readonly number[]> => rightOf(await store.readStream('a', options)()).map((event) => event.streamVersion);
    expect(await versions({ from: 1.5, to: 3.5 })).toEqual([2, 3]);
    expect(await versions({ from: -3, to: Number.POSITIVE_INFINITY })).toEqual([1, 2, 3, 4, 5]);
    const positions = async (fromPosition: number, limit: number): Promise<readonly number[]> =>
      rightOf(await store.readAll({ fromPosition, limit })()).map((event) => event.globalPosition);
    expect(await positions(-2, 2.9)).toEqual([1, 2]);
    expect(await positions(3.7, 10)).toEqual([4, 5]);
    expect(await positions(0, 0.5)).toEqual([]);
    expect(await positions(Number.MAX_SAFE_INTEGER, 10)).toEqual([]);
    const results: readonly Either<SdkError, unknown>[] = [
      await store.readAll(undefined as never)(),
      await store.readAll({ fromPosition: '0', limit: 1 } as never)(),
      await store.readStream('a', { from: Number.NaN })(),
      await store.readStream(7 as never)(),
      await store.readCommand(undefined as never)(),
      await store.verify({ limit: 0 })(),
    ];
    for (const result of results) {
      expect(leftOf(result)._tag).toBe('Infrastructure');
    }
  });

  it('answers ids that name nothing, or that PostgreSQL could never have stored, with nothing', async () => {
    const store = await freshStore(db);
    expect(rightOf(await store.readStream('')())).toEqual([]);
    expect(rightOf(await store.readStream('a\u0000')())).toEqual([]);
    expect(rightOf(await store.readCommand('')())).toEqual([]);
    expect(rightOf(await store.readCommand('\udc00')())).toEqual([]);
  });

  it('refuses a schema name it would have to trust, without touching the database', async () => {
    const failing = { query: () => Promise.reject(new Error('must not be called')), connect: () => Promise.reject(new Error('must not be called')) } as const;
    for (const schema of ['public"; DROP TABLE x; --', 'Upper', '1abc', '', 'a'.repeat(64)]) {
      const store = postgresEventStore(failing, { schema });
      const results: readonly Either<SdkError, unknown>[] = [await store.migrate()(), await store.readAll({ fromPosition: 0, limit: 1 })(), await store.append([])()];
      for (const result of results) {
        expect(leftOf(result)).toMatchObject({ _tag: 'Infrastructure', message: expect.stringContaining('options.schema') as unknown });
      }
    }
  });
});

describe('postgresEventStore: failures of the database', () => {
  it('says migrate() has not run, without quoting the statement or its parameters', async () => {
    const store = postgresEventStore(db.pool, { schema: db.newSchema() });
    const error = leftOf(await store.append([write('secret-stream-id', 'any', 'secret-command')])());
    expect(error._tag).toBe('Infrastructure');
    expect(error.message).toMatch(/migrate\(\)/);
    expect(error.message).not.toMatch(/secret|SELECT|append\(/);
    expect(leftOf(await store.readStream('secret-stream-id')()).message).toMatch(/migrate\(\)/);
  });

  it('reports a connection that cannot be had as an Infrastructure error, never a rejection', async () => {
    const refusing = { query: () => Promise.reject(new Error('connect ECONNREFUSED 10.0.0.1:5432 password=hunter2')), connect: () => Promise.reject(new Error('no')) };
    const store = postgresEventStore(refusing, { schema: 'anything' });
    const results: readonly Either<SdkError, unknown>[] = [
      await store.migrate()(),
      await store.append([write('a', 'any', 'c')])(),
      await store.readAll({ fromPosition: 0, limit: 1 })(),
      await store.readStream('a')(),
      await store.readCommand('c')(),
      await store.verify()(),
    ];
    for (const result of results) {
      const error = leftOf(result);
      expect(error._tag).toBe('Infrastructure');
      expect(error.message).not.toMatch(/hunter2|10\.0\.0\.1/);
    }
  });

  it('migrates idempotently, also when several instances start at once', async () => {
    const schema = db.newSchema();
    const stores = Array.from({ length: 4 }, () => postgresEventStore(db.pool, { schema }));
    const results = await Promise.all(stores.map((store) => store.migrate()()));
    for (const result of results) rightOf(result);
    const [store] = stores as [PostgresEventStore];
    rightOf(await store.append([write('a', 'no-stream', 'c1')])());
    rightOf(await store.migrate()());
    expect(rightOf(await store.readStream('a')())).toHaveLength(1);
  });
});

describe('postgresEventStore: integrity', () => {
  const tamper = async (store: PostgresEventStore, statement: string): Promise<void> => {
    await db.pool.query({ text: statement.replaceAll('$schema', `"${store.schema}"`) });
  };

  const seeded = async (): Promise<PostgresEventStore> => {
    const store = await freshStore(db);
    rightOf(await store.append([write('a', 'no-stream', 'c1', 3), write('b', 'no-stream', 'c1')])());
    rightOf(await store.append([write('a', 3, 'c2')])());
    return store;
  };

  const edits: readonly [string, string, string][] = [
    ['an edited payload', `UPDATE $schema.events SET event_json = replace(event_json, '"index":1', '"index":9') WHERE global_position = 2`, 'hash does not match'],
    ['a replaced hash', `UPDATE $schema.events SET hash = repeat('a', 64) WHERE global_position = 4`, 'hash does not match'],
    ['a removed event', `DELETE FROM $schema.events WHERE global_position = 2`, 'not contiguous'],
    ['a removed last event', `DELETE FROM $schema.events WHERE global_position = 5`, 'stream head'],
    ['a moved row', `UPDATE $schema.events SET global_position = 99 WHERE global_position = 4`, 'filed under another place'],
    ['a head moved back', `UPDATE $schema.streams SET version = 3 WHERE stream_id = 'a'`, 'stream head'],
  ];

  it.each(edits)('finds %s in the database', async (_name, statement, problem) => {
    const store = await seeded();
    expect(rightOf(await store.verify()())).toEqual([]);
    await tamper(store, statement);
    const problems = rightOf(await store.verify()());
    expect(problems.map((found) => found.problem).join('; ')).toContain(problem);
  });

  it('finds a chain spliced from two consistent streams', async () => {
    const store = await seeded();
    // Re-point b's only event into a's place 5: every hash still matches its row, the chain does not.
    await tamper(store, `DELETE FROM $schema.events WHERE global_position = 5`);
    await tamper(store, `UPDATE $schema.events SET stream_id = 'a', stream_version = 4 WHERE global_position = 4`);
    const problems = rightOf(await store.verify()());
    expect(problems.map((found) => found.problem).join('; ')).toMatch(/prevHash|filed under/);
  });

  it('reads an edited event as an error when asked to verify on read, and finds a broken link always', async () => {
    const store = await seeded();
    const verifying = postgresEventStore(db.pool, { schema: store.schema, verifyOnRead: true });
    await tamper(store, `UPDATE $schema.events SET event_json = replace(event_json, '"index":1', '"index":9') WHERE global_position = 2`);
    expect(rightOf(await store.readAll({ fromPosition: 0, limit: 10 })())).toHaveLength(5);
    for (const result of [await verifying.readAll({ fromPosition: 0, limit: 10 })(), await verifying.readStream('a')(), await verifying.readCommand('c1')()]) {
      expect(leftOf(result)).toMatchObject({ _tag: 'Infrastructure', message: expect.stringContaining('integrity') as unknown });
    }
    await tamper(store, `DELETE FROM $schema.events WHERE global_position = 3`);
    expect(leftOf(await store.readStream('a')())).toMatchObject({ _tag: 'Infrastructure' });
  });

  it('limits the report', async () => {
    const store = await seeded();
    await tamper(store, `UPDATE $schema.events SET hash = repeat('b', 64)`);
    expect(rightOf(await store.verify({ limit: 2 })())).toHaveLength(2);
  });
});

describe('postgresEventStore: several stores in one database', () => {
  it('keeps schemas apart', async () => {
    const [one, two] = [await freshStore(db), await freshStore(db)];
    rightOf(await one.append([write('a', 'no-stream', freshId('c'))])());
    rightOf(await two.append([write('a', 'no-stream', freshId('c'))])());
    expect(rightOf(await one.readStream('a')())[0]?.globalPosition).toBe(1);
    expect(rightOf(await two.readStream('a')())[0]?.globalPosition).toBe(1);
  });
});
