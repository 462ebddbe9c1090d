import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import { infrastructureFrom } from '../errors/sdk-error.js';
import type { SdkError } from '../errors/sdk-error.js';
import type { StoredEvent } from '../events/envelope.js';
import type { SeenIds } from './seen-ids.js';

/** What {@link handleOnce} did with one delivery. */
export type Handled = 'handled' | 'already-handled';

/**
 * Hands an event to the host's handler unless its id was seen, then records the id. A handler
 * that fails leaves the id unrecorded, so the redelivery tries again; a crash between the handler
 * and the record lets it run twice, which only a `seen` written in the handler's own transaction
 * closes.
 */
export const handleOnce = async (seen: SeenIds, event: StoredEvent, handler: (event: StoredEvent) => Promise<void>): Promise<Either<SdkError, Handled>> => {
  const known = await seen.has(event.eventId)();
  if (isLeft(known)) return known;
  if (known.right) return right('already-handled');
  try {
    await handler(event);
  } catch (cause) {
    return left(infrastructureFrom(`handler of event ${event.eventId}`)(cause));
  }
  const added = await seen.add(event.eventId)();
  return isLeft(added) ? added : right('handled');
};
