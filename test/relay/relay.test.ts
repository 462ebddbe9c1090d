import { isLeft } from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SdkError } from '../../src/errors/sdk-error.js';
import type { StoredEvent } from '../../src/events/envelope.js';
import { inMemoryCheckpointStore } from '../../src/projections/in-memory-checkpoint-store.js';
import { allEvents, companyOf, defaultSubject, firstOf, HEADERS, routeByType, runRelay, subjectToken } from '../../src/relay/index.js';
import type { Publisher, RelayMessage, RelayRun } from '../../src/relay/index.js';
import { inMemoryEventStore } from '../../src/store/in-memory-event-store.js';
import { appendBulk, everyEvent } from './support/bulk.js';

const rightOf = <A>(result: Either<SdkError, A>): A => {
  if (isLeft(result)) throw new Error(`${result.left.code}: ${result.left.message}`);
  return result.right;
};

/** A broker that keeps what it acknowledged and drops a message id it has, as JetStream does. */
const fakeBroker = () => {
  const stored: RelayMessage[] = [];
  const ids = new Set<string>();
  let sends = 0;
  const publisher: Publisher = {
    publish: (message) => {
      sends++;
      if (ids.has(message.id)) return Promise.resolve({ duplicate: true });
      ids.add(message.id);
      stored.push(message);
      return Promise.resolve({ duplicate: false });
    },
  };
  return { publisher, stored, sends: () => sends };
};

/** Dies after `acks` acknowledged messages, as a relay process killed mid-batch would. */
const dyingAfter = (inner: Publisher, acks: number): Publisher => {
  let left = acks;
  return {
    publish: async (message) => {
      if (left <= 0) throw new Error('killed');
      const ack = await inner.publish(message);
      left--;
      return ack;
    },
  };
};

const owned = (run: RelayRun) => {
  if (!run.owned) throw new Error('not owned');
  return run;
};

describe('the outbox relay', () => {
  it('publishes every event once, in global order, across kills and restarts', async () => {
    const store = inMemoryEventStore();
    await appendBulk(store, 2_000, 7, 13);
    const events = await everyEvent(store);
    const checkpoints = inMemoryCheckpointStore();
    const broker = fakeBroker();
    for (const acks of [150, 333, 1_001]) {
      const killed = await runRelay(store, checkpoints, dyingAfter(broker.publisher, acks), { batchSize: 100 })();
      expect(isLeft(killed) && killed.left.message).toMatch(/^publish at global position \d+ failed: Error thrown$/);
      // The checkpoint never passes what the broker acknowledged.
      const checkpoint = rightOf(await checkpoints.load('softtoken-relay')());
      expect(checkpoint?.position).toBeLessThanOrEqual(broker.stored.at(-1)?.event.globalPosition ?? 0);
    }
    const finished = owned(rightOf(await runRelay(store, checkpoints, broker.publisher, { batchSize: 100 })()));
    expect(finished).toMatchObject({ caughtUp: true, position: events.at(-1)?.globalPosition });
    expect(broker.stored.map((message) => message.id)).toEqual(events.map((event) => event.eventId));
    // Nothing more to send on the next poll.
    expect(owned(rightOf(await runRelay(store, checkpoints, broker.publisher)()))).toMatchObject({ relayed: 0, published: 0, caughtUp: true });
  });

  it('saves the checkpoint up to the last acknowledged event when a publish fails, so it resends none of those', async () => {
    const store = inMemoryEventStore();
    await appendBulk(store, 30, 3, 5);
    const checkpoints = inMemoryCheckpointStore();
    const broker = fakeBroker();
    await runRelay(store, checkpoints, dyingAfter(broker.publisher, 12), { batchSize: 10 })();
    expect(rightOf(await checkpoints.load('softtoken-relay')())?.position).toBe(broker.stored[11]?.event.globalPosition);
    const resumed = owned(rightOf(await runRelay(store, checkpoints, broker.publisher, { batchSize: 10 })()));
    expect(resumed).toMatchObject({ relayed: 18, published: 18, duplicates: 0 });
  });

  it('stops at maxEvents and reads in batches of batchSize', async () => {
    const store = inMemoryEventStore();
    await appendBulk(store, 25, 2, 5);
    const reads: number[] = [];
    const counting = { ...store, readAll: (options: { fromPosition: number; limit: number }) => {
      reads.push(options.limit);
      return store.readAll(options);
    } };
    const run = owned(rightOf(await runRelay(counting, inMemoryCheckpointStore(), fakeBroker().publisher, { batchSize: 4, maxEvents: 10 })()));
    expect(run).toMatchObject({ relayed: 10, caughtUp: false });
    expect(reads).toEqual([4, 4, 2]);
  });

  it('runs one owner at a time: a second relay of the same name does nothing while the first runs', async () => {
    const store = inMemoryEventStore();
    await appendBulk(store, 20, 2, 5);
    const checkpoints = inMemoryCheckpointStore();
    const broker = fakeBroker();
    let release = (): void => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow: Publisher = { publish: async (message) => {
      await gate;
      return broker.publisher.publish(message);
    } };
    const first = runRelay(store, checkpoints, slow)();
    const second = rightOf(await runRelay(store, checkpoints, broker.publisher)());
    expect(second).toEqual({ owned: false });
    release();
    expect(owned(rightOf(await first)).published).toBe(20);
    expect(broker.sends()).toBe(20);
  });

  it('routes only what the host acts on, and moves past the rest', async () => {
    const store = inMemoryEventStore();
    await appendBulk(store, 40, 4, 5);
    const checkpoints = inMemoryCheckpointStore();
    const broker = fakeBroker();
    const route = routeByType({
      OrderApproved: 'payments.orders.approved',
      TokenAssignmentConfirmed: (event: StoredEvent) => `notify.activation.${subjectToken(companyOf(event))}`,
    });
    const run = owned(rightOf(await runRelay(store, checkpoints, broker.publisher, { route })()));
    expect(run.relayed).toBe(40);
    expect(run.published).toBe(20);
    expect(new Set(broker.stored.map((message) => message.subject))).toEqual(new Set(['payments.orders.approved', 'notify.activation.acme', 'notify.activation.globex_sa']));
    expect(broker.stored.every((message) => ['OrderApproved', 'TokenAssignmentConfirmed'].includes(message.headers[HEADERS.type] ?? ''))).toBe(true);
    expect(rightOf(await checkpoints.load('softtoken-relay')())?.position).toBe((await everyEvent(store)).at(-1)?.globalPosition);
  });

  it('firstOf tries the host route first, then the default subjects', async () => {
    const store = inMemoryEventStore();
    await appendBulk(store, 8, 2, 4);
    const events = await everyEvent(store);
    const route = firstOf(routeByType({ OrderApproved: 'payments.orders.approved' }), allEvents('bank'));
    const subjects = events.map((event) => route(event)?.subject);
    expect(subjects.filter((subject) => subject === 'payments.orders.approved')).toHaveLength(2);
    expect(subjects.filter((subject) => subject?.startsWith('bank.')).length).toBe(6);
  });

  it('answers a clear error for a bad batchSize, without reading', async () => {
    const result = await runRelay(inMemoryEventStore(), inMemoryCheckpointStore(), fakeBroker().publisher, { batchSize: 0 })();
    expect(isLeft(result) && result.left.message).toBe('invalid options.batchSize: it must be a positive integer');
  });

  it('a route that throws stops the relay with the position, not a stack trace', async () => {
    const store = inMemoryEventStore();
    await appendBulk(store, 3, 1, 3);
    const result = await runRelay(store, inMemoryCheckpointStore(), fakeBroker().publisher, { route: () => {
      throw new Error('bad route');
    } })();
    expect(isLeft(result) && result.left.message).toBe('relay route at global position 1 failed: Error thrown');
  });
});

describe('subjects', () => {
  it('every token of a default subject is a valid NATS token, whatever the ids hold', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (companyId, type) => {
        const event = { streamId: 'payment-order-x-1', type, data: { companyId }, metadata: { actor: { kind: 'system' } } } as unknown as StoredEvent;
        const tokens = defaultSubject(event).split('.');
        expect(tokens).toHaveLength(4);
        for (const token of tokens) expect(token).toMatch(/^[A-Za-z0-9_-]+$/);
      }),
      { numRuns: 1_000 },
    );
  });

  it('names the stream kind and the company', () => {
    const event = { streamId: 'payment-order-acme-o1', type: 'OrderApproved', data: {}, metadata: { actor: { kind: 'user', companyId: 'acme', userId: 'u' } } } as unknown as StoredEvent;
    expect(defaultSubject(event)).toBe('softtoken.payment-order.acme.OrderApproved');
  });
});
