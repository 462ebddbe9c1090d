import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { describeThrown, infrastructure } from '../errors/sdk-error.js';
import type { SdkError } from '../errors/sdk-error.js';
import type { JsonValue, StoredEvent } from '../events/envelope.js';
import type { EventStore } from '../store/event-store.js';
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
      return left(projectionFailure(projection.name, event, cause));
    }
  }
  return right(current);
};

const stateFrom = <State>(projection: Projection<State>, json: JsonValue): Either<SdkError, State> =>
  projection.deserialize === undefined ? right(json as unknown as State) : projection.deserialize(json);

const jsonOf = <State>(projection: Projection<State>, state: State): JsonValue =>
  projection.serialize === undefined ? (state as unknown as JsonValue) : projection.serialize(state);

interface Progress<State> {
  readonly position: number;
  readonly eventsApplied: number;
  readonly state: State;
}

const catchUp = async <State>(store: EventStore, checkpoints: CheckpointStore, projection: Projection<State>, options: RunProjectionOptions): Promise<Either<SdkError, Progress<State>>> => {
  const pageSize = Math.max(1, Math.floor(options.pageSize ?? DEFAULT_PAGE_SIZE));
  const maxEvents = options.maxEvents ?? Number.POSITIVE_INFINITY;
  let position = 0;
  let state = projection.initialState;
  if (options.rebuild !== true) {
    const checkpoint = await checkpoints.load(projection.name)();
    if (isLeft(checkpoint)) return checkpoint;
    if (checkpoint.right !== undefined) {
      const restored = stateFrom(projection, checkpoint.right.state);
      if (isLeft(restored)) return restored;
      state = restored.right;
      position = checkpoint.right.position;
    }
  }
  let applied = 0;
  while (applied < maxEvents) {
    const limit = Math.min(pageSize, maxEvents - applied);
    const page = await store.readAll({ fromPosition: position, limit })();
    if (isLeft(page)) return page;
    if (page.right.length === 0) break;
    const folded = foldEvents(projection, state, page.right);
    if (isLeft(folded)) return folded;
    state = folded.right;
    position = (page.right[page.right.length - 1] as StoredEvent).globalPosition;
    applied += page.right.length;
    const saved = await checkpoints.save(projection.name, { position, state: jsonOf(projection, state) })();
    if (isLeft(saved)) return saved;
    if (page.right.length < limit) break;
  }
  return right({ position, eventsApplied: applied, state });
};

/**
 * The catch-up runner for durable stores: resumes from the projection's checkpoint, reads
 * `readAll` in pages, folds, and saves state and position after every page. Call it again to
 * poll for new events; it does nothing (`owned: false`) while another instance runs the same
 * projection. `rebuild: true` folds from position 0 and overwrites the checkpoint.
 */
export const runProjection =
  <State>(store: EventStore, checkpoints: CheckpointStore, projection: Projection<State>, options: RunProjectionOptions = {}): TaskEither<SdkError, ProjectionRun<State>> =>
  async () => {
    const run = await checkpoints.withOwnership(projection.name, () => catchUp(store, checkpoints, projection, options))();
    if (isLeft(run)) return run;
    if (!run.right.owned) return right({ owned: false });
    const progress = run.right.result;
    return isLeft(progress) ? progress : right({ owned: true, ...progress.right });
  };
