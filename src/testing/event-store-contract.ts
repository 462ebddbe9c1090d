import type { Either } from 'fp-ts/lib/Either.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { v7 as uuidV7 } from 'uuid';
import type { SdkError } from '../errors/sdk-error.js';
import { canonicalJson } from '../events/canonical-json.js';
import type { Actor, EventMetadata, JsonObject, JsonValue, NewEvent, StoredEvent } from '../events/envelope.js';
import { GENESIS_HASH } from '../events/envelope.js';
import { hashEvent } from '../events/hash-chain.js';
import { verifyAll, verifyStream } from '../store/verify-chain.js';
import type { AppendResult, AppendWrite, EventStore, ExpectedVersion } from '../store/event-store.js';

/** The two registration functions every test runner has (vitest, jest, mocha, node:test…). */
export interface ContractTestApi {
  /** Groups tests under a name. */
  readonly describe: (name: string, body: () => void) => void;
  /** Registers one asynchronous test. */
  readonly it: (name: string, body: () => Promise<void>) => void;
}

// ---------------------------------------------------------------------------------------------
// assertions: plain Errors with readable messages, so any runner reports them
// ---------------------------------------------------------------------------------------------

const fail = (message: string): never => {
  throw new Error(message);
};

const check = (condition: boolean, message: string): void => {
  if (!condition) fail(message);
};

const show = (value: unknown): string => {
  try {
    const text = canonicalJson(value as JsonValue);
    return text.length > 300 ? `${text.slice(0, 300)}…` : text;
  } catch {
    return String(value);
  }
};

const checkSame = (actual: unknown, expected: unknown, what: string): void => {
  const actualJson = canonicalJson(actual as JsonValue);
  const expectedJson = canonicalJson(expected as JsonValue);
  if (actualJson !== expectedJson) fail(`${what}: expected ${show(expected)}, got ${show(actual)}`);
};

const value = async <A>(task: TaskEither<SdkError, A>, what: string): Promise<A> => {
  const result: Either<SdkError, A> = await task();
  if (result._tag === 'Left') return fail(`${what} failed: ${result.left.code}: ${result.left.message}`);
  return result.right;
};

const failure = async <A>(task: TaskEither<SdkError, A>, what: string): Promise<SdkError> => {
  const result = await task();
  if (result._tag === 'Right') return fail(`${what} should have failed but succeeded`);
  return result.left;
};

const checkConflict = (error: SdkError, streamId: string, expected: string, actual: number): void => {
  check(error._tag === 'ConcurrencyConflict', `expected a ConcurrencyConflict, got ${error._tag}: ${error.message}`);
  if (error._tag !== 'ConcurrencyConflict') return;
  check(error.streamId === streamId, `the conflict should name stream ${streamId}, it names ${error.streamId}`);
  check(error.expected === expected, `the conflict should report expected ${expected}, it reports ${error.expected}`);
  check(error.actual === actual, `the conflict should report actual version ${String(actual)}, it reports ${String(error.actual)}`);
};

// ---------------------------------------------------------------------------------------------
// fixtures
// ---------------------------------------------------------------------------------------------

const userActor: Actor = { kind: 'user', companyId: 'company-1', userId: 'user-1' };

const metadataFor = (commandId: string, actor: Actor = userActor): EventMetadata => ({
  commandId,
  correlationId: `correlation-${commandId}`,
  causationId: `causation-${commandId}`,
  actor,
  occurredAt: '2025-03-01T12:00:00.000Z',
});

const makeEvent = (commandId: string, data: JsonObject = {}, type = 'ThingHappened', actor?: Actor): NewEvent => ({
  eventId: uuidV7(),
  type,
  schemaVersion: 1,
  data,
  metadata: metadataFor(commandId, actor),
});

let commandCounter = 0;
/** A fresh commandId, so no two appends of a suite share one unless a test means them to. */
const freshCommandId = (): string => {
  commandCounter++;
  return `contract-${uuidV7()}-${String(commandCounter)}`;
};

/** One write of `count` events (data `{ n: i }`) under a command. */
const write = (streamId: string, expectedVersion: ExpectedVersion, count: number, commandId: string): AppendWrite => ({
  streamId,
  expectedVersion,
  events: Array.from({ length: count }, (_, n) => makeEvent(commandId, { n, streamId })),
});

/** Appends `count` events to one stream under a fresh command. */
const appendTo = (store: EventStore, streamId: string, expectedVersion: ExpectedVersion, count = 1): Promise<AppendResult> =>
  value(store.append([write(streamId, expectedVersion, count, freshCommandId())]), `append ${String(count)} event(s) to ${streamId}`);

const readStream = (store: EventStore, streamId: string, options?: { from?: number; to?: number }): Promise<readonly StoredEvent[]> =>
  value(store.readStream(streamId, options), `readStream ${streamId}`);

const readEverything = async (store: EventStore, pageSize = 100): Promise<readonly StoredEvent[]> => {
  const all: StoredEvent[] = [];
  for (;;) {
    const page = await value(store.readAll({ fromPosition: all.at(-1)?.globalPosition ?? 0, limit: pageSize }), 'readAll');
    all.push(...page);
    if (page.length < pageSize) return all;
  }
};

const versionsOf = (events: readonly StoredEvent[]): string => events.map((event) => String(event.streamVersion)).join(',');
const idsOf = (events: readonly StoredEvent[]): string => events.map((event) => event.eventId).join(',');

const checkIncreasing = (events: readonly StoredEvent[], what: string): void => {
  for (let index = 1; index < events.length; index++) {
    const previous = (events[index - 1] as StoredEvent).globalPosition;
    const current = (events[index] as StoredEvent).globalPosition;
    check(current > previous, `${what}: global position ${String(current)} follows ${String(previous)}`);
  }
};

const checkChainVerifies = async (store: EventStore, streamIds: readonly string[]): Promise<void> => {
  for (const streamId of streamIds) {
    const report = await value(verifyStream(store, streamId, { pageSize: 7 }), `verifyStream ${streamId}`);
    check(report.ok, `the chain of ${streamId} should verify: ${report.ok ? '' : report.firstBreak.message}`);
  }
  const all = await value(verifyAll(store, { pageSize: 7 }), 'verifyAll');
  check(all.ok, `the whole store should verify: ${all.ok ? '' : all.firstBreak.message}`);
};

/** Data that JSON and JSONB columns are known to mangle when an adapter gets them wrong. */
const awkwardData = (): JsonObject => ({
  text: 'plain ascii',
  unicode: 'Pagó €1.000,50 — ñandú, 日本語, עברית, emoji 🧾👩🏽‍💼, combining é, zero-width \u200b',
  escapes: 'quote " backslash \\ slash / newline \n tab \t carriage \r bell \u0007',
  numbers: { zero: 0, negative: -42, big: Number.MAX_SAFE_INTEGER, small: -Number.MAX_SAFE_INTEGER, fraction: 0.1, tiny: 1e-7, huge: 1.5e300 },
  flags: [true, false, null],
  empty: { object: {}, array: [], string: '' },
  nested: { a: { b: { c: { d: { e: [1, [2, [3, { f: 'deep' }]]] } } } } },
  keys: { 'with space': 1, 'with.dot': 2, 'ñ': 3, '': 4, '10': 5, '9': 6, 'B': 7, 'a': 8 },
  decimal: '12345678901234567890.12',
});

const largeData = (): JsonObject => ({
  blob: 'x'.repeat(200_000),
  rows: Array.from({ length: 5_000 }, (_, index) => ({ index, amount: `${String(index)}.00`, payee: `Payee ${String(index)} ✓` })),
});

// ---------------------------------------------------------------------------------------------
// the suite
// ---------------------------------------------------------------------------------------------

/**
 * Registers the EventStore contract tests. `makeStore` returns a fresh, empty store each call.
 * Runner-agnostic: pass your runner's `describe` and `it`, e.g. with vitest
 * `eventStoreContract('in-memory', async () => inMemoryEventStore(), { describe, it })`.
 * Failures are thrown as plain `Error`s with a readable message.
 */
export const eventStoreContract = (name: string, makeStore: () => Promise<EventStore>, api: ContractTestApi): void => {
  const { describe, it } = api;

  describe(`EventStore contract: ${name}`, () => {
    describe('streams and versions', () => {
      it('reads an unknown stream as empty', async () => {
        const store = await makeStore();
        check((await readStream(store, 'never-written')).length === 0, 'an unknown stream should read as empty');
        check((await value(store.readAll({ fromPosition: 0, limit: 10 }), 'readAll')).length === 0, 'a new store should have no events');
      });

      it('numbers stream versions from 1 and global positions in increasing order', async () => {
        const store = await makeStore();
        const first = await appendTo(store, 'account-a', 'no-stream', 3);
        const second = await appendTo(store, 'account-b', 'no-stream', 2);
        const third = await appendTo(store, 'account-a', 3, 1);
        check(versionsOf(first.events) === '1,2,3', `first append versions: ${versionsOf(first.events)}`);
        check(versionsOf(second.events) === '1,2', `second append versions: ${versionsOf(second.events)}`);
        check(versionsOf(third.events) === '4', `third append versions: ${versionsOf(third.events)}`);
        checkSame(first.streamVersions, { 'account-a': 3 }, 'streamVersions of the first append');
        checkSame(third.streamVersions, { 'account-a': 4 }, 'streamVersions of the third append');
        check(first.events.every((event) => event.globalPosition >= 1), 'global positions start at 1 or later');
        const all = [...first.events, ...second.events, ...third.events];
        checkIncreasing(all, 'appends in sequence');
        const streamA = await readStream(store, 'account-a');
        check(versionsOf(streamA) === '1,2,3,4', `account-a reads ${versionsOf(streamA)}`);
        checkSame(streamA, [...first.events, ...third.events], 'account-a as read equals the events as appended');
        checkSame(await readEverything(store), all, 'readAll equals the appended events in order');
      });

      it('stores the envelope it is given and fills in the place and the chain', async () => {
        const store = await makeStore();
        const event = makeEvent(freshCommandId(), { amount: '10.00' }, 'OrderUploaded');
        const [stored] = (await value(store.append([{ streamId: 'order-1', expectedVersion: 'no-stream', events: [event] }]), 'append')).events;
        if (stored === undefined) return fail('the append returned no event');
        checkSame(
          { eventId: stored.eventId, type: stored.type, schemaVersion: stored.schemaVersion, data: stored.data, metadata: stored.metadata },
          event,
          'the stored envelope',
        );
        check(stored.streamId === 'order-1' && stored.streamVersion === 1, 'the stored event is placed at order-1 version 1');
        check(stored.prevHash === GENESIS_HASH, 'the first event of a stream chains to the genesis hash');
        check(stored.hash === hashEvent(stored), 'the hash is the hash of the stored event');
      });
    });

    describe('expected versions', () => {
      it('a number must equal the stream version', async () => {
        const store = await makeStore();
        checkConflict(await failure(store.append([write('s', 1, 1, freshCommandId())]), 'expecting 1 on a new stream'), 's', '1', 0);
        await appendTo(store, 's', 0, 2);
        checkConflict(await failure(store.append([write('s', 1, 1, freshCommandId())]), 'expecting a stale version'), 's', '1', 2);
        checkConflict(await failure(store.append([write('s', 3, 1, freshCommandId())]), 'expecting a future version'), 's', '3', 2);
        await appendTo(store, 's', 2, 1);
        check(versionsOf(await readStream(store, 's')) === '1,2,3', 'only the matching appends were stored');
      });

      it("'no-stream' and 0 accept only a stream without events", async () => {
        const store = await makeStore();
        await appendTo(store, 'with-no-stream', 'no-stream');
        await appendTo(store, 'with-zero', 0);
        checkConflict(await failure(store.append([write('with-no-stream', 'no-stream', 1, freshCommandId())]), "'no-stream' on an existing stream"), 'with-no-stream', 'no-stream', 1);
        checkConflict(await failure(store.append([write('with-zero', 0, 1, freshCommandId())]), '0 on an existing stream'), 'with-zero', '0', 1);
      });

      it("'any' accepts a stream at every version", async () => {
        const store = await makeStore();
        await appendTo(store, 'anything', 'any', 2);
        await appendTo(store, 'anything', 'any', 1);
        check(versionsOf(await readStream(store, 'anything')) === '1,2,3', "'any' appended to a new and to an existing stream");
      });

      it('a write without events only checks its expectation', async () => {
        const store = await makeStore();
        await appendTo(store, 'guarded', 'no-stream', 2);
        const commandId = freshCommandId();
        const result = await value(store.append([write('guarded', 2, 0, commandId), write('target', 'no-stream', 1, commandId)]), 'a guarded append');
        checkSame(result.streamVersions, { guarded: 2, target: 1 }, 'streamVersions of a guarded append');
        const stale = freshCommandId();
        checkConflict(await failure(store.append([write('guarded', 1, 0, stale), write('target', 1, 1, stale)]), 'a stale guard'), 'guarded', '1', 2);
        check((await readStream(store, 'target')).length === 1, 'the stale guard stopped the write beside it');
        check((await value(store.append([]), 'an empty append')).events.length === 0, 'an empty append stores nothing');
      });
    });

    describe('atomic multi-stream appends', () => {
      it('stores every stream of one append, in write order, under one command', async () => {
        const store = await makeStore();
        await appendTo(store, 'company-1', 'no-stream', 1);
        const commandId = freshCommandId();
        const result = await value(
          store.append([write('company-1', 1, 2, commandId), write('token-1', 'no-stream', 3, commandId), write('user-1', 'any', 1, commandId)]),
          'a three-stream append',
        );
        checkSame(result.streamVersions, { 'company-1': 3, 'token-1': 3, 'user-1': 1 }, 'streamVersions');
        check(result.events.map((event) => event.streamId).join(',') === 'company-1,company-1,token-1,token-1,token-1,user-1', 'events come back in write order');
        checkIncreasing(result.events, 'one append');
        checkSame(await value(store.readCommand(commandId), 'readCommand'), result.events, 'readCommand returns the whole append');
      });

      it('a conflict on the last stream leaves every stream unchanged, and the command can run again', async () => {
        const store = await makeStore();
        await appendTo(store, 'first', 'no-stream', 1);
        await appendTo(store, 'second', 'no-stream', 1);
        await appendTo(store, 'third', 'no-stream', 2);
        const before = await readEverything(store);
        const commandId = freshCommandId();
        const conflicting = [write('first', 1, 2, commandId), write('second', 1, 1, commandId), write('new-stream', 'no-stream', 1, commandId), write('third', 1, 1, commandId)];
        checkConflict(await failure(store.append(conflicting), 'an append whose last stream conflicts'), 'third', '1', 2);
        checkSame(await readEverything(store), before, 'the store after the failed append');
        check((await readStream(store, 'new-stream')).length === 0, 'a stream the failed append would have created does not exist');
        check((await value(store.readCommand(commandId), 'readCommand')).length === 0, 'the failed command left no trace');
        const retried = [write('first', 1, 2, commandId), write('second', 1, 1, commandId), write('new-stream', 'no-stream', 1, commandId), write('third', 2, 1, commandId)];
        const result = await value(store.append(retried), 'the same command with the right versions');
        check(result.events.length === 5, 'the retried command stored all its events');
        await checkChainVerifies(store, ['first', 'second', 'third', 'new-stream']);
      });
    });

    describe('reading', () => {
      it('readStream returns the inclusive range from..to', async () => {
        const store = await makeStore();
        await appendTo(store, 'ranged', 'no-stream', 10);
        const cases: ReadonlyArray<readonly [{ from?: number; to?: number }, string]> = [
          [{}, '1,2,3,4,5,6,7,8,9,10'],
          [{ from: 4 }, '4,5,6,7,8,9,10'],
          [{ to: 3 }, '1,2,3'],
          [{ from: 3, to: 5 }, '3,4,5'],
          [{ from: 7, to: 7 }, '7'],
          [{ from: 8, to: 20 }, '8,9,10'],
          [{ from: 11 }, ''],
          [{ from: 6, to: 5 }, ''],
          [{ from: 1, to: 0 }, ''],
        ];
        for (const [options, expected] of cases) {
          const read = versionsOf(await readStream(store, 'ranged', options));
          check(read === expected, `readStream(${show(options)}) returned versions [${read}], expected [${expected}]`);
        }
      });

      it('readAll returns events strictly after fromPosition, in global order, at most limit', async () => {
        const store = await makeStore();
        for (let round = 0; round < 4; round++) {
          for (const streamId of ['x', 'y', 'z']) await appendTo(store, streamId, 'any', round + 1);
        }
        const all = await readEverything(store, 1000);
        check(all.length === 30, `expected 30 events, read ${String(all.length)}`);
        checkIncreasing(all, 'readAll');
        for (const limit of [1, 2, 3, 7, 29, 30, 31]) {
          const paged = await readEverything(store, limit);
          check(idsOf(paged) === idsOf(all), `paging with limit ${String(limit)} read a different sequence`);
        }
        const middle = all[11] as StoredEvent;
        const after = await value(store.readAll({ fromPosition: middle.globalPosition, limit: 5 }), 'readAll from the middle');
        check(idsOf(after) === idsOf(all.slice(12, 17)), 'readAll from a position starts strictly after it');
        const last = all.at(-1) as StoredEvent;
        check((await value(store.readAll({ fromPosition: last.globalPosition, limit: 5 }), 'readAll at the end')).length === 0, 'nothing after the last position');
        check((await value(store.readAll({ fromPosition: 0, limit: 0 }), 'readAll with limit 0')).length === 0, 'limit 0 reads nothing');
      });

      it('a reader following readAll sees every event exactly once while writers race', async () => {
        const store = await makeStore();
        const seen: StoredEvent[] = [];
        const writers = { running: true };
        const reader = (async () => {
          for (;;) {
            const done = !writers.running;
            const page = await value(store.readAll({ fromPosition: seen.at(-1)?.globalPosition ?? 0, limit: 50 }), 'readAll while writing');
            seen.push(...page);
            if (done && page.length < 50) return;
            await new Promise((resolve) => setTimeout(resolve, 0));
          }
        })();
        await Promise.all(
          Array.from({ length: 8 }, async (_, writer) => {
            for (let round = 0; round < 10; round++) await appendTo(store, `racer-${String(writer)}`, round * 2, 2);
          }),
        );
        writers.running = false;
        await reader;
        checkIncreasing(seen, 'the following reader');
        check(seen.length === 160, `the reader saw ${String(seen.length)} events, 160 were written`);
        check(idsOf(seen) === idsOf(await readEverything(store)), 'the reader saw the events in global order');
      });
    });

    describe('commands', () => {
      it('readCommand returns the events appended under a commandId, [] for an unknown one', async () => {
        const store = await makeStore();
        const commandId = freshCommandId();
        await appendTo(store, 'before', 'no-stream', 2);
        const appended = await value(store.append([write('one', 'no-stream', 2, commandId), write('two', 'no-stream', 1, commandId)]), 'append');
        await appendTo(store, 'after', 'no-stream', 2);
        checkSame(await value(store.readCommand(commandId), 'readCommand'), appended.events, 'readCommand');
        check((await value(store.readCommand('never-sent'), 'readCommand of an unknown command')).length === 0, 'an unknown command has no events');
      });

      it('accepts a commandId once: a second append with it is a DuplicateCommand and stores nothing', async () => {
        const store = await makeStore();
        const commandId = freshCommandId();
        await value(store.append([write('first-stream', 'no-stream', 1, commandId)]), 'the first append');
        const before = await readEverything(store);
        for (const again of [write('first-stream', 1, 1, commandId), write('other-stream', 'any', 2, commandId)]) {
          const error = await failure(store.append([again]), 'an append reusing a commandId');
          check(error._tag === 'DuplicateCommand', `expected DuplicateCommand, got ${error._tag}`);
          check(error._tag === 'DuplicateCommand' && error.commandId === commandId, 'the error names the commandId');
        }
        checkSame(await readEverything(store), before, 'the store after the duplicates');
      });

      it('lookupCommand answers a command by its events, with their metadata; an unknown command is undefined', async () => {
        const store = await makeStore();
        const commandId = freshCommandId();
        const appended = await value(store.append([write('looked-up', 'no-stream', 2, commandId)]), 'append');
        const handled = await value(store.lookupCommand(commandId), 'lookupCommand');
        check(handled !== undefined, 'a command with events is found');
        checkSame(handled?.events, appended.events, 'lookupCommand events');
        checkSame(handled?.metadata, metadataFor(commandId), 'lookupCommand metadata');
        check((await value(store.lookupCommand('never-sent'), 'lookupCommand of an unknown command')) === undefined, 'an unknown command is undefined');
      });

      it('records a command without events by its receipt, once, atomically with the batch expectations', async () => {
        const store = await makeStore();
        await appendTo(store, 'guarded', 'no-stream', 1);
        const before = await readEverything(store);
        const commandId = freshCommandId();
        const receipt: EventMetadata = { ...metadataFor(commandId), commandDigest: 'd'.repeat(64) };
        // An expectation that fails records nothing.
        const conflict = await failure(store.append([{ streamId: 'guarded', expectedVersion: 5, events: [] }], receipt), 'a receipt whose guard fails');
        checkConflict(conflict, 'guarded', '5', 1);
        check((await value(store.lookupCommand(commandId), 'lookupCommand')) === undefined, 'a receipt whose guard failed is not recorded');
        const recorded = await value(store.append([{ streamId: 'guarded', expectedVersion: 1, events: [] }], receipt), 'a receipt with a guard');
        check(recorded.events.length === 0, 'a receipt appends no event');
        checkSame(await value(store.lookupCommand(commandId), 'lookupCommand'), { metadata: receipt, events: [] }, 'the receipt as looked up');
        check((await value(store.readCommand(commandId), 'readCommand')).length === 0, 'readCommand of a receipt has no events');
        // The commandId is taken: by events and by another receipt alike.
        for (const [what, again] of [
          ['events', store.append([write('after-receipt', 'any', 1, commandId)])],
          ['a receipt', store.append([], receipt)],
        ] as const) {
          const error = await failure(again, `${what} under a recorded receipt's commandId`);
          check(error._tag === 'DuplicateCommand', `${what} after a receipt: expected DuplicateCommand, got ${error._tag}`);
        }
        // And a command with events cannot be recorded again by a receipt.
        const withEvents = freshCommandId();
        await value(store.append([write('with-events', 'no-stream', 1, withEvents)]), 'append');
        const duplicate = await failure(store.append([], metadataFor(withEvents)), 'a receipt under a commandId with events');
        check(duplicate._tag === 'DuplicateCommand', `a receipt after events: expected DuplicateCommand, got ${duplicate._tag}`);
        checkSame((await readEverything(store)).length, before.length + 1, 'only the one event appended in between is stored');
      });

      it('records one of two racing receipts of one commandId', async () => {
        const store = await makeStore();
        const commandId = freshCommandId();
        const results = await Promise.all(Array.from({ length: 8 }, () => store.append([], metadataFor(commandId))()));
        const accepted = results.filter((result) => result._tag === 'Right').length;
        check(accepted === 1, `one receipt is recorded, ${String(accepted)} were`);
        check(
          results.every((result) => result._tag === 'Right' || result.left._tag === 'DuplicateCommand'),
          'the others are DuplicateCommand',
        );
      });

      it('rejects a receipt that is not sound metadata or names another command than its events, storing nothing', async () => {
        const store = await makeStore();
        const commandId = freshCommandId();
        const mismatch = await failure(store.append([write('receipt-mismatch', 'no-stream', 1, commandId)], metadataFor(freshCommandId())), 'a receipt of another command');
        check(mismatch._tag === 'Infrastructure', `a receipt of another command: expected Infrastructure, got ${mismatch._tag}`);
        const broken = await failure(store.append([], { commandId: '' } as unknown as EventMetadata), 'a receipt without a commandId');
        check(broken._tag === 'Infrastructure', `a broken receipt: expected Infrastructure, got ${broken._tag}`);
        check((await readEverything(store)).length === 0, 'nothing was stored');
        check((await value(store.lookupCommand(commandId), 'lookupCommand')) === undefined, 'nothing was recorded');
      });

      it('rejects an append whose events carry different commandIds, storing nothing', async () => {
        const store = await makeStore();
        const mixed: AppendWrite[] = [
          { streamId: 'mixed-1', expectedVersion: 'no-stream', events: [makeEvent(freshCommandId())] },
          { streamId: 'mixed-2', expectedVersion: 'no-stream', events: [makeEvent(freshCommandId())] },
        ];
        const error = await failure(store.append(mixed), 'an append with two commandIds');
        check(error._tag === 'Infrastructure', `expected an Infrastructure error, got ${error._tag}`);
        check((await readEverything(store)).length === 0, 'nothing was stored');
      });

      it('rejects a stream named twice in one append, and events that are not JSON, storing nothing', async () => {
        const store = await makeStore();
        const commandId = freshCommandId();
        const twice = await failure(store.append([write('twice', 'no-stream', 1, commandId), write('twice', 'any', 1, commandId)]), 'a stream named twice');
        check(twice._tag === 'Infrastructure', `a stream named twice: expected Infrastructure, got ${twice._tag}`);
        const notJson: ReadonlyArray<Record<string, unknown>> = [{ amount: Number.NaN }, { list: [1, undefined] }, { when: new Date(0) }, { big: 10n }];
        for (const data of notJson) {
          const event = { ...makeEvent(freshCommandId()), data } as unknown as NewEvent;
          const error = await failure(store.append([{ streamId: 'not-json', expectedVersion: 'any', events: [event] }]), 'an event that is not JSON');
          check(error._tag === 'Infrastructure', `data that is not JSON: expected Infrastructure, got ${error._tag}`);
        }
        const negative = await failure(store.append([write('negative', -1, 1, freshCommandId())]), 'a negative expected version');
        check(negative._tag === 'Infrastructure', `a negative expected version: expected Infrastructure, got ${negative._tag}`);
        check((await readEverything(store)).length === 0, 'nothing was stored');
      });
    });

    describe('concurrency', () => {
      it('100 concurrent appends with the same expected version: exactly one wins', async () => {
        const store = await makeStore();
        await appendTo(store, 'contended', 'no-stream', 3);
        const attempts = Array.from({ length: 100 }, () => store.append([write('contended', 3, 2, freshCommandId())])());
        const results = await Promise.all(attempts);
        const winners = results.filter((result) => result._tag === 'Right');
        check(winners.length === 1, `${String(winners.length)} appends won, exactly one should`);
        for (const result of results) {
          if (result._tag === 'Left') checkConflict(result.left, 'contended', '3', 5);
        }
        const stream = await readStream(store, 'contended');
        check(versionsOf(stream) === '1,2,3,4,5', `the stream holds versions ${versionsOf(stream)}`);
        const winner = winners[0];
        if (winner?._tag === 'Right') checkSame(stream.slice(3), winner.right.events, "the winner's events");
        await checkChainVerifies(store, ['contended']);
      });

      it('concurrent appends to different and overlapping streams keep every chain intact', async () => {
        const store = await makeStore();
        const streams = ['p', 'q', 'r', 's'];
        const tasks = Array.from({ length: 40 }, (_, index) => {
          const commandId = freshCommandId();
          const pair = [streams[index % 4] as string, streams[(index + 1) % 4] as string];
          return store.append(pair.map((streamId) => write(streamId, 'any', 1 + (index % 3), commandId)))();
        });
        const results = await Promise.all(tasks);
        check(results.every((result) => result._tag === 'Right'), "appends with 'any' never conflict");
        const all = await readEverything(store);
        const expectedCount = Array.from({ length: 40 }, (_, index) => 2 * (1 + (index % 3))).reduce((sum, count) => sum + count, 0);
        check(all.length === expectedCount, `stored ${String(all.length)} events, expected ${String(expectedCount)}`);
        check(new Set(all.map((event) => event.eventId)).size === all.length, 'no event is stored twice');
        await checkChainVerifies(store, streams);
      });
    });

    describe('fidelity', () => {
      it('events round-trip exactly: data, metadata, unicode, nested objects, large payloads', async () => {
        const store = await makeStore();
        const commandId = freshCommandId();
        const actors: readonly Actor[] = [userActor, { kind: 'bank', operatorId: 'operator-7' }, { kind: 'system' }];
        const events = [
          makeEvent(commandId, awkwardData(), 'Awkward', actors[0]),
          makeEvent(commandId, largeData(), 'Large', actors[0]),
          makeEvent(commandId, { ok: true }, 'Tiny', actors[0]),
        ];
        await value(store.append([{ streamId: 'fidelity-ü-🧾', expectedVersion: 'no-stream', events }]), 'append');
        for (const actor of actors) await value(store.append([{ streamId: `actor-${actor.kind}`, expectedVersion: 'no-stream', events: [makeEvent(freshCommandId(), {}, 'ActorKind', actor)] }]), 'append');
        const read = await readStream(store, 'fidelity-ü-🧾');
        check(read.length === events.length, `read ${String(read.length)} events, wrote ${String(events.length)}`);
        events.forEach((event, index) => {
          const stored = read[index] as StoredEvent;
          check(stored.eventId === event.eventId && stored.type === event.type && stored.schemaVersion === event.schemaVersion, `event ${String(index)}: id, type and schema version`);
          checkSame(stored.data, event.data, `event ${String(index)} data`);
          checkSame(stored.metadata, event.metadata, `event ${String(index)} metadata`);
        });
        for (const actor of actors) {
          const [stored] = await readStream(store, `actor-${actor.kind}`);
          checkSame(stored?.metadata.actor, actor, `the ${actor.kind} actor`);
        }
        const fromAll = (await readEverything(store)).filter((event) => event.streamId === 'fidelity-ü-🧾');
        checkSame(fromAll, read, 'readAll and readStream return the same events');
        await checkChainVerifies(store, ['fidelity-ü-🧾']);
      });

      it('what a writer or a reader does to its objects afterwards does not change the store', async () => {
        const store = await makeStore();
        const data = { amount: '10.00', lines: [{ payee: 'A' }] };
        const event = makeEvent(freshCommandId(), data);
        await value(store.append([{ streamId: 'immutable', expectedVersion: 'no-stream', events: [event] }]), 'append');
        data.amount = '99.00';
        (data.lines[0] as { payee: string }).payee = 'B';
        const [read] = await readStream(store, 'immutable');
        checkSame(read?.data, { amount: '10.00', lines: [{ payee: 'A' }] }, 'the stored data after the writer changed its object');
        try {
          (read?.data as { amount?: string }).amount = '77.00';
        } catch {
          // A store may hand out frozen events; refusing the change is as good as ignoring it.
        }
        const [again] = await readStream(store, 'immutable');
        checkSame(again?.data, { amount: '10.00', lines: [{ payee: 'A' }] }, 'the stored data after a reader changed its copy');
        await checkChainVerifies(store, ['immutable']);
      });

      it('hash chain: each prevHash is the previous hash of the stream, each hash verifies', async () => {
        const store = await makeStore();
        for (let round = 0; round < 5; round++) {
          const commandId = freshCommandId();
          await value(store.append([write('chain-a', 'any', 2, commandId), write('chain-b', 'any', round % 2, commandId)]), 'append');
        }
        for (const streamId of ['chain-a', 'chain-b']) {
          const stream = await readStream(store, streamId);
          stream.forEach((event, index) => {
            const expectedPrev = index === 0 ? GENESIS_HASH : (stream[index - 1] as StoredEvent).hash;
            check(event.prevHash === expectedPrev, `${streamId} version ${String(event.streamVersion)}: prevHash does not link to its predecessor`);
            check(event.hash === hashEvent(event), `${streamId} version ${String(event.streamVersion)}: hash does not verify`);
            check(/^[0-9a-f]{64}$/.test(event.hash), 'a hash is 64 lower-case hex digits');
          });
        }
        await checkChainVerifies(store, ['chain-a', 'chain-b']);
      });
    });
  });
};
