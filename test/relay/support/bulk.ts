import { isLeft } from 'fp-ts/lib/Either.js';
import type { NewEvent, StoredEvent } from '../../../src/events/envelope.js';
import type { EventStore } from '../../../src/store/event-store.js';

const TYPES = ['OrderUploaded', 'OrderApproved', 'TokenAssignmentConfirmed', 'TokenLocked'] as const;

/**
 * `count` events over `streams` streams of two companies, appended straight to the store (not
 * through dispatch, which would take minutes for 100,000): a stream gets its events in rounds,
 * so that the global order interleaves streams.
 */
export const appendBulk = async (store: EventStore, count: number, streams = 50, perAppend = 50): Promise<void> => {
  const versions = new Map<string, number>();
  let made = 0;
  let round = 0;
  while (made < count) {
    const index = round % streams;
    const companyId = index % 2 === 0 ? 'acme' : 'globex.sa';
    const streamId = index % 3 === 0 ? `token-T${String(index)}` : `payment-order-${companyId}-o${String(index)}`;
    const version = versions.get(streamId) ?? 0;
    const size = Math.min(perAppend, count - made);
    const commandId = `bulk-${String(round)}`;
    const events: NewEvent[] = Array.from({ length: size }, (_, offset) => ({
      eventId: `${commandId}-${String(offset)}`,
      type: TYPES[(made + offset) % TYPES.length] ?? 'OrderUploaded',
      schemaVersion: 1,
      data: { companyId, n: made + offset },
      metadata: { commandId, correlationId: `corr-${String(round)}`, causationId: commandId, actor: { kind: 'user', companyId, userId: 'ana' }, occurredAt: '2026-12-03T10:00:00.000Z' },
    }));
    const appended = await store.append([{ streamId, expectedVersion: version === 0 ? 'no-stream' : version, events }])();
    if (isLeft(appended)) throw new Error(`bulk append failed: ${appended.left.message}`);
    versions.set(streamId, version + size);
    made += size;
    round++;
  }
};

/** Every event in the store, in global order. */
export const everyEvent = async (store: EventStore): Promise<StoredEvent[]> => {
  const all: StoredEvent[] = [];
  for (;;) {
    const page = await store.readAll({ fromPosition: all.at(-1)?.globalPosition ?? 0, limit: 5_000 })();
    if (isLeft(page)) throw new Error(page.left.message);
    if (page.right.length === 0) return all;
    all.push(...page.right);
  }
};
