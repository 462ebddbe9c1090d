import { left, right } from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createCommandRuntime } from '../../src/commands/command-runtime.js';
import { infrastructure } from '../../src/errors/sdk-error.js';
import type { SdkError } from '../../src/errors/sdk-error.js';
import type { NewEvent, StoredEvent } from '../../src/events/envelope.js';
import { manualClock } from '../../src/ports/clock.js';
import { seededRandom } from '../../src/ports/random.js';
import { inMemoryCheckpointStore } from '../../src/projections/in-memory-checkpoint-store.js';
import { decodedProjection } from '../../src/projections/decoded-projection.js';
import { inlineProjection } from '../../src/projections/inline-projection.js';
import type { Projection } from '../../src/projections/projection.js';
import { runProjection } from '../../src/projections/run-projection.js';
import type { EventStore } from '../../src/store/event-store.js';
import { inMemoryEventStore } from '../../src/store/in-memory-event-store.js';
import { deposit, handlers, registry } from '../commands/sample-domain.js';

/** Per stream: how many events and the last type. Plain JSON, so it needs no serializer. */
type Summary = Readonly<Record<string, { readonly count: number; readonly last: string }>>;

const summary: Projection<Summary> = {
  name: 'summary',
  initialState: {},
  evolve: (state, event) => ({ ...state, [event.streamId]: { count: (state[event.streamId]?.count ?? 0) + 1, last: event.type } }),
};

const ok = <A>(result: { _tag: 'Left'; left: SdkError } | { _tag: 'Right'; right: A }): A => {
  if (result._tag === 'Left') throw new Error(result.left.message);
  return result.right;
};

let counter = 0;
const append = async (store: EventStore, streamId: string, types: readonly string[]): Promise<void> => {
  counter++;
  const commandId = `cmd-${String(counter)}`;
  const events: NewEvent[] = types.map((type, index) => ({
    eventId: `${commandId}-${String(index)}`,
    type,
    schemaVersion: 1,
    data: {},
    metadata: { commandId, correlationId: commandId, causationId: commandId, actor: { kind: 'system' }, occurredAt: '2025-01-01T00:00:00.000Z' },
  }));
  ok(await store.append([{ streamId, expectedVersion: 'any', events }])());
};

const foldAll = async (store: EventStore): Promise<Summary> => {
  const all = ok(await store.readAll({ fromPosition: 0, limit: 1_000_000 })());
  return all.reduce<Summary>((state, event) => summary.evolve(state, event), summary.initialState);
};

describe('runProjection (catch-up)', () => {
  it('folds everything from the start and saves state and position', async () => {
    const store = inMemoryEventStore();
    const checkpoints = inMemoryCheckpointStore();
    for (let i = 0; i < 20; i++) await append(store, `s-${String(i % 3)}`, ['A', 'B']);
    const run = ok(await runProjection(store, checkpoints, summary, { pageSize: 7 })());
    expect(run).toEqual({ owned: true, position: 40, eventsApplied: 40, state: await foldAll(store) });
    expect(ok(await checkpoints.load('summary')())).toEqual({ position: 40, state: await foldAll(store) });
  });

  it('resumes from its checkpoint when called again, folding only new events', async () => {
    const store = inMemoryEventStore();
    const checkpoints = inMemoryCheckpointStore();
    await append(store, 'a', ['A', 'A']);
    ok(await runProjection(store, checkpoints, summary)());
    const idle = ok(await runProjection(store, checkpoints, summary)());
    expect(idle).toMatchObject({ owned: true, eventsApplied: 0, position: 2 });
    await append(store, 'b', ['B']);
    await append(store, 'a', ['C']);
    const next = ok(await runProjection(store, checkpoints, summary, { pageSize: 1 })());
    expect(next).toMatchObject({ owned: true, eventsApplied: 2, position: 4, state: { a: { count: 3, last: 'C' }, b: { count: 1, last: 'B' } } });
  });

  it('stops after maxEvents, and a rebuild from 0 gives the same state as the increments', async () => {
    const store = inMemoryEventStore();
    const checkpoints = inMemoryCheckpointStore();
    for (let i = 0; i < 10; i++) await append(store, `s-${String(i % 4)}`, ['X', 'Y', 'Z']);
    expect(ok(await runProjection(store, checkpoints, summary, { maxEvents: 11, pageSize: 4 })())).toMatchObject({ eventsApplied: 11, position: 11 });
    const rest = ok(await runProjection(store, checkpoints, summary)());
    const rebuilt = ok(await runProjection(store, checkpoints, summary, { rebuild: true })());
    expect(rest).toMatchObject({ eventsApplied: 19, position: 30 });
    expect(rebuilt).toMatchObject({ eventsApplied: 30, position: 30 });
    if (!rest.owned || !rebuilt.owned) throw new Error('expected to own the projection');
    expect(rebuilt.state).toEqual(rest.state);
  });

  it('incremental runs at any points equal one fold from 0 (property)', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.record({ stream: fc.integer({ min: 0, max: 3 }), count: fc.integer({ min: 1, max: 4 }) }), fc.integer({ min: 1, max: 5 })), { maxLength: 30 }), async (steps) => {
        const store = inMemoryEventStore();
        const checkpoints = inMemoryCheckpointStore();
        for (const step of steps) {
          if (typeof step === 'number') ok(await runProjection(store, checkpoints, summary, { pageSize: step })());
          else await append(store, `s-${String(step.stream)}`, Array.from({ length: step.count }, (_, i) => `T${String(i)}`));
        }
        const final = ok(await runProjection(store, checkpoints, summary, { pageSize: 3 })());
        expect(final.owned && final.state).toEqual(await foldAll(store));
      }),
      { numRuns: 200 },
    );
  });

  it('does nothing while another instance owns the projection', async () => {
    const store = inMemoryEventStore();
    const checkpoints = inMemoryCheckpointStore();
    await append(store, 'a', ['A']);
    let inner: unknown;
    const outer = ok(
      await checkpoints.withOwnership('summary', async () => {
        inner = ok(await runProjection(store, checkpoints, summary)());
        return 'held';
      })(),
    );
    expect(outer).toEqual({ owned: true, result: 'held' });
    expect(inner).toEqual({ owned: false });
    expect(ok(await checkpoints.load('summary')())).toBeUndefined();
  });

  it('a failing evolve stops the run at the last saved page and names the position', async () => {
    const store = inMemoryEventStore();
    const checkpoints = inMemoryCheckpointStore();
    for (let i = 0; i < 6; i++) await append(store, 'a', [i === 4 ? 'Poison' : 'Fine']);
    const fragile: Projection<Summary> = {
      ...summary,
      evolve: (state, event) => {
        if (event.type === 'Poison') throw new Error('cannot digest');
        return summary.evolve(state, event);
      },
    };
    const failed = await runProjection(store, checkpoints, fragile, { pageSize: 2 })();
    expect(failed).toEqual(left(infrastructure('projection summary failed at global position 5: Error thrown')));
    expect(ok(await checkpoints.load('summary')())).toMatchObject({ position: 4 });
    expect(ok(await runProjection(store, checkpoints, summary)())).toMatchObject({ position: 6, eventsApplied: 2, state: { a: { count: 6 } } });
  });

  it('keeps non-JSON states through serialize/deserialize, and reports a checkpoint it cannot read', async () => {
    const store = inMemoryEventStore();
    const checkpoints = inMemoryCheckpointStore();
    const types: Projection<ReadonlySet<string>> = {
      name: 'types',
      initialState: new Set(),
      evolve: (state, event) => new Set([...state, event.type]),
      serialize: (state) => [...state].sort(),
      deserialize: (json) => (Array.isArray(json) ? right(new Set(json as string[])) : left(infrastructure('bad checkpoint'))),
    };
    await append(store, 'a', ['B', 'A']);
    ok(await runProjection(store, checkpoints, types)());
    expect(ok(await checkpoints.load('types')())).toEqual({ position: 2, state: ['A', 'B'] });
    await append(store, 'a', ['C']);
    const next = ok(await runProjection(store, checkpoints, types)());
    expect(next.owned && [...next.state].sort()).toEqual(['A', 'B', 'C']);
    ok(await checkpoints.save('types', { position: 3, state: { not: 'an array' } })());
    expect(await runProjection(store, checkpoints, types)()).toEqual(left(infrastructure('bad checkpoint')));
  });

  it('passes store and checkpoint failures through', async () => {
    const store = inMemoryEventStore();
    await append(store, 'a', ['A']);
    const broken: EventStore = { ...store, readAll: () => () => Promise.resolve(left(infrastructure('read failed'))) };
    expect(await runProjection(broken, inMemoryCheckpointStore(), summary)()).toEqual(left(infrastructure('read failed')));
    const checkpoints = inMemoryCheckpointStore();
    const noLoad = { ...checkpoints, load: () => () => Promise.resolve(left(infrastructure('load failed'))) };
    expect(await runProjection(store, noLoad, summary)()).toEqual(left(infrastructure('load failed')));
    const noSave = { ...checkpoints, save: () => () => Promise.resolve(left(infrastructure('save failed'))) };
    expect(await runProjection(store, noSave, summary)()).toEqual(left(infrastructure('save failed')));
    const noOwnership = { ...checkpoints, withOwnership: () => () => Promise.resolve(left(infrastructure('lock failed'))) };
    expect(await runProjection(store, noOwnership, summary)()).toEqual(left(infrastructure('lock failed')));
  });
});

describe('inlineProjection', () => {
  it('is current as soon as dispatch returns', async () => {
    const store = inMemoryEventStore();
    const view = inlineProjection(store, summary);
    const runtime = createCommandRuntime({ store, handlers, eventRegistry: registry, clock: manualClock(0), random: seededRandom(1), projections: [view] });
    ok(await runtime.dispatch(deposit('c-1', 'acc-1', '10'))());
    expect(view.state()).toEqual({ 'account-acc-1': { count: 1, last: 'Deposited' } });
    ok(await runtime.dispatch(deposit('c-2', 'acc-2', '10'))());
    expect(view.position()).toBe(2);
    expect(view.name).toBe('summary');
  });

  it('concurrent commits never fold an event twice or skip one', async () => {
    const store = inMemoryEventStore();
    const view = inlineProjection(store, summary, { pageSize: 3 });
    const runtime = createCommandRuntime({ store, handlers, eventRegistry: registry, random: seededRandom(2), projections: [view], retry: { maxAttempts: 100, sleep: () => Promise.resolve() } });
    await Promise.all(Array.from({ length: 40 }, (_, i) => runtime.dispatch(deposit(`c-${String(i)}`, `acc-${String(i % 3)}`, '1'))()));
    expect(view.state()).toEqual(await foldAll(store));
    expect(Object.values(view.state()).reduce((sum, entry) => sum + entry.count, 0)).toBe(40);
  });

  it('stays at the last event that folded when evolve throws, and rebuilds from 0', async () => {
    const store = inMemoryEventStore();
    let poisoned = true;
    const fragile: Projection<Summary> = {
      ...summary,
      evolve: (state, event: StoredEvent) => {
        if (poisoned && event.type === 'Poison') throw new Error('cannot digest');
        return summary.evolve(state, event);
      },
    };
    const view = inlineProjection(store, fragile);
    await append(store, 'a', ['Fine', 'Fine']);
    await append(store, 'a', ['Poison', 'Fine']);
    expect(await view.catchUp()()).toEqual(left(infrastructure('projection summary failed at global position 3: Error thrown')));
    expect(view.position()).toBe(2);
    expect(view.state()).toEqual({ a: { count: 2, last: 'Fine' } });
    poisoned = false;
    expect(ok(await view.catchUp()())).toEqual({ a: { count: 4, last: 'Fine' } });
    expect(ok(await view.rebuild()())).toEqual({ a: { count: 4, last: 'Fine' } });
    expect(view.position()).toBe(4);
  });

  it('reports a failing store and an evolve that rejects oddly, then recovers', async () => {
    const store = inMemoryEventStore();
    await append(store, 'a', ['A']);
    let fail = true;
    const flaky: EventStore = {
      ...store,
      readAll: (options) => (fail ? () => Promise.reject(new Error('socket closed')) : store.readAll(options)),
    };
    const view = inlineProjection(flaky, summary);
    expect(await view.catchUp()()).toEqual(left(infrastructure('projection summary failed: Error thrown')));
    fail = false;
    expect(ok(await view.catchUp()())).toEqual({ a: { count: 1, last: 'A' } });
    const failing: EventStore = { ...store, readAll: () => () => Promise.resolve(left(infrastructure('read failed'))) };
    expect(await inlineProjection(failing, summary).catchUp()()).toEqual(left(infrastructure('read failed')));
  });
});

describe('decodedProjection', () => {
  const noBalances: Readonly<Record<string, string>> = {};
  const balances = decodedProjection(registry, {
    name: 'balances',
    initialState: noBalances,
    evolve: (state, event, stored) => {
      if (event.type !== 'Deposited' && event.type !== 'Withdrawn') return state;
      const sign = event.type === 'Deposited' ? 1n : -1n;
      return { ...state, [stored.streamId]: (BigInt(state[stored.streamId] ?? '0') + sign * event.data.amount).toString() };
    },
  });

  it('folds decoded events (bigints and upcasts included) and skips types it does not know', async () => {
    const store = inMemoryEventStore();
    const runtime = createCommandRuntime({ store, handlers, eventRegistry: registry, random: seededRandom(3) });
    ok(await runtime.dispatch(deposit('c-1', 'a', '100'))());
    ok(await runtime.dispatch({ type: 'Withdraw', commandId: 'c-2', actor: { kind: 'system' }, accountId: 'a', amount: '30' })());
    await append(store, 'elsewhere', ['SomethingElse']);
    const view = inlineProjection(store, balances);
    expect(ok(await view.catchUp()())).toEqual({ 'account-a': '70' });
    expect(view.position()).toBe(3);
  });

  it('stops at a stored event of a known type that does not decode', async () => {
    const store = inMemoryEventStore();
    await append(store, 'account-a', ['Deposited']);
    const result = await inlineProjection(store, balances).catchUp()();
    expect(result._tag === 'Left' && result.left.message).toMatch(/^projection balances failed at global position 1: stored event Deposited does not match its schema: accountId: required/);
  });

  it('uses payloads that decode as stored without copying them', async () => {
    const store = inMemoryEventStore();
    counter++;
    ok(
      await store.append([
        {
          streamId: 'account-n',
          expectedVersion: 'any',
          events: [{ eventId: 'note-1', type: 'NoteAdded', schemaVersion: 1, data: { accountId: 'n', note: 'hello' }, metadata: { commandId: 'n-1', correlationId: 'n', causationId: 'n', actor: { kind: 'system' }, occurredAt: '2025-01-01T00:00:00.000Z' } }],
        },
      ])(),
    );
    const notes = decodedProjection(registry, {
      name: 'notes',
      initialState: [] as readonly string[],
      evolve: (state, event) => (event.type === 'NoteAdded' ? [...state, event.data.note] : state),
    });
    expect(ok(await inlineProjection(store, notes).catchUp()())).toEqual(['hello']);
  });
});
