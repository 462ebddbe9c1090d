import * as E from 'fp-ts/lib/Either.js';
import * as T from 'fp-ts/lib/Task.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { SdkError } from '../errors/sdk-error.js';
import type { EventStore } from '../store/event-store.js';

/** Lag is counted up to this many events: past it a reader is simply far behind, and counting more would cost a reader's worth of reads. */
export const LAG_COUNT_LIMIT = 1000;

/** Committed events after `position`, counted by one `readAll`, up to {@link LAG_COUNT_LIMIT}. */
export const eventsBehind = (store: EventStore, position: number): TE.TaskEither<SdkError, number> =>
  pipe(
    store.readAll({ fromPosition: position, limit: LAG_COUNT_LIMIT }),
    TE.map((events) => events.length),
  );

/**
 * Hands a count of events behind to `report`; never fails: a lag that could not be counted is not
 * the failure of the run it follows. Answers whether it reported.
 */
export const reportingLag = (count: TE.TaskEither<SdkError, number>, report: (eventsBehind: number) => void): TE.TaskEither<never, boolean> =>
  pipe(
    count,
    T.map(
      E.fold(
        () => false,
        (behind) => {
          report(behind);
          return true;
        },
      ),
    ),
    TE.fromTask,
  );
