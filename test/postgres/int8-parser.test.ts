import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresEventStore } from '../../src/postgres/event-store.js';
import { announceSkip, databaseUrl, needsServer } from './support/database.js';
import { freshId, write } from './support/events.js';

announceSkip('int8-parser.test.ts');

// Hosts (and libraries they load) often make node-postgres parse int8 as BigInt; the store must
// read its positions and versions either way.
type ParserLookup = (oid: number, format?: string) => unknown;
const defaultParser = pg.types.getTypeParser as ParserLookup;
const int8AsBigInt: ParserLookup = (oid, format) => (oid === 20 ? (text: string) => BigInt(text) : defaultParser(oid, format));

const bigintParsingPool = (): pg.Pool =>
  new pg.Pool({ connectionString: databaseUrl, max: 2, types: { getTypeParser: int8AsBigInt as pg.CustomTypesConfig['getTypeParser'] } });

describe.skipIf(databaseUrl === undefined)(`a pool that parses int8 as BigInt (${needsServer})`, () => {
  let pool: pg.Pool;
  const schema = `st_test_int8_${Math.random().toString(36).slice(2, 10)}`;

  beforeAll(() => {
    pool = bigintParsingPool();
  });
  afterAll(async () => {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });

  it('appends, reads every way and verifies as with the default parser', async () => {
    const store = postgresEventStore(pool, { schema });
    expect(await store.migrate()()).toEqual({ _tag: 'Right', right: undefined });
    const stream = freshId('stream');
    const first = freshId('command');
    const appended = await store.append([write(stream, 'no-stream', first, 3)])();
    expect(appended).toMatchObject({ _tag: 'Right', right: { streamVersions: { [stream]: 3 } } });
    expect(await store.append([write(stream, 3, freshId('command'), 2)])()).toMatchObject({ _tag: 'Right' });

    const streamEvents = await store.readStream(stream)();
    const all = await store.readAll({ fromPosition: 0, limit: 100 })();
    const byCommand = await store.readCommand(first)();
    if (streamEvents._tag === 'Left' || all._tag === 'Left' || byCommand._tag === 'Left') throw new Error('a read failed');
    expect(streamEvents.right.map((event) => event.streamVersion)).toEqual([1, 2, 3, 4, 5]);
    expect(all.right.map((event) => typeof event.globalPosition)).toEqual(new Array(5).fill('number'));
    expect(byCommand.right).toHaveLength(3);
    expect(await store.verify({ limit: 10 })()).toEqual({ _tag: 'Right', right: [] });
  });
});
