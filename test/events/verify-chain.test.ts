import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { infrastructure } from '../../src/errors/sdk-error.js';
import type { JsonValue, NewEvent, StoredEvent } from '../../src/events/envelope.js';
import type { ChainReport } from '../../src/store/verify-chain.js';
import { verifyAll, verifyStream } from '../../src/store/verify-chain.js';
import type { EventStore } from '../../src/store/event-store.js';
import { inMemoryEventStore } from '../../src/store/in-memory-event-store.js';

const event = (commandId: string, streamId: string, n: number): NewEvent => ({
  eventId: `${commandId}-${streamId}-${String(n)}`,
  type: 'PaymentApproved',
  schemaVersion: 2,
  data: { n, amount: '1250.75', flags: [true, null], approver: { userId: 'ana', level: 2 } },
  metadata: {
    commandId,
    correlationId: `corr-${commandId}`,
    causationId: `cause-${commandId}`,
    actor: { kind: 'user', companyId: 'acme', userId: 'ana' },
    occurredAt: '2025-05-05T10:00:00.000Z',
  },
});

/** Three streams, interleaved, some appends spanning two streams. */
const populatedStore = async (): Promise<EventStore> => {
  const store = inMemoryEventStore();
  let command = 0;
  for (let round = 0; round < 4; round++) {
    for (const streams of [['a'], ['b', 'c'], ['a', 'b']]) {
      command++;
      const commandId = `command-${String(command)}`;
      const result = await store.append(streams.map((streamId) => ({ streamId, expectedVersion: 'any' as const, events: [event(commandId, streamId, 1), event(commandId, streamId, 2)] })))();
      expect(result._tag).toBe('Right');
    }
  }
  return store;
};

type Path = readonly (string | number)[];

/** Every leaf of an event: each is a field a tamperer could change. */
const leaves = (value: unknown, path: Path = []): Path[] => {
  if (value !== null && typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).flatMap(([key, member]) => leaves(member, [...path, Array.isArray(value) ? Number(key) : key]));
  }
  return [path];
};

const changed = (leaf: unknown): JsonValue => {
  if (typeof leaf === 'string') return leaf.length === 0 ? 'x' : `${leaf.slice(0, -1)}${leaf.endsWith('0') ? '1' : '0'}`;
  if (typeof leaf === 'number') return leaf + 1;
  if (typeof leaf === 'boolean') return !leaf;
  return 0;
};

const tamper = (target: StoredEvent, path: Path): StoredEvent => {
  const copy = structuredClone(target) as unknown as Record<string | number, unknown>;
  let cursor = copy;
  for (const key of path.slice(0, -1)) cursor = cursor[key] as Record<string | number, unknown>;
  const last = path.at(-1)!;
  cursor[last] = changed(cursor[last]);
  return copy as unknown as StoredEvent;
};

/** The store as an attacker with write access to its storage would leave it. */
const withReplacedEvents = (store: EventStore, replace: (events: readonly StoredEvent[]) => readonly StoredEvent[]): EventStore => ({
  ...store,
  readStream: (streamId, options) => async () => {
    const result = await store.readStream(streamId, options)();
    return result._tag === 'Left' ? result : { _tag: 'Right', right: replace(result.right) };
  },
  readAll: (options) => async () => {
    const result = await store.readAll(options)();
    return result._tag === 'Left' ? result : { _tag: 'Right', right: replace(result.right) };
  },
});

const report = async (task: () => Promise<{ _tag: 'Left' } | { _tag: 'Right'; right: ChainReport }>): Promise<ChainReport> => {
  const result = await task();
  if (result._tag === 'Left') throw new Error('verification failed to run');
  return result.right;
};

describe('verifyStream / verifyAll', () => {
  it('report an untouched store as whole', async () => {
    const store = await populatedStore();
    expect(await report(verifyAll(store))).toEqual({ ok: true, eventsChecked: 40, streamsChecked: 3 });
    expect(await report(verifyAll(store, { pageSize: 5 }))).toEqual({ ok: true, eventsChecked: 40, streamsChecked: 3 });
    expect(await report(verifyStream(store, 'a', { pageSize: 3 }))).toEqual({ ok: true, eventsChecked: 16, streamsChecked: 1 });
    expect(await report(verifyStream(store, 'nothing'))).toEqual({ ok: true, eventsChecked: 0, streamsChecked: 0 });
    expect(await report(verifyAll(inMemoryEventStore()))).toEqual({ ok: true, eventsChecked: 0, streamsChecked: 0 });
  });

  it('detect a change to any field of any stored event, at that event', async () => {
    const store = await populatedStore();
    const everything = await store.readAll({ fromPosition: 0, limit: 1000 })();
    if (everything._tag === 'Left') throw new Error('readAll failed');
    const events = everything.right;
    const fields = leaves(events[0]);
    expect(fields.length).toBeGreaterThanOrEqual(20);
    // Every field of the envelope, at every place in the log (first, middle, last event of a stream…).
    for (const [index, target] of events.entries()) {
      for (const path of fields) {
        const tampered = withReplacedEvents(store, (read) => read.map((candidate) => (candidate.eventId === target.eventId ? tamper(candidate, path) : candidate)));
        const whole = await report(verifyAll(tampered, { pageSize: 7 }));
        expect(whole.ok, `verifyAll missed a change to ${path.join('.')} of event ${String(index)}`).toBe(false);
        if (!whole.ok) expect(whole.eventsChecked, `verifyAll, ${path.join(".")} of event ${String(index)}`).toBe(index);
        const stream = await report(verifyStream(tampered, target.streamId, { pageSize: 4 }));
        expect(stream.ok, `verifyStream missed a change to ${path.join('.')} of event ${String(index)}`).toBe(false);
        if (!stream.ok) expect(stream.eventsChecked, `verifyStream, ${path.join(".")} of event ${String(index)}`).toBe(target.streamVersion - 1);
      }
    }
  });

  it('name the first break: where it is and what broke', async () => {
    const store = await populatedStore();
    const read = await store.readStream('b')();
    if (read._tag === 'Left') throw new Error('readStream failed');
    const fifth = read.right[4]!;

    const changedData = withReplacedEvents(store, (events) => events.map((e) => (e.eventId === fifth.eventId ? { ...e, data: { ...e.data, amount: '9250.75' } } : e)));
    expect(await report(verifyStream(changedData, 'b'))).toEqual({
      ok: false,
      eventsChecked: 4,
      firstBreak: { streamId: 'b', streamVersion: 5, globalPosition: fifth.globalPosition, reason: 'hash-mismatch', message: expect.any(String) as string },
    });

    const rehashed = withReplacedEvents(store, (events) => events.map((e) => (e.eventId === fifth.eventId ? { ...e, hash: 'f'.repeat(64) } : e)));
    const afterRehash = await report(verifyAll(rehashed));
    expect(!afterRehash.ok && afterRehash.firstBreak.reason).toBe('hash-mismatch');

    const removed = withReplacedEvents(store, (events) => events.filter((e) => e.eventId !== fifth.eventId));
    const afterRemoval = await report(verifyStream(removed, 'b'));
    expect(!afterRemoval.ok && afterRemoval.firstBreak).toMatchObject({ reason: 'version-gap', streamVersion: 6 });
    expect(!afterRemoval.ok && afterRemoval.firstBreak.message).toContain('expected stream version 5');

    const relinked = withReplacedEvents(store, (events) => events.map((e) => (e.eventId === fifth.eventId ? { ...e, prevHash: '0'.repeat(64) } : e)));
    expect(await report(verifyAll(relinked))).toMatchObject({ ok: false, firstBreak: { reason: 'prev-hash-mismatch', streamId: 'b', streamVersion: 5 } });

    const reordered = withReplacedEvents(store, (events) => [...events].reverse());
    expect(await report(verifyAll(reordered, { pageSize: 1000 }))).toMatchObject({ ok: false, eventsChecked: 0 });

    const foreign = withReplacedEvents(store, (events) => events.map((e) => ({ ...e, streamId: 'elsewhere' })));
    expect(await report(verifyStream(foreign, 'b'))).toMatchObject({ ok: false, firstBreak: { reason: 'wrong-stream' } });

    const positions = withReplacedEvents(store, (events) => events.map((e) => ({ ...e, globalPosition: 1 })));
    expect(await report(verifyStream(positions, 'a'))).toMatchObject({ ok: false, eventsChecked: 1, firstBreak: { reason: 'position-order' } });

    const malformed = withReplacedEvents(store, (events) => events.map((e, i) => (i === 2 ? (null as unknown as StoredEvent) : e)));
    expect(await report(verifyAll(malformed))).toMatchObject({ ok: false, eventsChecked: 2, firstBreak: { reason: 'malformed', streamId: 'undefined' } });

    const notJson = withReplacedEvents(store, (events) => events.map((e, i) => (i === 1 ? { ...e, data: { big: 1n } as unknown as StoredEvent['data'] } : e)));
    expect(await report(verifyAll(notJson))).toMatchObject({ ok: false, eventsChecked: 1, firstBreak: { reason: 'hash-mismatch' } });
  });

  it('pass a store error through', async () => {
    const store = await populatedStore();
    const broken: EventStore = { ...store, readAll: () => () => Promise.resolve({ _tag: 'Left', left: infrastructure('disk on fire') }), readStream: () => () => Promise.resolve({ _tag: 'Left', left: infrastructure('disk on fire') }) };
    expect(await verifyAll(broken)()).toEqual({ _tag: 'Left', left: infrastructure('disk on fire') });
    expect(await verifyStream(broken, 'a')()).toEqual({ _tag: 'Left', left: infrastructure('disk on fire') });
  });

  it('a random single change anywhere in the log is found', async () => {
    const store = await populatedStore();
    const everything = await store.readAll({ fromPosition: 0, limit: 1000 })();
    if (everything._tag === 'Left') throw new Error('readAll failed');
    const events = everything.right;
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: events.length - 1 }), fc.nat(), async (index, pick) => {
        const target = events[index]!;
        const fields = leaves(target);
        const path = fields[pick % fields.length]!;
        const tampered = withReplacedEvents(store, (read) => read.map((candidate) => (candidate.eventId === target.eventId ? tamper(candidate, path) : candidate)));
        expect((await report(verifyAll(tampered, { pageSize: 10 }))).ok).toBe(false);
      }),
      { numRuns: 300 },
    );
  });
});
