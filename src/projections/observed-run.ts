import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { SdkError } from '../errors/sdk-error.js';
import type { Observability } from '../ports/instrumentation.js';
import { observabilityOf } from '../ports/instrumentation.js';
import { loggedError } from '../ports/logger.js';
import type { EventStore } from '../store/event-store.js';
import { eventsBehind, reportingLag } from './events-behind.js';
import type { CheckpointStore, Projection, ProjectionRun, RunProjectionOptions } from './projection.js';
import { runProjection } from './run-projection.js';

/**
 * {@link runProjection}, observed: after each run it owned, the projection's lag (committed events
 * it has not folded, counted up to 1000 by one more `readAll`) goes to the instrumentation; a failed
 * run is logged with its error's tag and code. The run's answer is unchanged.
 */
export const observedProjectionRunner = (observability: Observability) => {
  const { instrumentation, logger } = observabilityOf(observability);
  return <State>(store: EventStore, checkpoints: CheckpointStore, projection: Projection<State>, options: RunProjectionOptions = {}): TE.TaskEither<SdkError, ProjectionRun<State>> =>
    pipe(
      runProjection(store, checkpoints, projection, options),
      TE.tapError((error) =>
        TE.fromIO(() => {
          logger.error({ projection: projection.name, error: loggedError(error) }, 'projection run failed');
        }),
      ),
      TE.tap((run) =>
        run.owned
          ? reportingLag(eventsBehind(store, run.position), (behind) => {
              instrumentation.lag({ kind: 'projection', name: projection.name, eventsBehind: behind });
            })
          : TE.right(false),
      ),
    );
};
