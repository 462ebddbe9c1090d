import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { describe, expect, it } from 'vitest';
import { infrastructure } from '../../src/errors/sdk-error.js';
import { ATTRIBUTES } from '../../src/otel/index.js';
import { manualClock } from '../../src/ports/clock.js';
import type { Instrumentation, Observability } from '../../src/ports/instrumentation.js';
import type { Logger } from '../../src/ports/logger.js';
import { createSdk } from '../../src/sdk/create-sdk.js';
import { inMemoryCheckpointStore } from '../../src/projections/in-memory-checkpoint-store.js';
import { observedProjectionRunner } from '../../src/projections/observed-run.js';
import { observedRelay } from '../../src/relay/observed-relay.js';
import type { Publisher } from '../../src/relay/publisher.js';
import { inMemoryEventStore } from '../../src/store/in-memory-event-store.js';
import { configure } from '../sdk/fixtures.js';
import { harness, person, user } from '../sdk/harness.js';
import { appendBulk } from '../relay/support/bulk.js';
import { capturingLogger, telemetry } from './telemetry.js';

const CO = 'acme';
const admin = user(CO, 'ada');
const people = [person(CO, 'ada', { isCompanyAdmin: true }), ...Array.from({ length: 6 }, (_, index) => person(CO, `u${String(index)}`))];
const acked: Publisher = { publish: () => Promise.resolve({ duplicate: false }) };

describe('the logger port', () => {
  it('logs each command whose retries ran out, with its type and error code, and nothing else of it', async () => {
    const logger = capturingLogger();
    const world = harness(people, { logger, retry: { maxAttempts: 1 } });
    await configure(world, CO, 10);
    const results = await Promise.all(Array.from({ length: 6 }, (_, index) => world.send(admin, { type: 'RequestTokenAssignment', userId: `u${String(index)}` })));
    const conflicts = results.filter((result) => E.isLeft(result) && result.left._tag === 'ConcurrencyConflict');
    expect(conflicts.length).toBeGreaterThan(0);
    expect(logger.records).toEqual(
      conflicts.map(() => ({ level: 'warn', message: 'command retries exhausted', fields: { commandType: 'RequestTokenAssignment', error: { tag: 'ConcurrencyConflict', code: 'CONCURRENCY_CONFLICT' } } })),
    );
  });

  it('logs an infrastructure failure with the port it names', async () => {
    const logger = capturingLogger();
    const store = inMemoryEventStore();
    const world = harness(people, { logger, store: { ...store, lookupCommand: () => () => Promise.reject(new Error('connection reset')) } });
    const failed = await world.send(admin, { type: 'RequestTokenAssignment' });
    expect(failed).toMatchObject({ left: { _tag: 'Infrastructure' } });
    expect(logger.records).toEqual([
      { level: 'error', message: 'command failed on infrastructure', fields: { commandType: 'RequestTokenAssignment', error: { tag: 'Infrastructure', code: 'INFRASTRUCTURE', message: E.isLeft(failed) ? failed.left.message : '' } } },
    ]);
  });

  it('logs a failing inline projection (the command stays committed)', async () => {
    const logger = capturingLogger();
    const world = harness(people, { logger, projections: [{ catchUp: () => TE.left(infrastructure('the read-model database is down')) }] });
    await configure(world, CO, 10);
    expect(logger.records).toEqual([
      { level: 'error', message: 'projection failed', fields: { projection: 'listener-4', error: { tag: 'Infrastructure', code: 'INFRASTRUCTURE', message: 'the read-model database is down' } } },
    ]);
  });

  it('logs a failed relay run; a failed or slow relay does not change what runRelay answers', async () => {
    const logger = capturingLogger();
    const store = inMemoryEventStore();
    await appendBulk(store, 3);
    const broken: Publisher = { publish: () => Promise.reject(new Error('broker unreachable')) };
    const run = await observedRelay({ logger })(store, inMemoryCheckpointStore(), broken, { name: 'payments' })();
    expect(run).toMatchObject({ left: { _tag: 'Infrastructure' } });
    expect(logger.records).toEqual([{ level: 'error', message: 'relay run failed', fields: { relay: 'payments', error: { tag: 'Infrastructure', code: 'INFRASTRUCTURE', message: E.isLeft(run) ? run.left.message : '' } } }]);
  });
});

describe('lag', () => {
  it('a relay: events behind after each run, 0 once caught up; the age of the last event it published', async () => {
    const clock = manualClock(Date.parse('2026-12-03T10:00:30.000Z'));
    const otel = telemetry(clock);
    const store = inMemoryEventStore();
    await appendBulk(store, 120, 5, 10);
    const relay = observedRelay({ instrumentation: otel.instrumentation });
    const checkpoints = inMemoryCheckpointStore();
    await relay(store, checkpoints, acked, { name: 'payments', maxEvents: 20 })();
    expect(await otel.total('softtoken.relay.lag', { [ATTRIBUTES.relay]: 'payments' })).toBe(100);
    // appendBulk dates every event 10:00:00: 30 s before the clock.
    expect(await otel.total('softtoken.relay.last_published.age', { [ATTRIBUTES.relay]: 'payments' })).toBe(30);
    await relay(store, checkpoints, acked, { name: 'payments' })();
    expect(await otel.total('softtoken.relay.lag', { [ATTRIBUTES.relay]: 'payments' })).toBe(0);
    clock.advance(5_000);
    expect(await otel.total('softtoken.relay.last_published.age', { [ATTRIBUTES.relay]: 'payments' })).toBe(35);
  });

  it('a catch-up projection: events it has not folded after each run', async () => {
    const otel = telemetry();
    const store = inMemoryEventStore();
    await appendBulk(store, 50, 5, 10);
    const run = observedProjectionRunner({ instrumentation: otel.instrumentation });
    const counter = { name: 'counter', initialState: 0, evolve: (count: number) => count + 1 };
    const checkpoints = inMemoryCheckpointStore();
    await run(store, checkpoints, counter, { maxEvents: 15 })();
    expect(await otel.total('softtoken.projection.lag', { [ATTRIBUTES.projection]: 'counter' })).toBe(35);
    await run(store, checkpoints, counter)();
    expect(await otel.total('softtoken.projection.lag', { [ATTRIBUTES.projection]: 'counter' })).toBe(0);
  });

  it("the SDK's inline projections: behind by nothing after each commit", async () => {
    const otel = telemetry();
    const world = harness(people, { instrumentation: otel.instrumentation });
    await configure(world, CO, 10);
    const lags = (await otel.points()).filter((point) => point.name === 'softtoken.projection.lag');
    expect(lags.map((point) => [point.attributes[ATTRIBUTES.projection], point.value])).toEqual([
      ['softtoken/token-table', 0],
      ['softtoken/audit', 0],
      ['orders', 0],
    ]);
  });
});

describe('settings from plain JavaScript', () => {
  it('createSdk refuses an instrumentation or a logger that is not one, naming the setting', async () => {
    const instrumentation: unknown = { dispatch: 1 };
    const logger: unknown = console.log;
    const withBadInstrumentation = createSdk({ instrumentation: instrumentation as Instrumentation });
    const withBadLogger = createSdk({ logger: logger as Logger });
    expect(await withBadInstrumentation.dispatchJson({})()).toMatchObject({ left: { _tag: 'InvalidCommand', issues: [{ path: 'config.instrumentation' }] } });
    expect(await withBadLogger.dispatchJson({})()).toMatchObject({ left: { _tag: 'InvalidCommand', issues: [{ path: 'config.logger' }] } });
  });

  it('the observed runners take anything as their observability, and record nothing from what is not one', async () => {
    const store = inMemoryEventStore();
    await appendBulk(store, 3);
    const relay = observedRelay(null as unknown as Observability);
    expect(await relay(store, inMemoryCheckpointStore(), acked)()).toMatchObject({ right: { owned: true, relayed: 3, caughtUp: true } });
    const run = observedProjectionRunner({ logger: 'loud' } as unknown as Observability);
    expect(await run(store, inMemoryCheckpointStore(), { name: 'n', initialState: 0, evolve: (count: number) => count + 1 })()).toMatchObject({ right: { owned: true, state: 3 } });
  });
});
