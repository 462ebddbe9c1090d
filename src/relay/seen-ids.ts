import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { right } from 'fp-ts/lib/Either.js';
import type { SdkError } from '../errors/sdk-error.js';

/**
 * The event ids a consumer has handled: its idempotency guard. A broker delivers at least once, so
 * the same event may arrive again (after a crash before the ack, or a relay resend); the consumer
 * skips ids it has seen. Keep it in the same transaction as the handler's own writes when you can.
 */
export interface SeenIds {
  /** Whether the event id was handled. */
  readonly has: (eventId: string) => TaskEither<SdkError, boolean>;
  /** Records the event id as handled, after its handler succeeded. */
  readonly add: (eventId: string) => TaskEither<SdkError, void>;
}

/** {@link SeenIds} in memory, with a count for tests. */
export interface InMemorySeenIds extends SeenIds {
  /** How many ids were recorded. */
  readonly size: () => number;
}

/** Seen ids in process memory: for tests and for handlers whose effects live in the same process. */
export const inMemorySeenIds = (): InMemorySeenIds => {
  const seen = new Set<string>();
  return {
    has: (eventId) => () => Promise.resolve(right(seen.has(eventId))),
    add: (eventId) => () => {
      seen.add(eventId);
      return Promise.resolve(right(undefined));
    },
    size: () => seen.size,
  };
};
