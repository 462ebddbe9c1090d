/**
 * A bank's scale, in memory (`npm run bench -- scale`, issue 13). A fast loader writes N tokens in
 * N/100 companies straight through the store's `append` (one append per company: its
 * `TokenSlotReserved`s and its tokens' `TokenRequested`s, the store computing the hash chain),
 * from events a real `dispatch` produced once, with the ids changed. Then, interleaved between a
 * small world (`SCALE_SMALL`, default 1,000 tokens) and a large one (`SCALE_TOKENS`, default
 * 100,000), each for several rounds:
 * - creating tokens: the cost per `RequestTokenAssignment` through `dispatch`, large vs small
 *   (target <= 1.5x);
 * - cold start: a fresh SDK over the same store, its first command and first token-table page,
 *   large vs small (target <= 1.5x);
 * - heap: what that fresh SDK adds to the heap after serving every company's token table once,
 *   large vs small (target <= 1.5x; the store's own events are not counted).
 * Medians over the rounds, with the spread (min-max); each ratio says whether it meets its target.
 * Sizes come from environment variables, so CI (which runs no benches) never pays for them; try
 * `SCALE_TOKENS=10000 npm run bench -- scale` first. Always exits 0.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { Actor, NewEvent, StoredEvent } from '../src/events/envelope.js';
import { manualClock } from '../src/ports/clock.js';
import { inMemoryDirectory } from '../src/ports/in-memory-directory.js';
import type { InMemoryDirectoryUser } from '../src/ports/in-memory-directory.js';
import { inMemorySecretVault } from '../src/ports/in-memory-secret-vault.js';
import { seededRandom } from '../src/ports/random.js';
import { createSdk } from '../src/sdk/create-sdk.js';
import type { EventStore } from '../src/store/event-store.js';
import { inMemoryEventStore } from '../src/store/in-memory-event-store.js';

const SMALL = Number(process.env.SCALE_SMALL ?? '1000');
const LARGE = Number(process.env.SCALE_TOKENS ?? '100000');
const ROUNDS = Number(process.env.SCALE_ROUNDS ?? '5');
const CREATED_PER_ROUND = 50;
const TOKENS_PER_COMPANY = 100;

const gc = (): void => {
  (globalThis as { gc?: () => void }).gc?.();
};
const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[sorted.length >> 1] ?? Number.NaN;
};
const spread = (values: readonly number[]): string => `${Math.min(...values).toFixed(2)}–${Math.max(...values).toFixed(2)}`;

const bank: Actor = { kind: 'bank', operatorId: 'bench' };
const userOf = (companyId: string, userId: string): InMemoryDirectoryUser => ({
  companyId,
  userId,
  displayName: userId,
  active: true,
  email: `${userId}@example.com`,
  mobile: '+593991234567',
  isCompanyAdmin: false,
  securityAnswer: 'Quito',
});
const policy = { assignmentConfirmation: 'none', activation: 'security-question' };

const must = <A>(result: E.Either<{ readonly _tag: string }, A>, what: string): A => {
  if (E.isLeft(result)) throw new Error(`${what}: ${JSON.stringify(result.left)}`);
  return result.right;
};

/** The events of one company and one token, as a real dispatch writes them: the loader's templates. */
const templates = async (): Promise<{ configured: StoredEvent; requested: StoredEvent; reserved: StoredEvent }> => {
  const sdk = createSdk({ directory: inMemoryDirectory([userOf('tmpl', 'u0')]), clock: manualClock(1_700_000_000_000), random: seededRandom(1) });
  const configured = must(await sdk.dispatchJson({ commandId: 'tmpl-1', actor: bank, type: 'ConfigureCompany', companyId: 'tmpl', quota: 100_000, policy })(), 'configure');
  const requested = must(await sdk.dispatchJson({ commandId: 'tmpl-2', actor: { kind: 'user', companyId: 'tmpl', userId: 'u0' }, type: 'RequestTokenAssignment' })(), 'request');
  const find = (events: readonly StoredEvent[], type: string): StoredEvent => {
    const found = events.find((event) => event.type === type);
    if (found === undefined) throw new Error(`no ${type} in the template`);
    return found;
  };
  return { configured: find(configured.events, 'CompanyConfigured'), requested: find(requested.events, 'TokenRequested'), reserved: find(requested.events, 'TokenSlotReserved') };
};

const companyIdOf = (index: number): string => `c${String(index)}`;

/** Writes `tokens` tokens in tokens/100 companies through `append`, one append per company. */
const load = async (store: EventStore, tokens: number, template: Awaited<ReturnType<typeof templates>>): Promise<number> => {
  let eventId = 0;
  const newEvent = (source: StoredEvent, data: Record<string, unknown>, commandId: string): NewEvent => ({
    eventId: `00000000-0000-7000-8000-${String(++eventId).padStart(12, '0')}`,
    type: source.type,
    schemaVersion: source.schemaVersion,
    data: { ...source.data, ...data } as NewEvent['data'],
    metadata: { ...source.metadata, commandId, correlationId: commandId, causationId: commandId },
  });
  const companies = Math.max(1, Math.round(tokens / TOKENS_PER_COMPANY));
  for (let company = 0; company < companies; company++) {
    const companyId = companyIdOf(company);
    const commandId = `load-${companyId}`;
    const companyEvents: NewEvent[] = [newEvent(template.configured, {}, commandId)];
    const writes = [];
    for (let token = 0; token < TOKENS_PER_COMPANY; token++) {
      const serial = `STL${String(company).padStart(6, '0')}${String(token).padStart(3, '0')}`;
      const userId = `u${String(token)}`;
      companyEvents.push(newEvent(template.reserved, { serial, userId }, commandId));
      writes.push({ streamId: `token-${serial}`, expectedVersion: 'no-stream' as const, events: [newEvent(template.requested, { serial, companyId, userId, userName: userId }, commandId)] });
    }
    must(await store.append([{ streamId: `company-${companyId}`, expectedVersion: 'no-stream', events: companyEvents }, ...writes])(), 'load');
  }
  return eventId;
};

interface World {
  readonly tokens: number;
  readonly events: number;
  readonly store: EventStore;
  readonly directory: ReturnType<typeof inMemoryDirectory>;
  sdk: ReturnType<typeof createSdk> | undefined;
  created: number;
}

const sdkOver = (world: Pick<World, 'store' | 'directory'>): ReturnType<typeof createSdk> =>
  createSdk({ store: world.store, directory: world.directory, vault: inMemorySecretVault(), random: seededRandom(7) });

const newWorld = async (tokens: number, template: Awaited<ReturnType<typeof templates>>): Promise<World> => {
  const store = inMemoryEventStore();
  const events = await load(store, tokens, template);
  const directory = inMemoryDirectory();
  const world: World = { tokens, events, store, directory, sdk: sdkOver({ store, directory }), created: 0 };
  // The first command brings the inline projections up to the log: not part of any measurement.
  await createToken(world);
  return world;
};

const createToken = async (world: World): Promise<void> => {
  const userId = `new${String(++world.created)}`;
  world.directory.upsert(userOf(companyIdOf(0), userId));
  const sdk = world.sdk ?? (world.sdk = sdkOver(world));
  must(await sdk.dispatchJson({ commandId: `create-${userId}`, actor: { kind: 'user', companyId: companyIdOf(0), userId }, type: 'RequestTokenAssignment' })(), 'create');
};

/** Milliseconds per token created through dispatch. */
const creationCost = async (world: World): Promise<number> => {
  gc();
  const started = performance.now();
  for (let i = 0; i < CREATED_PER_ROUND; i++) await createToken(world);
  return (performance.now() - started) / CREATED_PER_ROUND;
};

/** A fresh instance: its first command and first token-table page (ms), and the heap it adds after serving every table (MB). */
const coldStart = async (world: World): Promise<{ ms: number; heapMb: number }> => {
  world.sdk = undefined;
  gc();
  const before = process.memoryUsage().heapUsed;
  const started = performance.now();
  const sdk = sdkOver(world);
  world.sdk = sdk;
  await createToken(world);
  must(await sdk.views.tokenTable(companyIdOf(0))(), 'first page');
  const ms = performance.now() - started;
  const companies = Math.max(1, Math.round(world.tokens / TOKENS_PER_COMPANY));
  for (let company = 0; company < companies; company++) must(await sdk.views.tokenTable(companyIdOf(company))(), 'table');
  gc();
  return { ms, heapMb: (process.memoryUsage().heapUsed - before) / 1e6 };
};

const main = async (): Promise<void> => {
  const template = await templates();
  const loadStarted = performance.now();
  const small = await newWorld(SMALL, template);
  const large = await newWorld(LARGE, template);
  console.log(
    `node ${process.version}; loaded ${String(small.tokens)} and ${String(large.tokens)} tokens (${String(small.events)} and ${String(large.events)} events) in ${((performance.now() - loadStarted) / 1000).toFixed(1)} s; ${String(ROUNDS)} interleaved rounds`,
  );
  const samples = { create: [[], []] as number[][], cold: [[], []] as number[][], heap: [[], []] as number[][] };
  for (let round = 0; round < ROUNDS; round++) {
    for (const [index, world] of [small, large].entries()) {
      samples.create[index]?.push(await creationCost(world));
      const cold = await coldStart(world);
      samples.cold[index]?.push(cold.ms);
      samples.heap[index]?.push(cold.heapMb);
    }
  }
  console.log('\n| measure | small | large | ratio (large / small) | spread of the ratio | target | met |');
  console.log('|---|---:|---:|---:|---:|---:|:---:|');
  const row = (what: string, values: number[][], unit: string, target: number): void => {
    const [a = [], b = []] = values;
    const ratios = b.map((value, index) => value / (a[index] ?? Number.NaN));
    const ratio = median(ratios);
    console.log(`| ${what} | ${median(a).toFixed(2)} ${unit} | ${median(b).toFixed(2)} ${unit} | ${ratio.toFixed(2)}x | ${spread(ratios)} | <= ${String(target)}x | ${ratio <= target ? 'yes' : 'NO'} |`);
  };
  row(`cost per created token (${String(LARGE)} vs ${String(SMALL)} tokens)`, samples.create, 'ms', 1.5);
  row(`cold start: first command + first table page (${String(large.events)} vs ${String(small.events)} events)`, samples.cold, 'ms', 1.5);
  row('heap a fresh instance adds after serving every table once', samples.heap, 'MB', 1.5);
  console.log('\nNot measured here yet (issue 13): dispatch of VerifyOtp vs the same work by hand; view latencies at 100,000 tokens.');
};

await main();
