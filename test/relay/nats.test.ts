import { isLeft } from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { SdkError } from '../../src/errors/sdk-error.js';
import type { StoredEvent } from '../../src/events/envelope.js';
import { consumeEvents, natsJetStreamPublisher } from '../../src/nats/index.js';
import { inMemoryCheckpointStore } from '../../src/projections/in-memory-checkpoint-store.js';
import { allEvents, HEADERS, inMemorySeenIds, runRelay } from '../../src/relay/index.js';
import type { Publisher, RelayRun, SeenIds } from '../../src/relay/index.js';
import { inMemoryEventStore } from '../../src/store/in-memory-event-store.js';
import { appendBulk, everyEvent } from './support/bulk.js';
import { dyingRelay } from './support/crash.js';
import { announceNatsSkip, natsUrl, needsNats, openNats } from './support/nats.js';
import type { TestNats } from './support/nats.js';
import { expectPublishedOnceInOrder } from './support/published.js';
import { readableText, SECRET_FIELDS } from './support/secrets.js';

/** 20,000 by default on this shared machine; RELAY_EVENTS=100000 runs the full count. */
const BULK = Number(process.env['RELAY_EVENTS'] ?? 20_000);

const rightOf = <A>(result: Either<SdkError, A>): A => {
  if (isLeft(result)) throw new Error(`${result.left.code}: ${result.left.message}`);
  return result.right;
};

const ownedRun = (run: RelayRun) => {
  if (!run.owned) throw new Error('not owned');
  return run;
};

announceNatsSkip('nats.test.ts');

describe.skipIf(natsUrl === undefined)(`the relay on NATS JetStream (${natsUrl === undefined ? needsNats : 'real server'})`, () => {
  let nats: TestNats;
  beforeAll(async () => {
    nats = await openNats();
  });
  afterAll(async () => {
    await nats.close();
  });

  it(`publishes ${String(BULK)} events exactly once each, in order, with the relay killed and restarted three times`, async () => {
    const store = inMemoryEventStore();
    const appending = performance.now();
    await appendBulk(store, BULK, 64, 50);
    const events = await everyEvent(store);
    const stream = await nats.freshStream();
    const checkpoints = inMemoryCheckpointStore();
    const publisher = natsJetStreamPublisher(nats.js);
    const route = allEvents(stream.prefix);
    const relaying = performance.now();
    let duplicates = 0;
    const batchSize = Math.max(10, Math.min(500, Math.floor(BULK / 20)));
    // Killed mid-batch three times, without a chance to save.
    for (const share of [0.21, 0.17, 0.23]) {
      const dying = dyingRelay(publisher, checkpoints, Math.floor(BULK * share) + Math.floor(batchSize / 2) + 1);
      const killed = await runRelay(store, dying.checkpoints, dying.publisher, { route, batchSize })();
      expect(isLeft(killed)).toBe(true);
    }
    const finished = ownedRun(rightOf(await runRelay(store, checkpoints, publisher, { route, batchSize })()));
    duplicates += finished.duplicates;
    const done = performance.now();
    console.log(`[relay] ${String(BULK)} events: appended in ${(relaying - appending).toFixed(0)} ms, relayed (with 3 kills) in ${(done - relaying).toFixed(0)} ms`);
    expect(finished.caughtUp).toBe(true);
    // The restarts resent the heads of the killed batches; JetStream dropped them by Nats-Msg-Id.
    expect(duplicates).toBeGreaterThan(0);
    const messages = await nats.messagesOf(stream);
    expectPublishedOnceInOrder(messages, events);
    const first = messages[0];
    const event = events[0];
    if (first === undefined || event === undefined) throw new Error('nothing published');
    expect(first.subject).toBe(`${stream.prefix}.${event.streamId.startsWith('token-') ? 'token' : 'payment-order'}.acme.${event.type}`);
    expect(JSON.parse(first.string())).toEqual(JSON.parse(JSON.stringify(event)));
    expect(Object.fromEntries([HEADERS.type, HEADERS.schemaVersion, HEADERS.correlationId, HEADERS.causationId].map((name) => [name, first.headers?.get(name)]))).toEqual({
      [HEADERS.type]: event.type,
      [HEADERS.schemaVersion]: '1',
      [HEADERS.correlationId]: event.metadata.correlationId,
      [HEADERS.causationId]: event.metadata.causationId,
    });
    expect(messages.filter((message) => SECRET_FIELDS.test(readableText(message)))).toEqual([]);
  }, 600_000);

  it('a consumer that crashes after handling an event does not handle it twice', async () => {
    const store = inMemoryEventStore();
    await appendBulk(store, 40, 4, 5);
    const stream = await nats.freshStream();
    rightOf(await runRelay(store, inMemoryCheckpointStore(), natsJetStreamPublisher(nats.js), { route: allEvents(stream.prefix) })());
    await nats.durable(stream, 'payments', 1_000);
    const handled = new Map<string, number>();
    const handler = (event: StoredEvent): Promise<void> => {
      handled.set(event.eventId, (handled.get(event.eventId) ?? 0) + 1);
      return Promise.resolve();
    };
    // The guard outlives the consumer process (a table, in production); `skips` counts its refusals.
    const durableSeen = inMemorySeenIds();
    let skips = 0;
    let crash = (): Promise<void> => Promise.resolve();
    let added = 0;
    const crashingSeen: SeenIds = {
      has: (eventId) => async () => {
        const known = await durableSeen.has(eventId)();
        if (!isLeft(known) && known.right) skips++;
        return known;
      },
      // After its 7th record the first consumer dies: the handler ran, the id is recorded, the ack never goes.
      add: (eventId) => async () => {
        const result = await durableSeen.add(eventId)();
        if (++added === 7) {
          await crash();
          throw new Error('consumer killed');
        }
        return result;
      },
    };
    const first = consumeEvents(await nats.js.consumers.get(stream.name, 'payments'), handler, { seen: crashingSeen });
    crash = first.stop;
    await first.done;
    const second = consumeEvents(await nats.js.consumers.get(stream.name, 'payments'), handler, { seen: crashingSeen });
    const deadline = Date.now() + 30_000;
    while ((handled.size < 40 || skips === 0) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await second.stop();
    const summary = rightOf(await second.done);
    expect(handled.size).toBe(40);
    expect([...handled.values()].every((times) => times === 1)).toBe(true);
    expect(summary.alreadyHandled).toBeGreaterThan(0);
  }, 60_000);

  it('a handler that fails gets the event again, and handles it once it succeeds', async () => {
    const store = inMemoryEventStore();
    await appendBulk(store, 5, 1, 5);
    const stream = await nats.freshStream();
    rightOf(await runRelay(store, inMemoryCheckpointStore(), natsJetStreamPublisher(nats.js), { route: allEvents(stream.prefix) })());
    await nats.durable(stream, 'flaky', 1_000);
    const calls: string[] = [];
    let failures = 2;
    const consumer = consumeEvents(await nats.js.consumers.get(stream.name, 'flaky'), (event) => {
      calls.push(event.eventId);
      if (failures-- > 0) return Promise.reject(new Error('payment engine down'));
      return Promise.resolve();
    });
    const deadline = Date.now() + 30_000;
    while (new Set(calls).size < 5 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 200));
    await consumer.stop();
    const summary = rightOf(await consumer.done);
    expect(summary).toMatchObject({ handled: 5, failed: 2 });
    expect(calls).toHaveLength(7);
  }, 60_000);

  it('a publish to a subject no stream takes fails, and the checkpoint stays', async () => {
    const store = inMemoryEventStore();
    await appendBulk(store, 3, 1, 3);
    const checkpoints = inMemoryCheckpointStore();
    const publisher: Publisher = natsJetStreamPublisher(nats.js, { timeoutMs: 2_000 });
    const result = await runRelay(store, checkpoints, publisher, { route: allEvents('no_stream_here') })();
    expect(isLeft(result) && result.left.message).toMatch(/^publish at global position 1 failed: [A-Za-z]+ thrown$/);
    expect(rightOf(await checkpoints.load('softtoken-relay')())).toBeUndefined();
  }, 30_000);
});

