import * as TE from 'fp-ts/lib/TaskEither.js';
import { describe, expect, it } from 'vitest';
import type { RequestTokenAssignmentOutput } from '../../src/commands/token/index.js';
import { infrastructure } from '../../src/errors/sdk-error.js';
import type { PostgresEventStore } from '../../src/postgres/event-store.js';
import type { ReadAllOptions } from '../../src/store/event-store.js';
import { activeToken, configure } from '../sdk/fixtures.js';
import { harness, output, person, user } from '../sdk/harness.js';
import { freshStore, leftOf, rightOf, useTestDatabase } from './support/database.js';
import { migratedVault, vaultTable } from './support/vault.js';

const CO = 'acme';
const admin = user(CO, 'ada');
const bo = user(CO, 'bo');
const people = [person(CO, 'ada', { isCompanyAdmin: true }), person(CO, 'bo'), person(CO, 'cy')];
const HOUR = 3_600_000;

/** The store, with appends that fail while `failing` is set (a database that dies at the commit), and a log of readAll calls. */
const flakyStore = (inner: PostgresEventStore) => {
  let failing = false;
  const reads: ReadAllOptions[] = [];
  return {
    store: {
      ...inner,
      append: (...args: Parameters<PostgresEventStore['append']>) => (failing ? TE.left(infrastructure('the database went away at the commit')) : inner.append(...args)),
      readAll: (options: ReadAllOptions) => {
        reads.push(options);
        return inner.readAll(options);
      },
    },
    failAppends: (fail: boolean) => {
      failing = fail;
    },
    reads,
  };
};

describe(`postgresSecretVault.sweepOrphans (${process.env['DATABASE_URL'] === undefined ? 'embedded PGlite' : 'DATABASE_URL'})`, () => {
  const db = useTestDatabase();

  it('a command whose append fails leaves its secret in the vault; the sweep removes it after the grace period and keeps every referenced secret', async () => {
    const flaky = flakyStore(await freshStore(db()));
    const vault = await migratedVault(db().pool, flaky.store.schema);
    const world = harness(people, { store: flaky.store, vault }, 5);
    await configure(world, CO, 5);
    const { app } = await activeToken(world, admin, bo);
    const requested = output<RequestTokenAssignmentOutput>(await world.ok(admin, { type: 'RequestTokenAssignment', userId: 'cy' }));
    const rows = async (): Promise<number> => Number(((await db().pool.query({ text: `SELECT count(*) FROM ${vaultTable(flaky.store.schema)}`, values: [], rowMode: "array" })).rows[0] as readonly unknown[])[0]);
    // The seed of bo's token is the only secret.
    expect(await rows()).toBe(1);

    // Confirming cy's assignment puts an activation code in the vault, then its append fails.
    flaky.failAppends(true);
    expect(await world.fails(admin, { type: 'ConfirmTokenAssignment', serial: requested.serial })).toMatchObject({ _tag: 'Infrastructure' });
    flaky.failAppends(false);
    expect(await rows()).toBe(2);

    // Within the grace period nothing goes: the command might still be on its way.
    expect(rightOf(await vault.sweepOrphans({ events: flaky.store, olderThanMs: HOUR })())).toMatchObject({ removed: 0 });
    expect(await rows()).toBe(2);
    const swept = rightOf(await vault.sweepOrphans({ events: flaky.store, olderThanMs: 0 })());
    expect(swept).toMatchObject({ eventsRead: 0, removed: 1 });
    expect(await rows()).toBe(1);

    // bo's seed stayed: the token still verifies.
    world.clock.advance(30_000);
    expect((await world.sdk.dispatch({ commandId: 'verify-after-sweep', actor: bo, type: 'VerifyOtp', otp: app.code(world.clock.now()) })())._tag).toBe('Right');
    // The assignment, tried again, works and its code is referenced: a sweep keeps it.
    await world.ok(admin, { type: 'ConfirmTokenAssignment', serial: requested.serial });
    expect(rightOf(await vault.sweepOrphans({ events: flaky.store, olderThanMs: 0 })())).toMatchObject({ removed: 0 });
    expect(await rows()).toBe(2);
  });

  it('reads the event log from where the last sweep stopped, not from the start', async () => {
    const flaky = flakyStore(await freshStore(db()));
    const vault = await migratedVault(db().pool, flaky.store.schema);
    const world = harness(people, { store: flaky.store, vault }, 6);
    await configure(world, CO, 5);
    await activeToken(world, admin, bo);
    flaky.reads.length = 0;
    const first = rightOf(await vault.sweepOrphans({ events: flaky.store, olderThanMs: 0, pageSize: 3 })());
    expect(first.eventsRead).toBeGreaterThan(3);
    expect(flaky.reads[0]?.fromPosition).toBe(0);
    expect(flaky.reads.at(-1)?.fromPosition).toBe(first.position);

    await world.ok(admin, { type: 'RequestTokenAssignment', userId: 'cy' });
    flaky.reads.length = 0;
    const second = rightOf(await vault.sweepOrphans({ events: flaky.store, olderThanMs: 0, pageSize: 3 })());
    expect(flaky.reads[0]?.fromPosition).toBe(first.position);
    expect(second.eventsRead).toBeLessThan(first.eventsRead);
    expect(second.position).toBeGreaterThan(first.position);
    // Another vault instance on the same schema resumes from the same checkpoint.
    flaky.reads.length = 0;
    const other = await migratedVault(db().pool, flaky.store.schema);
    expect(rightOf(await other.sweepOrphans({ events: flaky.store, olderThanMs: 0 })())).toEqual({ eventsRead: 0, position: second.position, removed: 0 });
    expect(flaky.reads.map((read) => read.fromPosition)).toEqual([second.position]);
  });

  it('refuses a bad grace period or page size, naming the option', async () => {
    const store = await freshStore(db());
    const vault = await migratedVault(db().pool, store.schema);
    for (const olderThanMs of [-1, Number.NaN, Number.POSITIVE_INFINITY]) expect(leftOf(await vault.sweepOrphans({ events: store, olderThanMs })()).message).toContain('options.olderThanMs');
    expect(leftOf(await vault.sweepOrphans({ events: store, olderThanMs: 0, pageSize: 0 })()).message).toContain('options.pageSize');
  });
});
