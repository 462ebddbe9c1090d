import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { SdkError } from '../../src/errors/sdk-error.js';
import type { NewEvent, StoredEvent } from '../../src/events/envelope.js';
import { GENESIS_HASH } from '../../src/events/envelope.js';
import { hashEvent } from '../../src/events/hash-chain.js';
import { verifyAll } from '../../src/store/verify-chain.js';
import type { AppendWrite, EventStore, ExpectedVersion } from '../../src/store/event-store.js';
import { inMemoryEventStore } from '../../src/store/in-memory-event-store.js';

/** What the store should hold: per stream the eventIds in order, globally the eventIds in order. */
interface Model {
  readonly streams: Map<string, string[]>;
  readonly global: { eventId: string; streamId: string }[];
  readonly commands: Map<string, string[]>;
  nextEvent: number;
  nextCommand: number;
}

interface Real {
  readonly store: EventStore;
}

const STREAMS = ['s0', 's1', 's2', 's3', 's4'] as const;

type Expectation = 'right' | 'stale' | 'ahead' | 'no-stream' | 'any';

interface WriteSpec {
  readonly stream: number;
  readonly expectation: Expectation;
  readonly count: number;
}

const versionOf = (model: Model, streamId: string): number => model.streams.get(streamId)?.length ?? 0;

const expectedFor = (model: Model, streamId: string, expectation: Expectation): ExpectedVersion => {
  const version = versionOf(model, streamId);
  switch (expectation) {
    case 'right':
      return version;
    case 'stale':
      return Math.max(0, version - 1);
    case 'ahead':
      return version + 1;
    case 'no-stream':
      return 'no-stream';
    case 'any':
      return 'any';
  }
};

const matches = (expected: ExpectedVersion, actual: number): boolean => expected === 'any' || (expected === 'no-stream' ? actual === 0 : expected === actual);

const run = async <A>(task: () => Promise<{ _tag: 'Left'; left: SdkError } | { _tag: 'Right'; right: A }>): Promise<A> => {
  const result = await task();
  if (result._tag === 'Left') throw new Error(result.left.message);
  return result.right;
};

class AppendCommand implements fc.AsyncCommand<Model, Real> {
  constructor(
    readonly specs: readonly WriteSpec[],
    readonly reuseCommand: boolean,
  ) {}

  check = (): boolean => true;

  async run(model: Model, real: Real): Promise<void> {
    // Writes name distinct streams (the store rejects a batch naming one twice: tested elsewhere).
    const seen = new Set<number>();
    const specs = this.specs.filter((spec) => !seen.has(spec.stream) && seen.add(spec.stream));
    const usedCommands = [...model.commands.keys()];
    const commandId =
      this.reuseCommand && usedCommands.length > 0 ? (usedCommands[model.nextCommand % usedCommands.length] as string) : `command-${String(model.nextCommand)}`;
    model.nextCommand++;
    const writes: AppendWrite[] = specs.map((spec) => {
      const streamId = STREAMS[spec.stream] as string;
      const events: NewEvent[] = Array.from({ length: spec.count }, () => {
        model.nextEvent++;
        return {
          eventId: `event-${String(model.nextEvent)}`,
          type: 'Happened',
          schemaVersion: 1,
          data: { n: model.nextEvent, streamId },
          metadata: { commandId, correlationId: commandId, causationId: commandId, actor: { kind: 'system' }, occurredAt: '2025-01-01T00:00:00.000Z' },
        };
      });
      return { streamId, expectedVersion: expectedFor(model, streamId, spec.expectation), events };
    });
    const totalEvents = writes.reduce((sum, write) => sum + write.events.length, 0);

    const result = await real.store.append(writes)();

    const duplicate = totalEvents > 0 && model.commands.has(commandId);
    const conflict = writes.find((write) => !matches(write.expectedVersion, versionOf(model, write.streamId)));
    if (duplicate) {
      expect(result._tag === 'Left' && result.left._tag).toBe('DuplicateCommand');
    } else if (conflict !== undefined) {
      expect(result._tag === 'Left' && result.left).toMatchObject({ _tag: 'ConcurrencyConflict', streamId: conflict.streamId, actual: versionOf(model, conflict.streamId) });
    } else {
      expect(result._tag).toBe('Right');
      const appended: string[] = [];
      for (const write of writes) {
        const stream = model.streams.get(write.streamId) ?? [];
        for (const event of write.events) {
          stream.push(event.eventId);
          model.global.push({ eventId: event.eventId, streamId: write.streamId });
          appended.push(event.eventId);
        }
        model.streams.set(write.streamId, stream);
      }
      if (totalEvents > 0) model.commands.set(commandId, appended);
      if (result._tag === 'Right') expect(result.right.events.map((event) => event.eventId)).toEqual(appended);
    }
    // Touched streams agree with the model after every append, successful or not.
    for (const write of writes) {
      const stored = await run(real.store.readStream(write.streamId));
      expect(stored.map((event) => event.eventId)).toEqual(model.streams.get(write.streamId) ?? []);
    }
  }

  toString = (): string => `append(${JSON.stringify(this.specs)}${this.reuseCommand ? ', reusing a commandId' : ''})`;
}

class CheckEverythingCommand implements fc.AsyncCommand<Model, Real> {
  check = (): boolean => true;

  async run(model: Model, real: Real): Promise<void> {
    const all: StoredEvent[] = [...(await run(real.store.readAll({ fromPosition: 0, limit: 1_000_000 })))];
    expect(all.map((event) => ({ eventId: event.eventId, streamId: event.streamId }))).toEqual(model.global);
    for (let index = 1; index < all.length; index++) expect(all[index]!.globalPosition).toBeGreaterThan(all[index - 1]!.globalPosition);
    for (const streamId of STREAMS) {
      const stream = await run(real.store.readStream(streamId));
      expect(stream.map((event) => event.eventId)).toEqual(model.streams.get(streamId) ?? []);
      stream.forEach((event, index) => {
        expect(event.streamVersion).toBe(index + 1);
        expect(event.prevHash).toBe(index === 0 ? GENESIS_HASH : stream[index - 1]!.hash);
        expect(event.hash).toBe(hashEvent(event));
      });
    }
    for (const [commandId, eventIds] of model.commands) {
      expect((await run(real.store.readCommand(commandId))).map((event) => event.eventId)).toEqual(eventIds);
    }
    expect(new Set(all.map((event) => event.eventId)).size).toBe(all.length);
    expect((await run(verifyAll(real.store, { pageSize: 5 }))).ok).toBe(true);
  }

  toString = (): string => 'checkEverything';
}

const writeSpec = fc.record({
  stream: fc.integer({ min: 0, max: STREAMS.length - 1 }),
  expectation: fc.constantFrom<Expectation>('right', 'right', 'right', 'stale', 'ahead', 'no-stream', 'any'),
  count: fc.integer({ min: 0, max: 3 }),
});

const commands = fc.commands(
  [
    fc.tuple(writeSpec, fc.integer({ min: 0, max: 4 })).map(([spec, reuse]) => new AppendCommand([spec], reuse === 0)),
    fc.tuple(fc.array(writeSpec, { minLength: 2, maxLength: 4 }), fc.integer({ min: 0, max: 9 })).map(([specs, reuse]) => new AppendCommand(specs, reuse === 0)),
    fc.constant(new CheckEverythingCommand()),
  ],
  { maxCommands: 30 },
);

describe('in-memory event store, model-based', () => {
  it('agrees with a model on every stream, the global order and every command, over random appends', async () => {
    await fc.assert(
      fc.asyncProperty(commands, async (generated) => {
        const model: Model = { streams: new Map(), global: [], commands: new Map(), nextEvent: 0, nextCommand: 0 };
        const real: Real = { store: inMemoryEventStore() };
        await fc.asyncModelRun(() => ({ model, real }), [...generated, new CheckEverythingCommand()]);
      }),
      { numRuns: 1000 },
    );
  });
});
