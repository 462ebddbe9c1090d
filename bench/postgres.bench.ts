/**
 * The PostgreSQL event store against its peers, in one run on one database (DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/test), each in a schema of its own, dropped at the end.
 *
 * - Appends per second with 1 and 8 concurrent writers on distinct streams, single-event and
 *   10-event appends, each with an exact expected version, against
 *   `@event-driven-io/emmett-postgresql` doing the same work (`appendToStream`), and against a
 *   transactional adapter that hashes in JavaScript (BEGIN; lock the head and take positions;
 *   insert command, events and head; COMMIT): the obvious way to write this adapter.
 *   Every implementation gets its own pool of 8 connections; each writer alternates between the
 *   implementations append by append, so disturbances of a shared machine hit them alike.
 * - `readAll` of 1,000,000 events, paged, in events per second, against the raw driver reading
 *   the same rows (no watermark, no decoding) as the floor.
 *
 * Not part of CI; about two to three minutes. `BENCH_EVENTS` changes the size of the read test.
 */
import type * as EmmettPostgres from '@event-driven-io/emmett-postgresql';
import pg from 'pg';
import { GENESIS_HASH } from '../src/events/envelope.js';
import type { NewEvent, StoredEvent } from '../src/events/envelope.js';
import { sealEvent } from '../src/events/hash-chain.js';
import { postgresEventStore } from '../src/postgres/event-store.js';
import type { AppendWrite } from '../src/store/event-store.js';

const url = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const readTarget = Number(process.env['BENCH_EVENTS'] ?? 1_000_000);
const tag = Math.random().toString(36).slice(2, 8);
const schemas = { ours: `bench_ours_${tag}`, naive: `bench_naive_${tag}`, emmett: `bench_emmett_${tag}`, read: `bench_read_${tag}` };

const admin = new pg.Pool({ connectionString: url, max: 2 });
const poolOf = (max: number, options = ''): pg.Pool => {
  const pool = new pg.Pool({ connectionString: `${url}${options}`, max });
  pool.on('error', () => undefined);
  return pool;
};

// ---------------------------------------------------------------------------------------------
// the work: events shaped like the SDK's (a token assignment with its metadata)
// ---------------------------------------------------------------------------------------------

let sequence = 0;
const eventsOf = (commandId: string, count: number): NewEvent[] =>
  Array.from({ length: count }, (_, index) => ({
    eventId: `0190a1b2-c3d4-7e5f-8a9b-${(++sequence).toString(16).padStart(12, '0')}`,
    type: 'TokenAssignmentRequested',
    schemaVersion: 1,
    data: { serial: `ST${String(100_000 + index)}K`, companyId: 'company-acme', userId: 'user-ana', kind: 'soft', quotaSlot: index, requestedBy: 'admin-luis' },
    metadata: {
      commandId,
      correlationId: commandId,
      causationId: commandId,
      actor: { kind: 'user', companyId: 'company-acme', userId: 'admin-luis' },
      occurredAt: '2025-03-01T09:30:00.000Z',
    },
  }));

interface Contender {
  readonly name: string;
  /** Appends `count` events to `streamId`, which holds `version` events now. */
  readonly append: (streamId: string, version: number, count: number) => Promise<void>;
  readonly close: () => Promise<void>;
}

const softtoken = async (): Promise<Contender> => {
  const pool = poolOf(8);
  const store = postgresEventStore(pool, { schema: schemas.ours });
  const migrated = await store.migrate()();
  if (migrated._tag === 'Left') throw new Error(migrated.left.message);
  return {
    name: 'softtoken-sdk/postgres',
    append: async (streamId, version, count) => {
      const commandId = `command-${String(++sequence)}`;
      const result = await store.append([{ streamId, expectedVersion: version === 0 ? 'no-stream' : version, events: eventsOf(commandId, count) }])();
      if (result._tag === 'Left') throw new Error(result.left.message);
    },
    close: () => pool.end(),
  };
};

/** The obvious adapter: a transaction of four round trips, positions taken first, hashes in JavaScript. */
const naive = async (): Promise<Contender> => {
  const s = `"${schemas.naive}"`;
  const pool = poolOf(8);
  await pool.query(`
    CREATE SCHEMA ${s};
    CREATE SEQUENCE ${s}.global_position;
    CREATE TABLE ${s}.streams (stream_id text PRIMARY KEY, version bigint NOT NULL, head_hash text NOT NULL);
    CREATE TABLE ${s}.events (global_position bigint PRIMARY KEY, stream_id text NOT NULL, stream_version bigint NOT NULL,
      event_json text NOT NULL, hash text NOT NULL, UNIQUE (stream_id, stream_version));
    CREATE TABLE ${s}.commands (command_id text PRIMARY KEY);`);
  const headSql = `SELECT (SELECT row(version, head_hash)::text FROM ${s}.streams WHERE stream_id = $1 FOR UPDATE) AS head,
    array(SELECT nextval('${s}.global_position') FROM generate_series(1, $2)) AS positions`;
  const writeSql = `WITH c AS (INSERT INTO ${s}.commands VALUES ($1)),
    e AS (INSERT INTO ${s}.events SELECT * FROM unnest($2::bigint[], $3::text[], $4::bigint[], $5::text[], $6::text[]))
    INSERT INTO ${s}.streams VALUES ($7, $8, $9) ON CONFLICT (stream_id) DO UPDATE SET version = excluded.version, head_hash = excluded.head_hash`;
  return {
    name: 'transaction, hashes in JS',
    append: async (streamId, version, count) => {
      const commandId = `command-${String(++sequence)}`;
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const { rows } = await client.query<{ head: string | null; positions: string[] }>({ name: `head-${tag}`, text: headSql, values: [streamId, count] });
        const head = rows[0]?.head;
        const [current, headHash] = head === null || head === undefined ? ['0', GENESIS_HASH] : (head.slice(1, -1).split(',') as [string, string]);
        if (Number(current) !== version) throw new Error('conflict');
        let prevHash = headHash;
        const sealed: StoredEvent[] = eventsOf(commandId, count).map((event, index) => {
          const stored = sealEvent({ ...event, streamId, streamVersion: version + index + 1, globalPosition: Number(rows[0]?.positions[index]), prevHash });
          prevHash = stored.hash;
          return stored;
        });
        await client.query({
          name: `write-${tag}`,
          text: writeSql,
          values: [
            commandId,
            sealed.map((event) => event.globalPosition),
            sealed.map(() => streamId),
            sealed.map((event) => event.streamVersion),
            sealed.map((event) => JSON.stringify(event)),
            sealed.map((event) => event.hash),
            streamId,
            version + count,
            prevHash,
          ],
        });
        await client.query('COMMIT');
        client.release();
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        client.release();
        throw error;
      }
    },
    close: () => pool.end(),
  };
};

/** Emmett's PostgreSQL event store, if it loads here (it needs its peer dependency `@event-driven-io/dumbo`). */
const emmett = async (): Promise<Contender | string> => {
  let module: typeof EmmettPostgres;
  try {
    module = await import('@event-driven-io/emmett-postgresql');
  } catch (error) {
    return `could not be loaded: ${error instanceof Error ? error.message.split('\n')[0] ?? '' : String(error)}`;
  }
  await admin.query(`CREATE SCHEMA "${schemas.emmett}"`);
  const store = module.getPostgreSQLEventStore(`${url}?options=-c%20search_path%3D${schemas.emmett}`, {
    connectionOptions: { max: 8 },
    schema: { autoMigration: 'CreateOrUpdate' },
  } as never);
  await store.schema.migrate();
  return {
    name: 'emmett-postgresql 0.42',
    append: async (streamId, version, count) => {
      const commandId = `command-${String(++sequence)}`;
      const events = eventsOf(commandId, count).map((event) => ({ type: event.type, data: event.data, metadata: event.metadata }));
      await store.appendToStream(streamId, events, { expectedStreamVersion: BigInt(version) });
    },
    close: () => store.close(),
  };
};

// ---------------------------------------------------------------------------------------------
// appends
// ---------------------------------------------------------------------------------------------

let streamCounter = 0;

/**
 * Paired measurement: every writer appends with each contender in turn (the order alternating
 * from one append to the next), timing each append. A shared machine's disturbances (another
 * process's fsyncs, CPU bursts) then fall on all contenders alike instead of on whichever round
 * they hit; each contender's rate is its appends over the time the writers spent in it.
 */
const pairedRates = async (contenders: readonly Contender[], writers: number, size: number, appendsPerWriter: number): Promise<Map<Contender, number>> => {
  const run = ++streamCounter;
  const spent = new Map<Contender, number>(contenders.map((contender) => [contender, 0]));
  await Promise.all(
    Array.from({ length: writers }, async (_, writer) => {
      for (let index = 0; index < appendsPerWriter; index++) {
        const order = index % 2 === 0 ? contenders : [...contenders].reverse();
        for (const contender of order) {
          const streamId = `token-${String(run)}-${String(writer)}-${String(contenders.indexOf(contender))}`;
          const started = performance.now();
          await contender.append(streamId, index * size, size);
          spent.set(contender, (spent.get(contender) ?? 0) + performance.now() - started);
        }
      }
    }),
  );
  // Writers run side by side: a contender's wall time is the writers' time in it divided among them.
  return new Map(contenders.map((contender) => [contender, (writers * appendsPerWriter * 1000) / ((spent.get(contender) ?? 0) / writers)]));
};

const row = (cells: readonly string[], widths: readonly number[]): string => `| ${cells.map((cell, index) => cell.padEnd(widths[index] ?? 0)).join(' | ')} |`;

const printTable = (header: readonly string[], rows: readonly (readonly string[])[]): void => {
  const widths = header.map((cell, index) => Math.max(cell.length, ...rows.map((cells) => (cells[index] ?? '').length)));
  console.log(row(header, widths));
  console.log(`|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`);
  for (const cells of rows) console.log(row(cells, widths));
};

const appendsBench = async (): Promise<void> => {
  const contenders: Contender[] = [await softtoken(), await naive()];
  const emmettContender = await emmett();
  if (typeof emmettContender === 'string') console.log(`NOTE: @event-driven-io/emmett-postgresql ${emmettContender}\n      The Emmett column is missing from this run; install its peer dependency to compare.\n`);
  else contenders.push(emmettContender);
  const [ours, ...peers] = contenders as [Contender, ...Contender[]];

  const scenarios = [
    { writers: 1, size: 1, appends: 1500 },
    { writers: 1, size: 10, appends: 1000 },
    { writers: 8, size: 1, appends: 300 },
    { writers: 8, size: 10, appends: 200 },
  ];
  const rows: string[][] = [];
  for (const { writers, size, appends } of scenarios) {
    await pairedRates(contenders, writers, size, Math.ceil(appends / 10)); // warm-up
    const rates = await pairedRates(contenders, writers, size, appends);
    const oursRate = rates.get(ours) ?? Number.NaN;
    rows.push([
      `${String(writers)} writer${writers === 1 ? '' : 's'}, ${String(size)} event${size === 1 ? '' : 's'}/append`,
      oursRate.toFixed(0),
      ...peers.flatMap((peer) => {
        const rate = rates.get(peer) ?? Number.NaN;
        return [rate.toFixed(0), `${(oursRate / rate).toFixed(2)}x`];
      }),
    ]);
  }
  console.log('Appends per second (paired: each writer alternates between the contenders append by append; ratio = softtoken / peer, >= 1.00x means softtoken is faster)\n');
  printTable(['scenario', ours.name, ...peers.flatMap((peer) => [peer.name, 'ratio'])], rows);
  for (const contender of contenders) await contender.close();
};

// ---------------------------------------------------------------------------------------------
// readAll
// ---------------------------------------------------------------------------------------------

const readBench = async (): Promise<void> => {
  const pool = poolOf(4);
  const store = postgresEventStore(pool, { schema: schemas.read });
  const migrated = await store.migrate()();
  if (migrated._tag === 'Left') throw new Error(migrated.left.message);
  const loadStarted = performance.now();
  const perAppend = 1000;
  let loaded = 0;
  await Promise.all(
    Array.from({ length: 2 }, async (_, writer) => {
      for (let index = 0; loaded < readTarget; index++) {
        const count = Math.min(perAppend, readTarget - loaded);
        loaded += count;
        const commandId = `load-${String(writer)}-${String(index)}`;
        const writes: AppendWrite[] = [{ streamId: `load-${String(writer)}-${String(index % 50)}`, expectedVersion: 'any', events: eventsOf(commandId, count) }];
        const result = await store.append(writes)();
        if (result._tag === 'Left') throw new Error(result.left.message);
      }
    }),
  );
  const loadSeconds = (performance.now() - loadStarted) / 1000;
  await pool.query(`VACUUM ANALYZE "${schemas.read}".events`);

  const page = 10_000;
  const timeIt = async (read: (from: number) => Promise<number>): Promise<number> => {
    const started = performance.now();
    let from = 0;
    let total = 0;
    for (;;) {
      const [count, last] = [await read(from), from];
      if (count === 0) break;
      total += count;
      from = last + count; // positions are contiguous here: one loader per append, no failures
    }
    if (total !== readTarget) throw new Error(`read ${String(total)} of ${String(readTarget)} events`);
    return (total * 1000) / (performance.now() - started);
  };
  const raw = () =>
    timeIt(async (from) => {
      const { rows } = await pool.query({ name: `raw-${tag}`, text: `SELECT event_json, hash FROM "${schemas.read}".events WHERE global_position > $1 ORDER BY global_position LIMIT $2`, values: [from, page], rowMode: 'array' });
      return rows.length;
    });
  const ours = () =>
    timeIt(async (from) => {
      const result = await store.readAll({ fromPosition: from, limit: page })();
      if (result._tag === 'Left') throw new Error(result.left.message);
      const last = result.right.at(-1);
      if (last !== undefined && last.globalPosition !== from + result.right.length) throw new Error('positions are not contiguous');
      return result.right.length;
    });
  // Three alternating passes each; the best pass of each reader counts (disturbances only slow a pass down).
  const oursRates: number[] = [];
  const rawRates: number[] = [];
  for (let pass = 0; pass < 3; pass++) {
    rawRates.push(await raw());
    oursRates.push(await ours());
  }
  const oursRate = Math.max(...oursRates);
  const rawRate = Math.max(...rawRates);
  console.log(`\nreadAll of ${readTarget.toLocaleString('en')} events (pages of ${page.toLocaleString('en')}, best of 3 alternating passes; loaded in ${loadSeconds.toFixed(1)} s by 1,000-event appends)\n`);
  printTable(
    ['reader', 'events/s', 'ratio'],
    [
      ['softtoken readAll (watermark + JSON decode)', oursRate.toFixed(0), `${(oursRate / rawRate).toFixed(2)}x of raw`],
      ['raw driver, same rows, no decode (floor)', rawRate.toFixed(0), '1.00x'],
    ],
  );
  await pool.end();
};

try {
  await appendsBench();
  await readBench();
} finally {
  for (const schema of Object.values(schemas)) await admin.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await admin.end();
}
