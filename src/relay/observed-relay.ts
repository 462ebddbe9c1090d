import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { SdkError } from '../errors/sdk-error.js';
import type { Observability } from '../ports/instrumentation.js';
import { observabilityOf } from '../ports/instrumentation.js';
import { loggedError } from '../ports/logger.js';
import { eventsBehind, reportingLag } from '../projections/events-behind.js';
import type { CheckpointStore } from '../projections/projection.js';
import type { EventStore } from '../store/event-store.js';
import type { Publisher } from './publisher.js';
import type { RelayOptions, RelayRun } from './run-relay.js';
import { DEFAULT_NAME, runRelay } from './run-relay.js';

/**
 * {@link runRelay}, observed: after each run it owned, the relay's lag goes to the instrumentation
 * (committed events not yet published, 0 once caught up, else counted up to 1000 by one more
 * `readAll`; and `occurredAt` of the last event it published, for the age gauge); a failed run is
 * logged with its error's tag and code (and an infrastructure failure's message, which names the
 * broker or the store, never a payload). The run's answer is unchanged.
 */
export const observedRelay = (observability: Observability) => {
  const { instrumentation, logger } = observabilityOf(observability);
  return (store: EventStore, checkpoints: CheckpointStore, publisher: Publisher, options: RelayOptions = {}): TE.TaskEither<SdkError, RelayRun> => {
    const name = options.name ?? DEFAULT_NAME;
    let lastPublishedAt: string | undefined;
    const watched: Publisher = {
      publish: async (message) => {
        const ack = await publisher.publish(message);
        lastPublishedAt = message.event.metadata.occurredAt;
        return ack;
      },
    };
    return pipe(
      runRelay(store, checkpoints, watched, options),
      TE.tapError((error) =>
        TE.fromIO(() => {
          logger.error({ relay: name, error: loggedError(error) }, 'relay run failed');
        }),
      ),
      TE.tap((run) =>
        run.owned
          ? reportingLag(run.caughtUp ? TE.right(0) : eventsBehind(store, run.position), (behind) => {
              instrumentation.lag({ kind: 'relay', name, eventsBehind: behind, ...(lastPublishedAt === undefined ? {} : { lastPublishedAt }) });
            })
          : TE.right(false),
      ),
    );
  };
};
