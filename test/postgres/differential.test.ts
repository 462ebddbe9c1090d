import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Either } from 'fp-ts/lib/Either.js';
import type { SdkError } from '../../src/errors/sdk-error.js';
import type { EventStore, ExpectedVersion } from '../../src/store/event-store.js';
import { inMemoryEventStore } from '../../src/store/in-memory-event-store.js';
import { freshStore, openTestDatabase } from './support/database.js';
import type { TestDatabase } from './support/database.js';
import { newEvent } from './support/events.js';

let db: TestDatabase;
beforeAll(async () => {
  db = await openTestDatabase();
});
afterAll(async () => {
  await db.close();
});

type Expectation = 'exact' | 'stale' | 'ahead' | 'no-stream' | 'any';

interface Step {
  readonly writes: readonly { readonly stream: number; readonly expectation: Expectation; readonly count: number }[];
  /** Reuse an earlier command's id (a retried or replayed command). */
  readonly reuse: number | null;
}

const step: fc.Arbitrary<Step> = fc.record({
  writes: fc.uniqueArray(
    fc.record({ stream: fc.nat(4), expectation: fc.constantFrom<Expectation>('exact', 'exact', 'exact', 'stale', 'ahead', 'no-stream', 'any'), count: fc.nat(3) }),
    { minLength: 1, maxLength: 3, selector: (write) => write.stream },
  ),
  reuse: fc.option(fc.nat(20), { freq: 5 }),
});

/** The outcome as a user would compare it: the error's tag and fields, or the stored events as JSON. */
const outcome = (result: Either<SdkError, unknown>): unknown => JSON.parse(JSON.stringify(result._tag === 'Left' ? { error: result.left } : { ok: result.right })) as unknown;

const conflicts = (expected: ExpectedVersion, version: number): boolean =>
  expected === 'any' ? false : expected === 'no-stream' ? version !== 0 : expected !== version;

describe('postgresEventStore against the in-memory store', () => {
  it('gives the same answers and stores the same bytes for any sequence of appends, conflicts and replays', async () => {
    await fc.assert(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        const model: EventStore = inMemoryEventStore();
        const postgres = await freshStore(db);
        const commands: string[] = [];
        const versions = new Map<string, number>();
        for (const [index, { writes, reuse }] of steps.entries()) {
          const commandId = reuse !== null && commands.length > 0 ? (commands[reuse % commands.length] as string) : `command-${String(index)}`;
          commands.push(commandId);
          const batch = [];
          for (const { stream, expectation, count } of writes) {
            const streamId = `stream-${String(stream)}`;
            const current = await model.readStream(streamId)();
            const version = current._tag === 'Right' ? current.right.length : 0;
            const expectedVersion: ExpectedVersion =
              expectation === 'exact' ? version : expectation === 'stale' ? Math.max(0, version - 1) : expectation === 'ahead' ? version + 1 : expectation;
            batch.push({
              streamId,
              expectedVersion,
              events: Array.from({ length: count }, (_, event) => ({ ...newEvent(commandId, { step: index, event }), eventId: `event-${String(index)}-${streamId}-${String(event)}` })),
            });
          }
          const expected = await model.append(batch)();
          const actual = await postgres.append(batch)();
          if (expected._tag === 'Left' && expected.left._tag === 'ConcurrencyConflict' && actual._tag === 'Left' && actual.left._tag === 'ConcurrencyConflict') {
            // When several streams of one append conflict, the port does not say which one is
            // reported: each store names one of them, with that stream's real version.
            const conflicting = batch.filter((write) => conflicts(write.expectedVersion, versions.get(write.streamId) ?? 0));
            expect(conflicting.map((write) => write.streamId)).toContain(actual.left.streamId);
            expect(actual.left.actual).toBe(versions.get(actual.left.streamId) ?? 0);
          } else {
            expect(outcome(actual)).toEqual(outcome(expected));
          }
          if (expected._tag === 'Right') for (const [streamId, version] of Object.entries(expected.right.streamVersions)) versions.set(streamId, version);
        }
        const everything = { fromPosition: 0, limit: 1000 };
        expect(outcome(await postgres.readAll(everything)())).toEqual(outcome(await model.readAll(everything)()));
        for (const commandId of commands) expect(outcome(await postgres.readCommand(commandId)())).toEqual(outcome(await model.readCommand(commandId)()));
      }),
      { numRuns: db.kind === 'postgres' ? 80 : 30 },
    );
  });
});
