import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { right } from 'fp-ts/lib/Either.js';
import type { SdkError } from '../errors/sdk-error.js';

/**
 * The event ids a consumer has handled: its idempotency guard. A broker delivers at least once, so
 * the same event may arrive again (after a crash before the ack, or a relay resend); the consumer
 * skips ids it has seen. Keep it in the same transaction as the handler's own writes when you can.
 */
export interface SeenIds {
  readonly has: (eventId: string) => TaskEither<SdkError, boolean>;
  readonly add: (eventId: string) => TaskEither<SdkError, void>;
}

/** Seen ids in process memory: for tests and for handlers whose effects live in the same process. */
export const inMemorySeenIds = (): SeenIds & { readonly size: () => number } => {
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
