import type { JsMsg } from '@nats-io/jetstream';
import { expect } from 'vitest';
import type { StoredEvent } from '../../../src/events/envelope.js';
import { HEADERS } from '../../../src/relay/index.js';

/** Checks what the stream holds against the store: each event once, in global order, each stream in version order. */
export const expectPublishedOnceInOrder = (messages: readonly JsMsg[], events: readonly StoredEvent[]): void => {
  const ids = messages.map((message) => message.headers?.get('Nats-Msg-Id'));
  expect(ids).toHaveLength(events.length);
  expect(ids).toEqual(events.map((event) => event.eventId));
  const lastVersion = new Map<string, number>();
  for (const message of messages) {
    const streamId = message.headers?.get(HEADERS.streamId) ?? '';
    const version = Number(message.headers?.get(HEADERS.streamVersion));
    expect(version).toBe((lastVersion.get(streamId) ?? 0) + 1);
    lastVersion.set(streamId, version);
  }
};

