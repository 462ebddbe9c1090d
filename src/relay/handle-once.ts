import type { Either } from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
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
export const handleOnce = (seen: SeenIds, event: StoredEvent, handler: (event: StoredEvent) => Promise<void>): Promise<Either<SdkError, Handled>> =>
  pipe(
    seen.has(event.eventId),
    TE.chain((known) =>
      known
        ? TE.right<SdkError, Handled>('already-handled')
        : pipe(
            TE.tryCatch(() => handler(event), infrastructureFrom(`handler of event ${event.eventId}`)),
            TE.chain(() => seen.add(event.eventId)),
            TE.map((): Handled => 'handled'),
          ),
    ),
  )();
