import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestTokenAssignmentOutput } from '../../src/commands/token/index.js';
import { verifyAll } from '../../src/store/verify-chain.js';
import type { PostgresEventStore } from '../../src/postgres/event-store.js';
import { configure } from '../sdk/fixtures.js';
import { output, user } from '../sdk/harness.js';
import { dedicatedConnections } from './support/connections.js';
import type { Dedicated } from './support/connections.js';
import { announceSkip, databaseUrl, freshStore, needsServer, rightOf, useTestDatabase } from './support/database.js';
import { sharedVault } from './support/shared-vault.js';
import { COMPANY, tokenWorld, USERS } from './support/token-world.js';

announceSkip('token-quota.test.ts');

describe.skipIf(databaseUrl === undefined)(`the token domain's quota under concurrent dispatches on PostgreSQL (${databaseUrl === undefined ? needsServer : 'PostgreSQL'})`, () => {
  const url = databaseUrl ?? '';
  const admin = user(COMPANY, 'ada');
  const db = useTestDatabase();
  let connections: readonly Dedicated[];
  beforeAll(async () => {
    connections = await dedicatedConnections(url, 20, 'softtoken-token-quota');
  });
  afterAll(async () => {
    await Promise.all(connections.map((connection) => connection.end()));
  });

  /** A company with `quota` on a fresh store, and 20 SDKs on it (`createSdk`), each on its own connection, as 20 host instances. */
  const companyWithQuota = async (quota: number) => {
    const store = await freshStore(db());
    await sharedVault(db().pool, store.schema).migrate();
    await configure(tokenWorld(db().pool, store.schema, 1, store), COMPANY, quota);
    const instances = connections.map((connection, index) => tokenWorld(connection.pool, store.schema, 100 + index));
    return { store, instances };
  };

  const tagsOf = (results: readonly E.Either<{ readonly _tag: string }, unknown>[]): readonly string[] =>
    results.map((result) => (E.isRight(result) ? 'Right' : result.left._tag)).sort();

  /** Every token stream of the store, with its events' types. */
  const tokenStreams = async (store: PostgresEventStore): Promise<ReadonlyMap<string, readonly string[]>> => {
    const streams = new Map<string, string[]>();
    for (const event of rightOf(await store.readAll({ fromPosition: 0, limit: 10_000 })())) {
      if (event.streamId.startsWith('token-')) streams.set(event.streamId, [...(streams.get(event.streamId) ?? []), event.type]);
    }
    return streams;
  };

  it('gives the one free slot to exactly one of 20 concurrent RequestTokenAssignment dispatches', async () => {
    const { store, instances } = await companyWithQuota(1);
    const results = await Promise.all(
      instances.map((instance, index) => instance.send(admin, { type: 'RequestTokenAssignment', commandId: `assign-${String(index)}`, userId: USERS[index] })),
    );
    // The losers were told the quota is used up: no conflict left over, no error of the store.
    expect(tagsOf(results)).toEqual([...Array<string>(19).fill('QuotaExhausted'), 'Right']);
    const winner = output<RequestTokenAssignmentOutput>(results.filter(E.isRight)[0]!.right);
    expect(rightOf(await store.readStream(`company-${COMPANY}`)()).map((event) => event.type)).toEqual(['CompanyConfigured', 'TokenSlotReserved']);
    expect([...(await tokenStreams(store))]).toEqual([[`token-${winner.serial}`, ['TokenRequested']]]);
    // Any instance's screen shows the one token and no free slot.
    const table = rightOf(await instances[7]!.sdk.views.tokenTable(COMPANY)());
    expect(table.rows.map((row) => [row.userId, row.status])).toEqual([[winner.userId, 'pending']]);
    expect(table.quota).toEqual({ total: 1, available: 0 });
    expect(rightOf(await store.verify()())).toEqual([]);
    expect(rightOf(await verifyAll(store)())).toMatchObject({ ok: true });
  });

  it('gives one user exactly one live soft token when 20 instances request it at once', async () => {
    const { store, instances } = await companyWithQuota(20);
    const results = await Promise.all(
      instances.map((instance, index) => instance.send(admin, { type: 'RequestTokenAssignment', commandId: `assign-u00-${String(index)}`, userId: 'u00' })),
    );
    expect(tagsOf(results)).toEqual([...Array<string>(19).fill('PreconditionFailed'), 'Right']);
    for (const result of results) if (E.isLeft(result)) expect(result.left).toMatchObject({ precondition: 'no-live-soft-token' });
    expect(rightOf(await store.readStream(`company-${COMPANY}`)()).map((event) => event.type)).toEqual(['CompanyConfigured', 'TokenSlotReserved']);
    expect((await tokenStreams(store)).size).toBe(1);
    expect(rightOf(await instances[0]!.sdk.views.tokenTable(COMPANY)()).quota).toEqual({ total: 20, available: 19 });
    expect(rightOf(await store.verify()())).toEqual([]);
  });
});
