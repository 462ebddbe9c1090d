import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { describeThrown, infrastructure } from '../errors/sdk-error.js';
import type { SdkError } from '../errors/sdk-error.js';
import type { JsonValue, StoredEvent } from '../events/envelope.js';
import type { EventStore } from '../store/event-store.js';
import { pageThrough } from '../store/page-through.js';
import type { CheckpointStore, Projection, ProjectionRun, RunProjectionOptions } from './projection.js';

const DEFAULT_PAGE_SIZE = 500;

/** A throwing `evolve` is a bug in the projection: reported with the event it failed on. */
export const projectionFailure = (name: string, event: StoredEvent, cause: unknown): SdkError =>
  infrastructure(`projection ${name} failed at global position ${String(event.globalPosition)}: ${describeThrown(cause)}`);

/** Folds events into a state, or the failure of the first event `evolve` throws on. */
export const foldEvents = <State>(projection: Projection<State>, state: State, events: readonly StoredEvent[]): Either<SdkError, State> => {
  let current = state;
  for (const event of events) {
    try {
      current = projection.evolve(current, event);
    } catch (cause) {
      return E.left(projectionFailure(projection.name, event, cause));
    }
  }
  return E.right(current);
};

const stateFrom = <State>(projection: Projection<State>, json: JsonValue): Either<SdkError, State> =>
  projection.deserialize === undefined ? E.right(json as unknown as State) : projection.deserialize(json);

const jsonOf = <State>(projection: Projection<State>, state: State): JsonValue =>
  projection.serialize === undefined ? (state as unknown as JsonValue) : projection.serialize(state);

interface Progress<State> {
  readonly position: number;
  readonly eventsApplied: number;
  readonly state: State;
}

const startOf = <State>(checkpoints: CheckpointStore, projection: Projection<State>, options: RunProjectionOptions): TaskEither<SdkError, Progress<State>> =>
  options.rebuild === true
    ? TE.right({ position: 0, eventsApplied: 0, state: projection.initialState })
    : pipe(
        checkpoints.load(projection.name),
        TE.chainEitherK((checkpoint) =>
          checkpoint === undefined
            ? E.right({ position: 0, eventsApplied: 0, state: projection.initialState })
            : E.map((state: State) => ({ position: checkpoint.position, eventsApplied: 0, state }))(stateFrom(projection, checkpoint.state)),
        ),
      );

const catchUp = <State>(store: EventStore, checkpoints: CheckpointStore, projection: Projection<State>, options: RunProjectionOptions): TaskEither<SdkError, Progress<State>> => {
  const pageSize = Math.max(1, Math.floor(options.pageSize ?? DEFAULT_PAGE_SIZE));
  const maxEvents = options.maxEvents ?? Number.POSITIVE_INFINITY;
  const foldPage = (progress: Progress<State>, page: readonly StoredEvent[]): TaskEither<SdkError, Progress<State>> =>
    page.length === 0
      ? TE.right(progress)
      : pipe(
          TE.fromEither(foldEvents(projection, progress.state, page)),
          TE.map((state) => ({ state, position: (page[page.length - 1] as StoredEvent).globalPosition, eventsApplied: progress.eventsApplied + page.length })),
          TE.chainFirst(({ position, state }) => checkpoints.save(projection.name, { position, state: jsonOf(projection, state) })),
        );
  return pipe(
    startOf(checkpoints, projection, options),
    TE.chain(
      pageThrough(store, {
        next: ({ position, eventsApplied }) => (eventsApplied < maxEvents ? { fromPosition: position, limit: Math.min(pageSize, maxEvents - eventsApplied) } : undefined),
        step: foldPage,
      }),
    ),
  );
};

/**
 * The catch-up runner for durable stores: resumes from the projection's checkpoint, reads
 * `readAll` in pages, folds, and saves state and position after every page. Call it again to
 * poll for new events; it does nothing (`owned: false`) while another instance runs the same
 * projection. `rebuild: true` folds from position 0 and overwrites the checkpoint.
 */
export const runProjection = <State>(store: EventStore, checkpoints: CheckpointStore, projection: Projection<State>, options: RunProjectionOptions = {}): TaskEither<SdkError, ProjectionRun<State>> =>
  pipe(
    checkpoints.withOwnership(projection.name, catchUp(store, checkpoints, projection, options)),
    TE.chainEitherK((run): E.Either<SdkError, ProjectionRun<State>> => (run.owned ? E.map((progress: Progress<State>) => ({ owned: true as const, ...progress }))(run.result) : E.right({ owned: false }))),
  );
