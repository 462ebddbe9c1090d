import type { JsonObject, NewEvent } from '../../../src/events/envelope.js';
import type { AppendWrite, ExpectedVersion } from '../../../src/store/event-store.js';

let counter = 0;

/** A fresh id for commands, streams and events of one test. */
export const freshId = (prefix: string): string => `${prefix}-${(++counter).toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

/** An event of a command, with plausible metadata. */
export const newEvent = (commandId: string, data: JsonObject = {}, type = 'SomethingHappened'): NewEvent => ({
  eventId: freshId('event'),
  type,
  schemaVersion: 1,
  data,
  metadata: {
    commandId,
    correlationId: commandId,
    causationId: commandId,
    actor: { kind: 'user', companyId: 'acme', userId: 'ana' },
    occurredAt: '2025-03-01T09:30:00.000Z',
  },
});

/** A write of `count` events of one command to one stream. */
export const write = (streamId: string, expectedVersion: ExpectedVersion, commandId: string, count = 1): AppendWrite => ({
  streamId,
  expectedVersion,
  events: Array.from({ length: count }, (_, index) => newEvent(commandId, { index })),
});
