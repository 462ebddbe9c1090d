import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import type { SdkError } from '../errors/sdk-error.js';
import type { StoredEvent } from '../events/envelope.js';
import type { EventStore, ReadAllOptions } from './event-store.js';

/** One reader of the global log, page by page: where it asks next, and what it does with a page. */
export interface PageLoop<A> {
  /** The next page to read after `acc`, or `undefined` when the reader has read enough. */
  readonly next: (acc: A) => ReadAllOptions | undefined;
  /** What a page does to `acc` (a failure ends the loop with it). */
  readonly step: (acc: A, page: readonly StoredEvent[], asked: ReadAllOptions) => TaskEither<SdkError, A>;
}

/**
 * The one loop of every reader of the global log (catch-up projections, the relay, the shredder):
 * reads `readAll` from `loop.next(acc)`, hands the page to `loop.step`, and goes on until a page
 * comes back shorter than asked (caught up), `next` says enough, or a read or step fails.
 * Recursive over `TaskEither`, so each page waits for the one before and no stack grows.
 */
export const pageThrough =
  <A>(store: Pick<EventStore, 'readAll'>, loop: PageLoop<A>) =>
  (acc: A): TaskEither<SdkError, A> => {
    const asked = loop.next(acc);
    return asked === undefined
      ? TE.right(acc)
      : pipe(
          store.readAll(asked),
          TE.chain((page) =>
            pipe(
              loop.step(acc, page, asked),
              TE.chain((after) => (page.length < asked.limit ? TE.right(after) : pageThrough(store, loop)(after))),
            ),
          ),
        );
  };

/**
 * True when `committed` (a commit's own events, in order) are exactly the events at positions
 * `position + 1`, `position + 2`, …: a reader at `position` may then fold them without reading the
 * log, since nothing can lie between them or before them unread. Any gap (another instance's
 * append, a rolled-back position) answers false, and the reader reads as usual.
 */
export const followsOn = (position: number, committed: readonly StoredEvent[] | undefined): committed is readonly [StoredEvent, ...StoredEvent[]] =>
  committed !== undefined && committed.length > 0 && committed.every((event, index) => event.globalPosition === position + index + 1);
