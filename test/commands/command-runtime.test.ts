import { left, right } from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { validate as isUuid, version as uuidVersion } from 'uuid';
import { beforeEach, describe, expect, it } from 'vitest';
import type { AnyCommandHandler, CommandHandler } from '../../src/commands/command-handler.js';
import type { StreamFold } from '../../src/events/stream-fold.js';
import { commandEnvelopeCodec } from '../../src/events/command-envelope.js';
import type { CommandRuntimeConfig } from '../../src/commands/command-runtime.js';
import { createCommandRuntime } from '../../src/commands/command-runtime.js';
import { fromHostPort } from '../../src/commands/host-port.js';
import { concurrencyConflict, infrastructure } from '../../src/errors/sdk-error.js';
import type { SdkError } from '../../src/errors/sdk-error.js';
import type { StoredEvent } from '../../src/events/envelope.js';
import { verifyAll } from '../../src/store/verify-chain.js';
import { manualClock } from '../../src/ports/clock.js';
import { seededRandom } from '../../src/ports/random.js';
import type { EventStore } from '../../src/store/event-store.js';
import { inMemoryEventStore } from '../../src/store/in-memory-event-store.js';
import type { Snapshot, SnapshotStore } from '../../src/store/snapshot-store.js';
import { inMemorySnapshotStore } from '../../src/store/snapshot-store.js';
import * as t from 'io-ts';
import type { Account, AccountEvent } from './sample-domain.js';
import { accountFold, accountStream, deposit, depositHandler, foldCounter, handlers, registry, userActor } from './sample-domain.js';

const T0 = Date.UTC(2025, 2, 1, 12, 0, 0);

const setup = (overrides: Partial<CommandRuntimeConfig> = {}) => {
  const store = overrides.store ?? inMemoryEventStore();
  const clock = manualClock(T0);
  const sleeps: number[] = [];
  const runtime = createCommandRuntime({
    store,
    handlers,
    eventRegistry: registry,
    clock,
    random: seededRandom(7),
    retry: { sleep: (ms) => (sleeps.push(ms), Promise.resolve()) },
    ...overrides,
  });
  return { store, clock, runtime, sleeps };
};

const everything = async (store: EventStore): Promise<readonly StoredEvent[]> => {
  const result = await store.readAll({ fromPosition: 0, limit: 100_000 })();
  if (result._tag === 'Left') throw new Error(result.left.message);
  return result.right;
};

const ok = <A>(result: { _tag: 'Left'; left: SdkError } | { _tag: 'Right'; right: A }): A => {
  if (result._tag === 'Left') throw new Error(`expected success, got ${result.left.code}: ${result.left.message}`);
  return result.right;
};

const err = (result: { _tag: 'Left'; left: SdkError } | { _tag: 'Right'; right: unknown }): SdkError => {
  if (result._tag === 'Right') throw new Error('expected a failure');
  return result.left;
};

beforeEach(() => {
  foldCounter.calls = 0;
});

describe('dispatch', () => {
  it('appends the decided events in an envelope built from the command, the clock and the random source', async () => {
    const { store, runtime } = setup();
    const result = ok(await runtime.dispatch(deposit('c-1', 'acc-1', '150'))());
    expect(result).toMatchObject({ commandId: 'c-1', output: { deposited: '150', version: 1 }, replayed: false });
    expect(result.events).toHaveLength(1);
    const [event] = result.events;
    expect(event).toMatchObject({
      streamId: 'account-acc-1',
      streamVersion: 1,
      type: 'Deposited',
      schemaVersion: 1,
      data: { accountId: 'acc-1', amount: '150' },
      metadata: { commandId: 'c-1', correlationId: 'c-1', causationId: 'c-1', actor: userActor, occurredAt: '2025-03-01T12:00:00.000Z' },
    });
    expect(isUuid(event!.eventId) && uuidVersion(event!.eventId)).toBe(7);
    expect(parseInt(event!.eventId.replace(/-/g, '').slice(0, 12), 16)).toBe(T0);
    expect(await everything(store)).toEqual(result.events);
  });

  it('records correlation and causation ids when the command gives them, and drops unknown actor fields', async () => {
    const { runtime } = setup();
    const result = ok(
      await runtime.dispatch(deposit('c-2', 'acc-1', '5', { correlationId: 'journey-9', causationId: 'c-1', actor: { ...userActor, role: 'admin' } }))(),
    );
    expect(result.events[0]!.metadata).toEqual({
      commandId: 'c-2',
      correlationId: 'journey-9',
      causationId: 'c-1',
      actor: userActor,
      occurredAt: '2025-03-01T12:00:00.000Z',
      commandDigest: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown,
    });
  });

  it('is deterministic: the same clock, random seed and commands give the same events', async () => {
    const run = async () => {
      const { runtime, store } = setup();
      for (let i = 0; i < 5; i++) ok(await runtime.dispatch(deposit(`c-${String(i)}`, 'acc-1', '1'))());
      return everything(store);
    };
    expect(await run()).toEqual(await run());
  });

  it('appends to several streams atomically', async () => {
    const { runtime, store } = setup();
    ok(await runtime.dispatch(deposit('c-1', 'a', '100'))());
    const transfer = ok(await runtime.dispatch({ type: 'Transfer', commandId: 't-1', actor: userActor, from: 'a', to: 'b', amount: '40' })());
    expect(transfer.events.map((event) => [event.streamId, event.type])).toEqual([
      ['account-a', 'Withdrawn'],
      ['account-b', 'Deposited'],
    ]);
    expect(err(await runtime.dispatch({ type: 'Transfer', commandId: 't-2', actor: userActor, from: 'b', to: 'a', amount: '41' })())).toMatchObject({ _tag: 'PreconditionFailed' });
    expect(await everything(store)).toHaveLength(3);
  });
});

describe('idempotency', () => {
  it('a commandId already handled returns the first outcome and appends nothing', async () => {
    const { runtime, store } = setup();
    const first = ok(await runtime.dispatch(deposit('c-1', 'acc-1', '150'))());
    ok(await runtime.dispatch(deposit('c-2', 'acc-1', '1'))());
    const again = ok(await runtime.dispatch(deposit('c-1', 'acc-1', '150'))());
    expect(again).toEqual({ ...first, replayed: true });
    expect(await everything(store)).toHaveLength(2);
  });

  it('survives a restart: a new runtime over the same store finds the command', async () => {
    const store = inMemoryEventStore();
    const first = ok(await setup({ store }).runtime.dispatch(deposit('c-1', 'acc-1', '150'))());
    const again = ok(await setup({ store }).runtime.dispatch(deposit('c-1', 'acc-1', '150'))());
    expect(again).toEqual({ ...first, replayed: true });
    expect(await everything(store)).toHaveLength(1);
  });

  it('a command that failed and recorded its failure fails the same way again', async () => {
    const { runtime, store } = setup();
    const refused = err(await runtime.dispatch({ type: 'Withdraw', commandId: 'w-1', actor: userActor, accountId: 'acc-1', amount: '10' })());
    expect(refused).toMatchObject({ _tag: 'PreconditionFailed', precondition: 'funds' });
    expect((await everything(store)).map((event) => event.type)).toEqual(['WithdrawalRefused']);
    ok(await runtime.dispatch(deposit('c-1', 'acc-1', '100'))());
    expect(err(await runtime.dispatch({ type: 'Withdraw', commandId: 'w-1', actor: userActor, accountId: 'acc-1', amount: '10' })())).toEqual(refused);
    expect(await everything(store)).toHaveLength(2);
  });

  it('a commandId reused by another actor gets nothing of the first outcome', async () => {
    const { runtime, store } = setup();
    ok(await runtime.dispatch(deposit('c-1', 'acc-1', '150'))());
    const stolen = err(await runtime.dispatch(deposit('c-1', 'acc-1', '150', { actor: { kind: 'user', companyId: 'acme', userId: 'mallory' } }))());
    expect(stolen).toMatchObject({ _tag: 'DuplicateCommand', commandId: 'c-1' });
    expect(JSON.stringify(stolen)).not.toContain('150');
    expect(await everything(store)).toHaveLength(1);
  });

  it('two instances racing with one commandId: one appends, the other returns its outcome', async () => {
    const store = inMemoryEventStore();
    const [a, b] = await Promise.all([setup({ store }).runtime.dispatch(deposit('c-1', 'acc-1', '150'))(), setup({ store }).runtime.dispatch(deposit('c-1', 'acc-1', '150'))()]);
    const results = [ok(a), ok(b)];
    expect(results.filter((result) => result.replayed)).toHaveLength(1);
    expect(results[0]!.events).toEqual(results[1]!.events);
    expect(results[0]!.output).toEqual(results[1]!.output);
    expect(await everything(store)).toHaveLength(1);
  });

  it('a command that decided nothing is remembered by a receipt, with no event', async () => {
    const noop: CommandHandler<{ commandId: string }, string> = {
      type: 'Noop',
      codec: t.intersection([commandEnvelopeCodec, t.type({ type: t.literal('Noop') })]),
      handle: () => () => Promise.resolve(right({ writes: [], output: 'nothing' })),
      outcomeOf: () => right('nothing'),
    };
    const { runtime, store } = setup({ handlers: [noop, depositHandler] });
    const command = { type: 'Noop', commandId: 'n-1', actor: { kind: 'system' } };
    expect(ok(await runtime.dispatch(command)())).toEqual({ commandId: 'n-1', events: [], output: 'nothing', replayed: false });
    expect(ok(await runtime.dispatch(command)())).toEqual({ commandId: 'n-1', events: [], output: 'nothing', replayed: true });
    // The id is taken: another command under it is refused, and did nothing.
    expect(err(await runtime.dispatch(deposit('n-1', 'acc-1', '5', { actor: { kind: 'system' } }))())).toMatchObject({ _tag: 'IdempotencyKeyReused', code: 'IDEMPOTENCY_KEY_REUSED', commandId: 'n-1' });
    expect(await everything(store)).toHaveLength(0);
  });
});

describe('invalid commands', () => {
  it('an unknown or missing type is an InvalidCommand naming the type path', async () => {
    const { runtime } = setup();
    for (const command of [{ type: 'Explode', commandId: 'x' }, { commandId: 'x' }, null, 42, 'Deposit', [deposit('c', 'a', '1')]]) {
      const error = err(await runtime.dispatch(command)());
      expect(error).toMatchObject({ _tag: 'InvalidCommand', issues: [{ path: 'type' }] });
      expect(error.message).toContain('Deposit, Withdraw, Transfer');
    }
  });

  it('lists the paths of every invalid field with what was expected, never the value', async () => {
    const { runtime } = setup();
    const error = err(
      await runtime.dispatch({ type: 'Deposit', commandId: '', actor: { kind: 'user', companyId: 'acme' }, accountId: 7, amount: '12.5', pin: 'leaked-secret-9876', correlationId: 'x'.repeat(129) })(),
    );
    if (error._tag !== 'InvalidCommand') throw new Error('expected InvalidCommand');
    expect(error.issues.map((issue) => issue.path).sort()).toEqual(['accountId', 'actor.userId', 'amount', 'commandId', 'correlationId', 'pin'].sort());
    expect(error.issues.find((issue) => issue.path === 'amount')!.message).toBe('expected PositiveAmount');
    expect(error.issues.find((issue) => issue.path === 'accountId')!.message).toBe('expected NonEmptyString');
    for (const leaked of ['leaked-secret-9876', '12.5', 'xxxxxxxx']) expect(JSON.stringify(error)).not.toContain(leaked);
  });

  it('names missing fields as required', async () => {
    const { runtime } = setup();
    const error = err(await runtime.dispatch({ type: 'Deposit' })());
    if (error._tag !== 'InvalidCommand') throw new Error('expected InvalidCommand');
    expect(error.issues).toContainEqual({ path: 'commandId', message: 'required: expected CommandId' });
    expect(error.issues).toContainEqual({ path: 'pin', message: 'required: expected Pin' });
  });

  it('10,000 random JSON values: no exception, no event appended, every error names a path', async () => {
    const { runtime, store } = setup();
    const withKnownType = fc
      .tuple(fc.constantFrom('Deposit', 'Withdraw', 'Transfer'), fc.dictionary(fc.string(), fc.jsonValue()))
      .map(([type, rest]) => ({ ...rest, type }));
    let dispatched = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.jsonValue(), withKnownType), async (input) => {
        dispatched++;
        const result = await runtime.dispatch(input)();
        expect(result._tag).toBe('Left');
        if (result._tag === 'Right' || result.left._tag !== 'InvalidCommand') throw new Error(`expected InvalidCommand, got ${JSON.stringify(result)}`);
        expect(result.left.issues.length).toBeGreaterThan(0);
        for (const issue of result.left.issues) expect(issue.path).not.toBe('');
      }),
      { numRuns: 10_000 },
    );
    expect(dispatched).toBe(10_000);
    expect(await everything(store)).toHaveLength(0);
  });

  it('command-shaped fuzz: never an exception; an invalid field is always named', async () => {
    const { runtime, store } = setup();
    const field = fc.oneof(fc.jsonValue(), fc.string(), fc.constant(undefined));
    const commandLike = fc.record(
      {
        type: fc.oneof(fc.constantFrom('Deposit', 'Withdraw', 'Transfer'), fc.jsonValue()),
        commandId: field,
        actor: fc.oneof(fc.constant(userActor), fc.record({ kind: fc.constantFrom('user', 'bank', 'system', 'alien'), userId: field, companyId: field, operatorId: field }), fc.jsonValue()),
        accountId: field,
        amount: fc.oneof(fc.bigInt().map(String), field),
        pin: fc.oneof(fc.stringMatching(/^[0-9]{4}$/), field),
        from: field,
        to: field,
        correlationId: field,
      },
      { requiredKeys: [] },
    );
    await fc.assert(
      fc.asyncProperty(commandLike, async (input) => {
        const result = await runtime.dispatch(input)();
        if (result._tag === 'Right') return;
        expect(['InvalidCommand', 'PreconditionFailed']).toContain(result.left._tag);
        if (result.left._tag === 'InvalidCommand') for (const issue of result.left.issues) expect(issue.path).not.toBe('');
      }),
      { numRuns: 2_000 },
    );
    expect(ok(await verifyAll(store)()).ok).toBe(true);
  });
});

describe('retries', () => {
  /** A store that reports a conflict for the first `failures` appends. */
  const conflictingStore = (failures: number): EventStore & { attempts: number } => {
    const inner = inMemoryEventStore();
    const wrapper = {
      ...inner,
      attempts: 0,
      append: (writes: Parameters<EventStore['append']>[0]) => () => {
        wrapper.attempts++;
        return wrapper.attempts <= failures ? Promise.resolve(left(concurrencyConflict('account-acc-1', '0', 1))) : inner.append(writes)();
      },
    };
    return wrapper;
  };

  it('retries on a version conflict with growing, jittered delays', async () => {
    const store = conflictingStore(3);
    const sleepsOf: number[] = [];
    const { runtime } = setup({ store, retry: { baseDelayMs: 10, sleep: (ms) => (sleepsOf.push(ms), Promise.resolve()) } });
    ok(await runtime.dispatch(deposit('c-1', 'acc-1', '1'))());
    expect(store.attempts).toBe(4);
    expect(sleepsOf).toHaveLength(3);
    sleepsOf.forEach((ms, index) => {
      expect(ms).toBeGreaterThanOrEqual((10 * 2 ** index) / 2);
      expect(ms).toBeLessThanOrEqual(10 * 2 ** index);
    });
  });

  it('gives up after the last attempt with the conflict', async () => {
    const store = conflictingStore(100);
    const { runtime } = setup({ store, retry: { maxAttempts: 3, sleep: () => Promise.resolve() } });
    expect(err(await runtime.dispatch(deposit('c-1', 'acc-1', '1'))())).toMatchObject({ _tag: 'ConcurrencyConflict', streamId: 'account-acc-1' });
    expect(store.attempts).toBe(3);
  });

  it('concurrent deposits to one account all land, none lost, chain intact', async () => {
    const { runtime, store } = setup({ retry: { maxAttempts: 100, sleep: () => Promise.resolve() } });
    const results = await Promise.all(Array.from({ length: 25 }, (_, i) => runtime.dispatch(deposit(`c-${String(i)}`, 'acc-1', String(i + 1)))()));
    expect(results.every((result) => result._tag === 'Right')).toBe(true);
    const events = await everything(store);
    expect(events.map((event) => event.streamVersion)).toEqual(Array.from({ length: 25 }, (_, i) => i + 1));
    expect(events.reduce((sum, event) => sum + BigInt(event.data.amount as string), 0n)).toBe(325n);
    expect(ok(await verifyAll(store)()).ok).toBe(true);
  });
});

describe('failures never escape as exceptions', () => {
  const throwing = (how: 'throw' | 'reject' | 'port'): AnyCommandHandler => ({
    type: 'Boom',
    codec: t.intersection([commandEnvelopeCodec, t.type({ type: t.literal('Boom') })]),
    handle: () => {
      if (how === 'throw') throw new Error('handler exploded');
      if (how === 'reject') return () => Promise.reject(new Error('handler rejected'));
      return fromHostPort('directory.getUser', () => {
        throw new Error('directory down');
      });
    },
  });
  const boom = { type: 'Boom', commandId: 'b-1', actor: { kind: 'system' } };

  it.each(['throw', 'reject', 'port'] as const)('a handler or port that fails (%s) becomes an Infrastructure error', async (how) => {
    const { runtime, store } = setup({ handlers: [throwing(how)] });
    expect(err(await runtime.dispatch(boom)())).toMatchObject({ _tag: 'Infrastructure' });
    expect(await everything(store)).toHaveLength(0);
  });

  it('an event that breaks its own codec is refused before anything is written', async () => {
    const bad: AnyCommandHandler = {
      type: 'Bad',
      codec: t.intersection([commandEnvelopeCodec, t.type({ type: t.literal('Bad') })]),
      handle: () => () =>
        Promise.resolve(
          right({
            writes: [
              { streamId: 'account-x', expectedVersion: 'any', events: [{ type: 'NoteAdded', data: { accountId: 'x', note: 'fine' } }] },
              { streamId: 'account-y', expectedVersion: 'any', events: [{ type: 'NoteAdded', data: { accountId: 'y', note: 42 } }] },
            ],
            output: undefined,
          }),
        ),
    };
    const { runtime, store } = setup({ handlers: [bad] });
    const error = err(await runtime.dispatch({ type: 'Bad', commandId: 'b-1', actor: { kind: 'system' } })());
    expect(error).toMatchObject({ _tag: 'Infrastructure' });
    expect(error.message).toContain('note: expected string');
    expect(error.message).not.toContain('42');
    expect(await everything(store)).toHaveLength(0);
  });

  it('a store that fails is reported, not thrown', async () => {
    const store: EventStore = { ...inMemoryEventStore(), lookupCommand: () => () => Promise.resolve(left(infrastructure('database unreachable'))) };
    const { runtime } = setup({ store });
    expect(err(await runtime.dispatch(deposit('c-1', 'acc-1', '1'))())).toEqual(infrastructure('database unreachable'));
  });
});

describe('snapshots', () => {
  const fill = async (store: EventStore, count: number): Promise<void> => {
    for (let start = 0; start < count; start += 500) {
      const events = Array.from({ length: Math.min(500, count - start) }, (_, i) => ({
        eventId: `e-${String(start + i)}`,
        type: 'Deposited',
        schemaVersion: 1,
        data: { accountId: 'long', amount: '1' },
        metadata: { commandId: `fill-${String(start)}`, correlationId: 'f', causationId: 'f', actor: { kind: 'system' as const }, occurredAt: '2025-01-01T00:00:00.000Z' },
      }));
      ok(await store.append([{ streamId: accountStream('long'), expectedVersion: 'any', events }])());
    }
  };

  it('a long stream is folded once; later loads fold only what came after the snapshot', async () => {
    const snapshots = inMemorySnapshotStore();
    const { runtime, store } = setup({ snapshots: { store: snapshots, every: 100 } });
    await fill(store, 2_000);
    ok(await runtime.dispatch(deposit('c-1', 'long', '5'))());
    expect(foldCounter.calls).toBe(2_000);
    foldCounter.calls = 0;
    const second = ok(await runtime.dispatch(deposit('c-2', 'long', '5'))());
    expect(foldCounter.calls).toBe(1);
    expect(second.output).toEqual({ deposited: '5', version: 2_002 });
    expect(ok(await snapshots.get(accountStream('long'), 'account')())).toMatchObject({ streamVersion: 2_000, foldName: 'account', foldVersion: 1 });
  });

  it('loads the same state with and without snapshots', async () => {
    const store = inMemoryEventStore();
    await fill(store, 1_234);
    const withSnapshots = setup({ store, snapshots: { store: inMemorySnapshotStore(), every: 10 } }).runtime;
    const without = setup({ store }).runtime;
    for (let i = 0; i < 30; i++) {
      const a = ok(await withSnapshots.dispatch(deposit(`a-${String(i)}`, 'long', '2'))());
      const b = ok(await without.dispatch({ type: 'Withdraw', commandId: `b-${String(i)}`, actor: userActor, accountId: 'long', amount: '1' })());
      expect(a.output).toMatchObject({ version: 1_235 + 2 * i });
      expect(b.output).toEqual({ balance: String(1_234 + 2 * (i + 1) - (i + 1)) });
    }
  });

  it('ignores a snapshot of another fold version, or one the stream no longer matches', async () => {
    const snapshots = inMemorySnapshotStore();
    const { runtime, store } = setup({ snapshots: { store: snapshots, every: 10 } });
    await fill(store, 50);
    const planted: Snapshot = { streamId: accountStream('long'), foldName: 'account', foldVersion: 1, streamVersion: 40, hash: 'f'.repeat(64), state: { balance: 1_000_000n, refusals: 0 } };
    ok(await snapshots.put(planted)());
    ok(await runtime.dispatch({ type: 'Withdraw', commandId: 'w-1', actor: userActor, accountId: 'long', amount: '50' })());
    expect(err(await runtime.dispatch({ type: 'Withdraw', commandId: 'w-2', actor: userActor, accountId: 'long', amount: '1' })())).toMatchObject({ _tag: 'PreconditionFailed' });

    let probes = 0;
    const load = async (fold: typeof accountFold) => {
      let loaded: unknown;
      const probe: AnyCommandHandler = {
        type: 'Probe',
        codec: t.intersection([commandEnvelopeCodec, t.type({ type: t.literal('Probe') })]),
        handle: (_, context) => async () => {
          loaded = ok(await context.load(accountStream('long'), fold)());
          return right({ writes: [], output: undefined });
        },
      };
      ok(await setup({ store, snapshots: { store: snapshots, every: 10 }, handlers: [probe] }).runtime.dispatch({ type: 'Probe', commandId: `p-${String(++probes)}`, actor: { kind: 'system' } })());
      return loaded;
    };
    ok(await snapshots.put({ ...planted, foldVersion: 2, hash: (await everything(store))[39]!.hash })());
    foldCounter.calls = 0;
    expect(await load(accountFold)).toEqual({ state: { balance: 0n, refusals: 1 }, version: 52 });
    expect(foldCounter.calls).toBe(52);
    ok(await snapshots.put({ ...planted, foldVersion: 2, hash: (await everything(store))[39]!.hash })());
    foldCounter.calls = 0;
    // A snapshot of this fold version whose event is still there: the fold starts from it.
    expect(await load({ ...accountFold, version: 2 })).toEqual({ state: { balance: 1_000_000n + 10n - 50n, refusals: 1 }, version: 52 });
    expect(foldCounter.calls).toBe(12);
  });

  it('carries on without snapshots when the snapshot store fails', async () => {
    const failing: SnapshotStore = {
      get: () => () => Promise.reject(new Error('cache down')),
      put: () => () => Promise.resolve(left(infrastructure('cache full'))),
    };
    const { runtime, store } = setup({ snapshots: { store: failing, every: 1 } });
    await fill(store, 20);
    expect(ok(await runtime.dispatch(deposit('c-1', 'long', '1'))()).output).toEqual({ deposited: '1', version: 21 });
    const throwingPut: SnapshotStore = { get: () => () => Promise.resolve(right(undefined)), put: () => { throw new Error('boom'); } };
    expect(ok(await setup({ store, snapshots: { store: throwingPut, every: 1 } }).runtime.dispatch(deposit('c-2', 'long', '1'))()).output).toMatchObject({ version: 22 });
  });
});

describe('upcasting on read', () => {
  it('a stored v1 event is read as the current version', async () => {
    const { runtime, store } = setup();
    ok(
      await store.append([
        {
          streamId: accountStream('old'),
          expectedVersion: 'no-stream',
          events: [
            {
              eventId: 'legacy-1',
              type: 'WithdrawalRefused',
              schemaVersion: 1,
              data: { accountId: 'old', requested: '10' },
              metadata: { commandId: 'legacy', correlationId: 'legacy', causationId: 'legacy', actor: { kind: 'system' }, occurredAt: '2020-01-01T00:00:00.000Z' },
            },
          ],
        },
      ])(),
    );
    const [stored] = await everything(store);
    expect(registry.decode(stored!)).toEqual(right({ type: 'WithdrawalRefused', data: { accountId: 'old', requested: 10n, reason: 'insufficient-funds' } }));
    ok(await runtime.dispatch(deposit('c-1', 'old', '1'))());
  });
});

describe('inline projections', () => {
  it('are brought up to date after each commit; their failures do not fail the command', async () => {
    const calls: string[] = [];
    const { runtime } = setup({
      projections: [
        { catchUp: () => () => (calls.push('first'), Promise.resolve(right(undefined))) },
        { catchUp: () => () => (calls.push('failing'), Promise.reject(new Error('projection bug'))) },
        { catchUp: () => () => (calls.push('last'), Promise.resolve(right(undefined))) },
      ],
    });
    ok(await runtime.dispatch(deposit('c-1', 'acc-1', '1'))());
    expect(calls).toEqual(['first', 'failing', 'last']);
    ok(await runtime.dispatch(deposit('c-1', 'acc-1', '1'))());
    expect(calls).toHaveLength(3);
  });
});

describe('loading streams', () => {
  const probeWith = (fold: StreamFold<Account, AccountEvent>): AnyCommandHandler => ({
    type: 'Probe',
    codec: t.intersection([commandEnvelopeCodec, t.type({ type: t.literal('Probe') })]),
    handle: (_, context) => async () => {
      const loaded = await context.load(accountStream('a'), fold)();
      return loaded._tag === 'Left' ? loaded : right({ writes: [], output: loaded.right });
    },
  });
  const probe = { type: 'Probe', commandId: 'p-1', actor: { kind: 'system' } };
  const corrupt = {
    eventId: 'bad-1',
    type: 'Deposited',
    schemaVersion: 1,
    data: { accountId: 'a', amount: 'a lot' },
    metadata: { commandId: 'bad', correlationId: 'bad', causationId: 'bad', actor: { kind: 'system' as const }, occurredAt: '2025-01-01T00:00:00.000Z' },
  };

  it('a stored event that does not decode fails the command and names the event type', async () => {
    const { runtime, store } = setup();
    ok(await store.append([{ streamId: accountStream('a'), expectedVersion: 'no-stream', events: [corrupt] }])());
    const error = err(await runtime.dispatch(deposit('c-1', 'a', '1'))());
    expect(error).toMatchObject({ _tag: 'Infrastructure' });
    expect(error.message).toBe('stored event Deposited does not match its schema: amount: expected BigIntFromDecimalString');
    expect(await everything(store)).toHaveLength(1);
  });

  it('a fold may bring its own decoder; a throwing evolve is an Infrastructure error', async () => {
    const store = inMemoryEventStore();
    ok(await store.append([{ streamId: accountStream('a'), expectedVersion: 'no-stream', events: [corrupt] }])());
    const lenient = { ...accountFold, decode: () => right({ type: 'NoteAdded' as const, data: { accountId: 'a', note: 'ignored' } }) };
    expect(ok(await setup({ store, handlers: [probeWith(lenient)] }).runtime.dispatch(probe)()).output).toEqual({ state: { balance: 0n, refusals: 0 }, version: 1 });
    const exploding = {
      ...lenient,
      evolve: () => {
        throw new Error('fold bug');
      },
    };
    expect(err(await setup({ store, handlers: [probeWith(exploding)] }).runtime.dispatch({ ...probe, commandId: 'p-2' })())).toEqual(infrastructure('loading stream account-a failed: Error thrown'));
  });

  it('a store failing to read or append is reported as it is', async () => {
    const inner = inMemoryEventStore();
    const noRead: EventStore = { ...inner, readStream: () => () => Promise.resolve(left(infrastructure('read failed'))) };
    expect(err(await setup({ store: noRead }).runtime.dispatch(deposit('c-1', 'a', '1'))())).toEqual(infrastructure('read failed'));
    const noAppend: EventStore = { ...inner, append: () => () => Promise.resolve(left(infrastructure('disk full'))) };
    expect(err(await setup({ store: noAppend }).runtime.dispatch(deposit('c-1', 'a', '1'))())).toEqual(infrastructure('disk full'));
  });

  it('waits with real timers by default', async () => {
    const inner = inMemoryEventStore();
    let attempts = 0;
    const store: EventStore = {
      ...inner,
      append: (writes) => () => (++attempts === 1 ? Promise.resolve(left(concurrencyConflict('account-a', '0', 1))) : inner.append(writes)()),
    };
    const runtime = createCommandRuntime({ store, handlers, eventRegistry: registry, retry: { baseDelayMs: 1 } });
    ok(await runtime.dispatch(deposit('c-1', 'a', '1'))());
    expect(attempts).toBe(2);
  });
});

describe('loading within one attempt', () => {
  /** A store that counts stream reads; its first `conflicts` appends report a conflict. */
  const countingStore = (conflicts = 0): EventStore & { reads: number } => {
    const inner = inMemoryEventStore();
    let failures = conflicts;
    const counting = {
      ...inner,
      reads: 0,
      readStream: (...args: Parameters<EventStore['readStream']>) => {
        counting.reads++;
        return inner.readStream(...args);
      },
      append: (writes: Parameters<EventStore['append']>[0]) =>
        failures-- > 0 ? () => Promise.resolve(left(concurrencyConflict(writes[0]!.streamId, '0', 1))) : inner.append(writes),
    };
    return counting;
  };

  const seen: { version: number; fresh: number }[] = [];
  // Loads the account twice as a handler's checks and its OTP rule would, then once fresh.
  const lookTwiceCodec = t.intersection([commandEnvelopeCodec, t.type({ type: t.literal('LookTwice'), accountId: t.string })]);
  const lookTwice: CommandHandler<t.TypeOf<typeof lookTwiceCodec>, undefined> = {
    type: 'LookTwice',
    codec: lookTwiceCodec,
    handle: (command, context) => async () => {
      const stream = accountStream(command.accountId);
      const first = await context.load(stream, accountFold)();
      const second = await context.load(stream, accountFold)();
      const fresh = await context.load(stream, accountFold, { fresh: true })();
      if (first._tag === 'Left' || second._tag === 'Left' || fresh._tag === 'Left') return left(infrastructure('load failed'));
      expect(second.right).toBe(first.right);
      seen.push({ version: first.right.version, fresh: fresh.right.version });
      return right({ writes: [{ streamId: `seen-${command.accountId}`, expectedVersion: 'any', events: [{ type: 'NoteAdded', data: { accountId: command.accountId, note: 'seen' } }] }], output: undefined });
    },
  };

  beforeEach(() => {
    seen.length = 0;
  });

  it('reads a stream once per fold however often the handler asks, and again when asked fresh', async () => {
    const store = countingStore();
    const { runtime } = setup({ store, handlers: [...handlers, lookTwice] as AnyCommandHandler[] });
    ok(await runtime.dispatch(deposit('d1', 'acc', '5'))());
    const before = store.reads;
    ok(await runtime.dispatch({ type: 'LookTwice', commandId: 'look-1', actor: userActor, accountId: 'acc' })());
    expect(store.reads - before).toBe(2);
    expect(seen).toEqual([{ version: 1, fresh: 1 }]);
  });

  it('reads everything again on a retry after a conflict', async () => {
    const store = countingStore(1);
    const { runtime } = setup({ store, handlers: [...handlers, lookTwice] as AnyCommandHandler[] });
    ok(await runtime.dispatch({ type: 'LookTwice', commandId: 'look-2', actor: userActor, accountId: 'acc' })());
    expect(seen).toHaveLength(2);
    expect(store.reads).toBe(4);
  });
});
