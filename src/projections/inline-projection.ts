import { left } from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { Either } from 'fp-ts/lib/Either.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { infrastructureFrom } from '../errors/sdk-error.js';
import type { SdkError } from '../errors/sdk-error.js';
import type { StoredEvent } from '../events/envelope.js';
import type { EventStore } from '../store/event-store.js';
import { followsOn, pageThrough } from '../store/page-through.js';
import type { Projection } from './projection.js';
import { projectionFailure } from './run-projection.js';

/**
 * A projection kept in memory and brought up to date right after each commit (pass it in the
 * command runtime's `projections`): what the in-memory default uses, so views are current as
 * soon as `dispatch` returns.
 */
export interface InlineProjection<State> {
  readonly name: string;
  /** The state as of `position()`. */
  readonly state: () => State;
  /** The global position of the last event folded (0 before any). */
  readonly position: () => number;
  /**
   * Folds every event committed since the last run; runs one at a time, in order. Given the
   * events of the commit that calls it, and when they follow on from its position, it folds them
   * without reading the log (no round trip on a durable store).
   */
  readonly catchUp: (committed?: readonly StoredEvent[]) => TaskEither<SdkError, State>;
  /** Starts again from the initial state and position 0. */
  readonly rebuild: () => TaskEither<SdkError, State>;
}

/** Keeps `projection` in memory over `store`. On a failing `evolve` it stays at the last event that folded. */
export const inlineProjection = <State>(store: EventStore, projection: Projection<State>, options: { readonly pageSize?: number } = {}): InlineProjection<State> => {
  const pageSize = Math.max(1, Math.floor(options.pageSize ?? 1000));
  let state = projection.initialState;
  let position = 0;
  // Runs are chained, so two commits finishing together never fold an event twice.
  let queue: Promise<unknown> = Promise.resolve();

  // Folds event by event, so a failing `evolve` leaves the state at the last event that folded.
  const foldPage = (_: State, page: readonly StoredEvent[]): TaskEither<SdkError, State> => {
    for (const event of page) {
      try {
        state = projection.evolve(state, event);
      } catch (cause) {
        return TE.left(projectionFailure(projection.name, event, cause));
      }
      position = event.globalPosition;
    }
    return TE.right(state);
  };

  const advance = (): Promise<Either<SdkError, State>> => pageThrough(store, { next: () => ({ fromPosition: position, limit: pageSize }), step: foldPage })(state)();

  const enqueue =
    (work: () => Promise<Either<SdkError, State>>): TaskEither<SdkError, State> =>
    () => {
      const run = queue.then(work).catch((cause: unknown) => left(infrastructureFrom(`projection ${projection.name}`)(cause)));
      queue = run;
      return run;
    };

  return {
    name: projection.name,
    state: () => state,
    position: () => position,
    catchUp: (committed) => enqueue(() => (followsOn(position, committed) ? foldPage(state, committed)() : advance())),
    rebuild: () =>
      enqueue(() => {
        state = projection.initialState;
        position = 0;
        return advance();
      }),
  };
};
