import { fileURLToPath } from 'node:url';
import { right } from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { decodeCompanyEvent, evolveCompany, initialCompanyState } from '../../src/domain/company/index.js';
import type { StoredEvent } from '../../src/events/envelope.js';
import { verifyAll } from '../../src/store/verify-chain.js';
import { postgresCheckpointStore } from '../../src/postgres/checkpoint-store.js';
import type { PostgresEventStore } from '../../src/postgres/event-store.js';
import { inMemoryCheckpointStore } from '../../src/projections/in-memory-checkpoint-store.js';
import { runProjection } from '../../src/projections/run-projection.js';
import type { DeviceToken } from '../../src/device/index.js';
import { activeToken, configure } from '../sdk/fixtures.js';
import { STEP, user } from '../sdk/harness.js';
import { announceSkip, databaseUrl, freshStore, needsServer, rightOf, useTestDatabase } from './support/database.js';
import { holdGate, startLine } from './support/gate.js';
import type { Gate } from './support/gate.js';
import { ownershipWitness } from './support/ownership-witness.js';
import { runProcess } from './support/processes.js';
import type { Finished } from './support/processes.js';
import { sharedVault } from './support/shared-vault.js';
import { PAGE_SIZE } from './support/tally.js';
import { ADMINS, COMPANY, countedTokenTable, deviceSpec, MIX_QUOTA, MIX_USERS, tokenWorld } from './support/token-world.js';
import type { Dispatched, MixSpec, MixSummary, VerifySpec, VerifySummary } from './support/token-world.js';

const instanceScript = fileURLToPath(new URL('./support/token-instance.ts', import.meta.url));

announceSkip('token-instances.test.ts');

describe.skipIf(databaseUrl === undefined)(`two SDK instances of the token domain in two processes on one database (${databaseUrl === undefined ? needsServer : 'PostgreSQL'})`, () => {
  const url = databaseUrl ?? '';
  const db = useTestDatabase();

  /** A fresh store with the shared vault and the ownership witness, and the company configured by an SDK of the test's own. */
  const setUp = async (quota: number) => {
    const store = await freshStore(db());
    const vault = sharedVault(db().pool, store.schema);
    await vault.migrate();
    const witness = ownershipWitness(db().pool, store.schema);
    await witness.migrate();
    const world = tokenWorld(db().pool, store.schema, 1, store);
    await configure(world, COMPANY, quota);
    return { store, vault, witness, world };
  };

  /**
   * Starts an instance process per name, waits until every one waits at `gate`, lets them go at
   * once, and answers the summaries they print.
   */
  const releasedTogether = async (gate: Gate, names: readonly string[], args: (name: string, index: number) => readonly string[]): Promise<readonly unknown[]> => {
    let runs: readonly Promise<Finished>[] = [];
    try {
      runs = names.map((name, index) => runProcess(instanceScript, args(name, index)));
      for (const run of runs) run.catch(() => undefined); // reported by Promise.all below
      expect(await gate.waiting(names)).toBe(names.length);
    } finally {
      await gate.release();
    }
    return (await Promise.all(runs)).map((run) => JSON.parse(run.stdout) as unknown);
  };

  const everything = async (store: PostgresEventStore): Promise<readonly StoredEvent[]> => rightOf(await store.readAll({ fromPosition: 0, limit: 100_000 })());

  const groupBy = <A>(items: readonly A[], key: (item: A) => string): ReadonlyMap<string, readonly A[]> => {
    const groups = new Map<string, A[]>();
    for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
    return groups;
  };

  /** What the instances may be told in the mix: a race lost is a domain error, never a conflict, an OTP refusal or a failure. */
  const allowedOutcomes: Readonly<Record<string, readonly string[]>> = {
    RequestTokenAssignment: ['applied', 'replayed', 'QuotaExhausted', 'PreconditionFailed'],
    ConfirmTokenAssignment: ['applied', 'InvalidTransition'],
    EnrollDevice: ['applied', 'InvalidTransition'],
    ActivateToken: ['applied', 'InvalidTransition'],
    DeleteToken: ['applied', 'InvalidTransition'],
  };

  it('have a witness that would see two owners of one projection at once (checked on a careless checkpoint store)', async () => {
    const schema = db().newSchema();
    await db().pool.query({ text: `CREATE SCHEMA ${schema}` });
    const witness = ownershipWitness(db().pool, schema);
    await witness.migrate();
    const careless = witness.watch({ ...inMemoryCheckpointStore(), withOwnership: (_projection, work) => async () => right({ owned: true, result: await work() }) });
    let inside = 0;
    let bothInside = (): void => undefined;
    const together = new Promise<void>((resolve) => (bothInside = resolve));
    const work = async (): Promise<void> => {
      if (++inside === 2) bothInside();
      await together;
    };
    await Promise.all([careless.withOwnership('p', work)(), careless.withOwnership('p', work)()]);
    expect(await witness.record('p')).toEqual({ runs: 2, most: 2 });
  });

  const ROUNDS = 2;

  it('keep every invariant of a realistic mix: the quota, each command once, the chains, the secrets, and one token table folding each event once', async () => {
    const { store, vault, witness, world } = await setUp(MIX_QUOTA);
    const phones: DeviceToken[] = [];
    for (const userId of ADMINS) phones.push((await activeToken(world, user(COMPANY, userId), user(COMPANY, userId))).app);
    const setUpCommands = new Set((await everything(store)).map((event) => event.metadata.commandId));

    const spec = (index: number): MixSpec => ({
      url,
      schema: store.schema,
      name: `mix-${String(index)}-${store.schema}`,
      seed: 100 + index,
      startMs: world.clock.now() + STEP,
      admin: { userId: ADMINS[index]!, device: deviceSpec(phones[index]!) },
      users: index === 0 ? MIX_USERS : [...MIX_USERS].reverse(),
      rounds: ROUNDS,
    });
    const names = [0, 1].map((index) => spec(index).name);
    const start = await holdGate(db(), url, startLine(store.schema).hold);
    const summaries = (await releasedTogether(start, names, (_, index) => ['mix', JSON.stringify(spec(index))])) as readonly MixSummary[];
    const dispatched = summaries.flatMap((summary) => summary.dispatched);
    const events = await everything(store);

    // Both instances worked, at the same time: their commits alternate in the log.
    for (const summary of summaries) expect(summary.dispatched.filter((each) => each.outcome === 'applied').length).toBeGreaterThan(0);
    const writers = events.map((event) => names.findIndex((name) => event.metadata.commandId.startsWith(`${name}-`))).filter((writer) => writer >= 0);
    expect(writers.filter((writer, index) => index > 0 && writer !== writers[index - 1]).length).toBeGreaterThanOrEqual(2);
    // Races were lost only the way the domain says.
    expect(dispatched.filter((each) => !(allowedOutcomes[each.type] ?? []).includes(each.outcome))).toEqual([]);
    // The quota was reached (so the instances competed for slots)…
    expect(dispatched.some((each) => each.outcome === 'QuotaExhausted')).toBe(true);
    // …and never exceeded, and no user ever held two live soft tokens, at any point of the company's history.
    let company = initialCompanyState;
    for (const stored of rightOf(await store.readStream(`company-${COMPANY}`)())) {
      const event = decodeCompanyEvent(stored);
      if (event === undefined) throw new Error(`not a company event: ${stored.type}`);
      if (event.type === 'TokenSlotReserved') expect(company.holdings.get(event.data.userId)?.soft).toBeUndefined();
      company = evolveCompany(company, event);
      expect(company.slotsInUse).toBeLessThanOrEqual(MIX_QUOTA);
    }

    // Each command applied at most once: one append (consecutive versions in each stream it wrote), found again by its id.
    const byCommand = groupBy(events, (event) => event.metadata.commandId);
    for (const [commandId, commandEvents] of byCommand) {
      expect(rightOf(await store.readCommand(commandId)()).map((event) => event.globalPosition)).toEqual(commandEvents.map((event) => event.globalPosition));
      for (const streamEvents of groupBy(commandEvents, (event) => event.streamId).values()) {
        const versions = streamEvents.map((event) => event.streamVersion);
        expect(versions).toEqual(versions.map((_, index) => versions[0]! + index));
      }
    }
    // Whatever both instances dispatched under one id: applied by one, replayed by the other, or by neither.
    const outcomesOf = groupBy(dispatched, (each) => each.commandId);
    for (const [commandId, outcomes] of outcomesOf) {
      const applied = outcomes.filter((each) => each.outcome === 'applied').length;
      const replayed = outcomes.filter((each) => each.outcome === 'replayed').length;
      expect(applied, commandId).toBeLessThanOrEqual(1);
      expect(byCommand.has(commandId), commandId).toBe(applied === 1);
      if (replayed > 0) expect(applied, commandId).toBe(1);
    }
    // (The instances did send the same commands: the first request of each user who asks for themself, once per round.)
    const selfService = MIX_USERS.filter((userId) => Number(userId.slice(1)) % 2 === 0);
    expect([...outcomesOf.values()].filter((outcomes) => outcomes.length === 2)).toHaveLength(selfService.length * ROUNDS);
    // Nothing else was written.
    expect([...byCommand.keys()].filter((commandId) => !setUpCommands.has(commandId) && !outcomesOf.has(commandId))).toEqual([]);

    // The chains hold, in the database and end to end.
    expect(rightOf(await store.verify()())).toEqual([]);
    expect(rightOf(await verifyAll(store)())).toMatchObject({ ok: true });

    // Crypto-shredding across instances: no secret a committed event retired is left in the shared
    // vault, and every secret a live token still needs is there.
    const vaultRefs = await vault.refs();
    const retired = new Set(events.flatMap((event) => (event.data as { destroyedSecretRefs?: readonly string[] }).destroyedSecretRefs ?? []));
    const named = events.flatMap((event) => {
      const { seedRef, activationCodeRef } = event.data as { seedRef?: string; activationCodeRef?: string };
      return [seedRef, activationCodeRef].filter((ref): ref is string => ref !== undefined);
    });
    expect(named.filter((ref) => retired.has(ref) && vaultRefs.has(ref))).toEqual([]);
    expect(named.filter((ref) => !retired.has(ref) && !vaultRefs.has(ref))).toEqual([]);

    // The token table: run by one owner at a time across both processes (and the test's final run), and its
    // checkpoint is a fresh fold of the whole log, each event folded exactly once.
    const checkpoints = witness.watch(postgresCheckpointStore(db().pool, { schema: store.schema }));
    rightOf(await runProjection(store, checkpoints, countedTokenTable, { pageSize: PAGE_SIZE })());
    const ownedRuns = summaries.reduce((sum, summary) => sum + summary.ownedRuns, 0);
    expect(ownedRuns).toBeGreaterThan(0);
    expect(await witness.record(countedTokenTable.name)).toEqual({ runs: ownedRuns + 1, most: 1 });
    const checkpoint = rightOf(await checkpoints.load(countedTokenTable.name)());
    expect(checkpoint?.position).toBe(events.at(-1)?.globalPosition);
    const saved = rightOf(countedTokenTable.deserialize!(checkpoint!.state));
    expect(saved.tally.events).toBe(events.length);
    expect(saved.tally.positionSum).toBe(events.reduce((sum, event) => sum + event.globalPosition, 0));
    expect(saved.tally.applications).toEqual(Object.fromEntries([...byCommand].map(([commandId, commandEvents]) => [commandId, commandEvents.length])));
    const fresh = events.reduce(countedTokenTable.evolve, countedTokenTable.initialState);
    expect(checkpoint?.state).toEqual(JSON.parse(JSON.stringify(countedTokenTable.serialize!(fresh))));
    // The table agrees with the company stream: the slots in use are the live soft tokens.
    const table = saved.inner.companies.get(COMPANY);
    const liveSoft = (table === undefined ? [] : [...table.rows.values()]).filter((row) => row.kind === 'soft' && row.status !== 'deleted');
    expect(table?.slotsInUse).toBe(company.slotsInUse);
    expect(liveSoft.map((row) => row.serial).sort()).toEqual([...company.holdings.values()].map((tokens) => tokens.soft).filter((serial) => serial !== undefined).sort());
  });

  it('accept a code that both instances use at the same moment exactly once', async () => {
    const { store, world } = await setUp(5);
    const admin = user(COMPANY, 'ada');
    const owner = user(COMPANY, 'u01');
    const adminToken = await activeToken(world, admin, admin);
    const token = await activeToken(world, admin, owner, adminToken.app);
    world.clock.advance(STEP);
    const nowMs = world.clock.now();
    const code = token.app.code(nowMs);

    // While the test holds the events table, appends wait: both instances read the token and accept the
    // code before either can commit, so both append OtpAccepted at the same expected version.
    const names = [0, 1].map((index) => `otp-race-${String(index)}-${store.schema}`);
    const appends = await holdGate(db(), url, `LOCK TABLE "${store.schema}".events IN EXCLUSIVE MODE`);
    const summaries = (await releasedTogether(appends, names, (name, index) => {
      const spec: VerifySpec = { url, schema: store.schema, name, seed: 200 + index, nowMs, userId: owner.userId, code, commandId: `verify-${String(index)}` };
      return ['verify', JSON.stringify(spec)];
    })) as readonly VerifySummary[];
    const outcomes = summaries.map((summary) => summary.dispatched);
    expect(outcomes.map((each) => each.outcome).sort()).toEqual(['OtpRejected', 'applied']);
    expect(outcomes.find((each: Dispatched) => each.outcome === 'OtpRejected')?.reason).toBe('replay');
    // The loser's append was refused for the version (once), and its retry found the code spent.
    expect(summaries.map((summary) => summary.conflicts).sort()).toEqual([0, 1]);
    const uses = rightOf(await store.readStream(`token-${token.serial}`)()).filter((event) => event.type === 'OtpAccepted' || event.type === 'OtpRejected');
    expect(uses.map((event) => [event.type, event.metadata.commandId]).sort()).toEqual(
      [
        ['OtpAccepted', outcomes.find((each) => each.outcome === 'applied')?.commandId],
        ['OtpRejected', outcomes.find((each) => each.outcome === 'OtpRejected')?.commandId],
      ].sort(),
    );
    expect(rightOf(await store.verify()())).toEqual([]);
  });
});
