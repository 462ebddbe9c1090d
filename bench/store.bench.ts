/**
 * The kernel against Emmett 0.42's in-memory event store, on the same work in the same process:
 * - appending 10,000 and 100,000 events one at a time, to one stream and to 1,000 streams;
 * - folding a 1,000,000-event stream (our loader decodes and validates every event on the way);
 * - dispatch latency with snapshots, at a 100,000-event stream against a 10-event stream.
 * Prints a table of times and ratios. Absolute times mean little on a shared machine; ratios do.
 * `BENCH_SCALE=0.1 npm run bench -- store` runs a tenth of the work, to try the bench out.
 */
import { getInMemoryEventStore } from '@event-driven-io/emmett';
import { right } from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import type { CommandHandler } from '../src/commands/command-handler.js';
import type { StreamFold } from '../src/events/stream-fold.js';
import { commandEnvelopeCodec } from '../src/events/command-envelope.js';
import { createCommandRuntime } from '../src/commands/command-runtime.js';
import { streamLoader } from '../src/commands/stream-loader.js';
import type { EventMetadata, NewEvent } from '../src/events/envelope.js';
import { defineEvent, eventRegistry } from '../src/events/event-registry.js';
import { manualClock } from '../src/ports/clock.js';
import { seededRandom } from '../src/ports/random.js';
import type { EventStore } from '../src/store/event-store.js';
import { inMemoryEventStore } from '../src/store/in-memory-event-store.js';
import { inMemorySnapshotStore } from '../src/store/snapshot-store.js';

const scale = Number(process.env.BENCH_SCALE ?? '1');
const scaled = (count: number): number => Math.max(1, Math.round(count * scale));

const gc = (): void => {
  (globalThis as { gc?: () => void }).gc?.();
};

/** Wall-clock milliseconds of `work`, after a full collection so one run does not pay for the last. */
const timed = async (work: () => Promise<void>): Promise<number> => {
  gc();
  const start = performance.now();
  await work();
  return performance.now() - start;
};

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  return sorted.length % 2 === 1 ? (sorted[middle] as number) : ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
};

const ms = (value: number): string => (value >= 10_000 ? `${(value / 1000).toFixed(1)} s` : value >= 10 ? `${value.toFixed(0)} ms` : `${value.toFixed(2)} ms`);
const times = (value: number): string => `${value >= 100 ? value.toFixed(0) : value.toFixed(1)}x`;

interface Row {
  readonly work: string;
  readonly ours: string;
  readonly peer: string;
  readonly result: string;
  readonly target: string;
}
const rows: Row[] = [];
const report = (row: Row): void => {
  rows.push(row);
  console.log(`  ${row.work}: ours ${row.ours}, peer ${row.peer} -> ${row.result} (target ${row.target})`);
};

// ---------------------------------------------------------------------------------------------
// the events
// ---------------------------------------------------------------------------------------------

const operationConfirmed = defineEvent({ type: 'OperationConfirmed', codec: t.type({ operationId: t.string, step: t.number, drift: t.number }) });
const registry = eventRegistry([operationConfirmed]);

interface TokenUsage {
  readonly confirmed: number;
  readonly lastStep: number;
  readonly maxDrift: number;
  readonly lastOperation: string;
}
const initialUsage: TokenUsage = { confirmed: 0, lastStep: -1, maxDrift: 0, lastOperation: '' };
interface Confirmed {
  readonly data: { readonly operationId: string; readonly step: number; readonly drift: number };
}
/** The same evolve for both stores: what a token's fold does with each confirmed operation. */
const evolveUsage = (state: TokenUsage, event: Confirmed): TokenUsage => ({
  confirmed: state.confirmed + 1,
  lastStep: Math.max(state.lastStep, event.data.step),
  maxDrift: Math.max(state.maxDrift, Math.abs(event.data.drift)),
  lastOperation: event.data.operationId,
});

const payload = (index: number) => ({ operationId: `op-${String(index)}`, step: 58_000_000 + index, drift: (index % 3) - 1 });

const metadataFor = (commandId: string): EventMetadata => ({
  commandId,
  correlationId: commandId,
  causationId: commandId,
  actor: { kind: 'user', companyId: 'acme', userId: 'ana' },
  occurredAt: '2025-03-01T12:00:00.000Z',
});

/** One command per event, prepared before the clock starts (ids included). */
const ourCommands = (count: number, streams: number, tag: string): { streamId: string; event: NewEvent }[] =>
  Array.from({ length: count }, (_, index) => ({
    streamId: `token-${String(index % streams)}`,
    event: { eventId: `${tag}-${String(index)}`, type: 'OperationConfirmed', schemaVersion: 1, data: payload(index), metadata: metadataFor(`${tag}-c-${String(index)}`) },
  }));

const emmettCommands = (count: number, streams: number) =>
  Array.from({ length: count }, (_, index) => ({ streamName: `token-${String(index % streams)}`, event: { type: 'OperationConfirmed', data: payload(index) } }));

// ---------------------------------------------------------------------------------------------
// 1. appends, one event per call
// ---------------------------------------------------------------------------------------------

const appendOurs = async (count: number, streams: number): Promise<number> => {
  const store = inMemoryEventStore();
  const commands = ourCommands(count, streams, `a${String(count)}-${String(streams)}`);
  const versions = new Map<string, number>();
  return timed(async () => {
    for (const { streamId, event } of commands) {
      const expectedVersion = versions.get(streamId) ?? 0;
      const result = await store.append([{ streamId, expectedVersion, events: [event] }])();
      if (result._tag === 'Left') throw new Error(result.left.message);
      versions.set(streamId, expectedVersion + 1);
    }
  });
};

const appendEmmett = async (count: number, streams: number): Promise<number> => {
  const store = getInMemoryEventStore();
  const commands = emmettCommands(count, streams);
  const versions = new Map<string, bigint>();
  return timed(async () => {
    for (const { streamName, event } of commands) {
      const expected = versions.get(streamName);
      const result = await store.appendToStream(streamName, [event], expected === undefined ? {} : { expectedStreamVersion: expected });
      versions.set(streamName, result.nextExpectedStreamVersion);
    }
  });
};

const appends = async (): Promise<void> => {
  const small = scaled(10_000);
  const large = scaled(100_000);
  for (const streams of [1, 1_000]) {
    const where = streams === 1 ? 'one stream' : `${String(streams)} streams`;
    console.log(`appending to ${where}…`);
    const ours10 = await appendOurs(small, streams);
    const peer10 = await appendEmmett(small, streams);
    const ours100 = await appendOurs(large, streams);
    const peer100 = await appendEmmett(large, streams);
    report({ work: `append ${small.toLocaleString('en')} events one at a time, ${where}`, ours: ms(ours10), peer: ms(peer10), result: `${times(peer10 / ours10)} faster`, target: '-' });
    report({
      work: `append ${large.toLocaleString('en')} events one at a time, ${where}`,
      ours: ms(ours100),
      peer: ms(peer100),
      result: `${times(peer100 / ours100)} faster`,
      target: streams === 1 ? '>= 50x (peer copies the stream per append)' : 'reported (peer pays O(streams) per event, no copy)',
    });
    report({
      work: `  growth ${large.toLocaleString('en')} vs ${small.toLocaleString('en')}, ${where}`,
      ours: times(ours100 / ours10),
      peer: times(peer100 / peer10),
      result: ours100 / ours10 <= 15 ? 'linear' : 'NOT linear',
      target: '<= 15x (ours)',
    });
  }
};

// ---------------------------------------------------------------------------------------------
// 2. folding 1,000,000 events
// ---------------------------------------------------------------------------------------------

const folds = async (): Promise<void> => {
  const count = scaled(1_000_000);
  console.log(`building two ${count.toLocaleString('en')}-event streams…`);
  const ours = inMemoryEventStore();
  const batch = 1_000;
  for (let start = 0; start < count; start += batch) {
    const metadata = metadataFor(`fold-${String(start)}`);
    const events: NewEvent[] = [];
    for (let index = start; index < Math.min(count, start + batch); index++) {
      events.push({ eventId: `fold-${String(index)}`, type: 'OperationConfirmed', schemaVersion: 1, data: payload(index), metadata });
    }
    const result = await ours.append([{ streamId: 'token-long', expectedVersion: 'any', events }])();
    if (result._tag === 'Left') throw new Error(result.left.message);
  }
  const peer = getInMemoryEventStore();
  const peerBatch = 100_000;
  for (let start = 0; start < count; start += peerBatch) {
    const events = [];
    for (let index = start; index < Math.min(count, start + peerBatch); index++) events.push({ type: 'OperationConfirmed', data: payload(index) });
    await peer.appendToStream('token-long', events);
  }

  const load = streamLoader(ours, registry);
  const fold: StreamFold<TokenUsage, Confirmed> = { name: 'usage', initialState: initialUsage, evolve: evolveUsage };
  const oursTimes: number[] = [];
  const peerTimes: number[] = [];
  console.log('folding…');
  for (let round = 0; round < 7; round++) {
    let ourState: TokenUsage | undefined;
    let peerState: TokenUsage | undefined;
    oursTimes.push(
      await timed(async () => {
        const loaded = await load('token-long', fold)();
        if (loaded._tag === 'Left') throw new Error(loaded.left.message);
        ourState = loaded.right.state;
      }),
    );
    peerTimes.push(
      await timed(async () => {
        peerState = (await peer.aggregateStream<TokenUsage, { type: 'OperationConfirmed'; data: Confirmed['data'] }>('token-long', { evolve: evolveUsage, initialState: () => initialUsage }))
          .state;
      }),
    );
    if (ourState?.confirmed !== count || JSON.stringify(ourState) !== JSON.stringify(peerState)) throw new Error('the two folds disagree');
  }
  const ourMedian = median(oursTimes);
  const peerMedian = median(peerTimes);
  report({
    work: `fold ${count.toLocaleString('en')} events (median of 7; ours decodes every event)`,
    ours: ms(ourMedian),
    peer: ms(peerMedian),
    result: `${times(peerMedian / ourMedian)} of peer speed`,
    target: '>= 1.0x',
  });
};

// ---------------------------------------------------------------------------------------------
// 3. dispatch latency with snapshots
// ---------------------------------------------------------------------------------------------

const confirmCodec = t.intersection([commandEnvelopeCodec, t.type({ type: t.literal('ConfirmOperation'), serial: t.string, operationId: t.string })]);
const usageFold: StreamFold<TokenUsage, Confirmed> = { name: 'usage', initialState: initialUsage, evolve: evolveUsage };
const confirmHandler: CommandHandler<t.TypeOf<typeof confirmCodec>, number> = {
  type: 'ConfirmOperation',
  codec: confirmCodec,
  handle: (command, context) =>
    pipe(
      context.load(`token-${command.serial}`, usageFold),
      TE.map(({ state, version }) => ({
        writes: [
          {
            streamId: `token-${command.serial}`,
            expectedVersion: version,
            events: [{ type: 'OperationConfirmed', data: { operationId: command.operationId, step: state.lastStep + 1, drift: 0 } }],
          },
        ],
        output: state.confirmed + 1,
      })),
    ),
  outcomeOf: (events) => right(events.length),
};

const fillStream = async (store: EventStore, streamId: string, count: number): Promise<void> => {
  for (let start = 0; start < count; start += 1_000) {
    const metadata = metadataFor(`fill-${streamId}-${String(start)}`);
    const events: NewEvent[] = [];
    for (let index = start; index < Math.min(count, start + 1_000); index++) {
      events.push({ eventId: `fill-${streamId}-${String(index)}`, type: 'OperationConfirmed', schemaVersion: 1, data: payload(index), metadata });
    }
    const result = await store.append([{ streamId, expectedVersion: 'any', events }])();
    if (result._tag === 'Left') throw new Error(result.left.message);
  }
};

const dispatchLatency = async (): Promise<void> => {
  const longLength = scaled(100_000);
  console.log(`dispatching to a 10-event and a ${longLength.toLocaleString('en')}-event stream…`);
  const store = inMemoryEventStore();
  await fillStream(store, 'token-short', 10);
  await fillStream(store, 'token-long', longLength);
  const clock = manualClock(Date.UTC(2025, 2, 1));
  const runtime = createCommandRuntime({
    store,
    handlers: [confirmHandler],
    eventRegistry: registry,
    clock,
    random: seededRandom(1),
    snapshots: { store: inMemorySnapshotStore(), every: 100 },
  });
  const dispatch = async (serial: string, index: number): Promise<number> => {
    clock.advance(1);
    const start = performance.now();
    const result = await runtime.dispatch({ type: 'ConfirmOperation', commandId: `${serial}-${String(index)}`, actor: { kind: 'user', companyId: 'acme', userId: 'ana' }, serial, operationId: `op-${String(index)}` })();
    const elapsed = performance.now() - start;
    if (result._tag === 'Left') throw new Error(result.left.message);
    return elapsed;
  };
  // The first load of each stream folds it whole and leaves a snapshot; what is measured is the steady state.
  const firstLong = await dispatch('long', -1);
  await dispatch('short', -1);
  const short: number[] = [];
  const long: number[] = [];
  for (let index = 0; index < 500; index++) {
    short.push(await dispatch('short', index));
    long.push(await dispatch('long', index));
  }
  const shortMedian = median(short);
  const longMedian = median(long);
  report({
    work: `dispatch, median of 500 (snapshots every 100): ${longLength.toLocaleString('en')}-event vs 10-event stream`,
    ours: `${ms(longMedian)} vs ${ms(shortMedian)} (first load of the long stream: ${ms(firstLong)})`,
    peer: '-',
    result: `${times(longMedian / shortMedian)} of the short stream's latency`,
    target: '<= 2x',
  });
};

// ---------------------------------------------------------------------------------------------

const main = async (): Promise<void> => {
  console.log(`store benchmark: softtoken-sdk kernel vs @event-driven-io/emmett 0.42 (in-memory), scale ${String(scale)}\n`);
  await appends();
  await folds();
  await dispatchLatency();
  const header: Row = { work: 'work', ours: 'softtoken-sdk', peer: 'emmett 0.42', result: 'result', target: 'target' };
  const all = [header, ...rows];
  const width = (key: keyof Row): number => Math.max(...all.map((row) => row[key].length));
  const line = (row: Row): string => `| ${(['work', 'ours', 'peer', 'result', 'target'] as const).map((key) => row[key].padEnd(width(key))).join(' | ')} |`;
  console.log(`\n${line(header)}`);
  console.log(`|${(['work', 'ours', 'peer', 'result', 'target'] as const).map((key) => '-'.repeat(width(key) + 2)).join('|')}|`);
  for (const row of rows) console.log(line(row));
};

await main();
