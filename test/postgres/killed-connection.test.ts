import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { advisoryKey } from '../../src/postgres/identifiers.js';
import { postgresEventStore } from '../../src/postgres/event-store.js';
import type { PostgresEventStore } from '../../src/postgres/event-store.js';
import type { AppendWrite } from '../../src/store/event-store.js';
import { announceSkip, databaseUrl, freshStore, leftOf, needsServer, openTestDatabase, rightOf } from './support/database.js';
import type { TestDatabase } from './support/database.js';
import { freshId, write } from './support/events.js';

announceSkip('killed-connection.test.ts');

describe.skipIf(databaseUrl === undefined)(`a connection killed in the middle of an append (${databaseUrl === undefined ? needsServer : 'PostgreSQL'})`, () => {
  const url = databaseUrl ?? '';
  let db: TestDatabase;
  let admin: pg.Client;
  beforeAll(async () => {
    db = await openTestDatabase(4);
    admin = new pg.Client({ connectionString: url });
    await admin.connect();
  });
  afterAll(async () => {
    await admin.end();
    await db.close();
  });

  /** Waits until the backend named `applicationName` waits on a lock, and returns its pid. */
  const blockedBackend = async (applicationName: string): Promise<number> => {
    for (;;) {
      const { rows } = await admin.query<{ pid: number }>(`SELECT pid FROM pg_stat_activity WHERE application_name = $1 AND wait_event_type IN ('Lock', 'LWLock')`, [applicationName]);
      if (rows[0] !== undefined) return rows[0].pid;
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  };

  /** The append as it must be retried: same command, same expectations. */
  const theAppend = (commandId: string): AppendWrite[] => [write('company-acme', 1, commandId, 2), write('token-new', 'no-stream', commandId, 3)];

  const killDuring = async (store: PostgresEventStore, commandId: string, block: (blocker: pg.Client) => Promise<void>): Promise<void> => {
    const applicationName = freshId('victim');
    const victimPool = new pg.Pool({ connectionString: url, max: 1, application_name: applicationName });
    victimPool.on('error', () => undefined);
    const blocker = new pg.Client({ connectionString: url });
    await blocker.connect();
    try {
      await blocker.query('BEGIN');
      await block(blocker);
      const victim = postgresEventStore(victimPool, { schema: store.schema }).append(theAppend(commandId))();
      const pid = await blockedBackend(applicationName);
      await admin.query('SELECT pg_terminate_backend($1)', [pid]);
      const error = leftOf(await victim);
      expect(error._tag).toBe('Infrastructure');
      expect(error.message).not.toContain('company-acme');
    } finally {
      await blocker.query('ROLLBACK');
      await blocker.end();
      await victimPool.end();
    }
  };

  const checkNothingWritten = async (store: PostgresEventStore, commandId: string): Promise<void> => {
    expect(rightOf(await store.readCommand(commandId)())).toEqual([]);
    expect(rightOf(await store.readStream('company-acme')())).toHaveLength(1);
    expect(rightOf(await store.readStream('token-new')())).toEqual([]);
    expect(rightOf(await store.readAll({ fromPosition: 0, limit: 100 })())).toHaveLength(1);
    expect(rightOf(await store.verify()())).toEqual([]);
  };

  const checkRetriedOnce = async (store: PostgresEventStore, commandId: string): Promise<void> => {
    const retried = rightOf(await store.append(theAppend(commandId))());
    expect(retried.streamVersions).toEqual({ 'company-acme': 3, 'token-new': 3 });
    expect(leftOf(await store.append(theAppend(commandId))())).toMatchObject({ _tag: 'DuplicateCommand', commandId });
    expect(rightOf(await store.readCommand(commandId)())).toHaveLength(5);
    const all = rightOf(await store.readAll({ fromPosition: 0, limit: 100 })());
    expect(all.map((event) => event.metadata.commandId)).toEqual(['setup', ...Array<string>(5).fill(commandId)]);
    expect(rightOf(await store.verify()())).toEqual([]);
  };

  it('after it wrote the command and the events, while it waits for a stream head: no trace, then applied once', async () => {
    const store = await freshStore(db);
    rightOf(await store.append([write('company-acme', 'no-stream', 'setup')])());
    const commandId = freshId('assign');
    // A row lock on the head makes the append stop just before its last statement.
    await killDuring(store, commandId, async (blocker) => {
      await blocker.query(`SELECT 1 FROM "${store.schema}".streams WHERE stream_id = 'company-acme' FOR UPDATE`);
    });
    await checkNothingWritten(store, commandId);
    await checkRetriedOnce(store, commandId);
  });

  it('while it waits for its turn on a stream: no trace, no lock left behind, then applied once', async () => {
    const store = await freshStore(db);
    rightOf(await store.append([write('company-acme', 'no-stream', 'setup')])());
    const commandId = freshId('assign');
    await killDuring(store, commandId, async (blocker) => {
      await blocker.query(`SELECT pg_advisory_xact_lock($1, hashtext('token-new'))`, [advisoryKey(`${store.schema}:streams`)]);
    });
    await checkNothingWritten(store, commandId);
    await checkRetriedOnce(store, commandId);
  });

  it('while a twin of the command is in flight: the twin decides, the killed one leaves no trace', async () => {
    const store = await freshStore(db);
    rightOf(await store.append([write('company-acme', 'no-stream', 'setup')])());
    const commandId = freshId('assign');
    await killDuring(store, commandId, async (blocker) => {
      await blocker.query(`INSERT INTO "${store.schema}".commands (command_id, positions) VALUES ($1, '{}')`, [commandId]);
    });
    await checkNothingWritten(store, commandId);
    await checkRetriedOnce(store, commandId);
  });
});
