import type { Either } from 'fp-ts/lib/Either.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import type { SdkError } from '../errors/sdk-error.js';
import type { JsonValue, StoredEvent } from '../events/envelope.js';

/**
 * A read model: a pure fold over the global event stream (`readAll`), so it can be kept up to
 * date incrementally and rebuilt from position 0 at any time.
 */
export interface Projection<State> {
  /** Unique among a host's projections: it keys the checkpoint. */
  readonly name: string;
  readonly initialState: State;
  /** Pure: returns the next state and never changes the one it is given (runners keep old states). */
  readonly evolve: (state: State, event: StoredEvent) => State;
  /** For durable runners: state <-> JSON, so a checkpoint can hold the state with its position. Default: the state is JSON already. */
  readonly serialize?: (state: State) => JsonValue;
  /** The inverse of `serialize`: reads a checkpoint's state back, or says why it cannot. */
  readonly deserialize?: (json: JsonValue) => Either<SdkError, State>;
}

/** How far a projection got (the global position of the last event folded) and its state there. */
export interface Checkpoint {
  readonly position: number;
  readonly state: JsonValue;
}

/** The outcome of {@link CheckpointStore.withOwnership}: the work's result, or that another instance owns the projection. */
export type Ownership<A> = { readonly owned: true; readonly result: A } | { readonly owned: false };

/**
 * Where durable runners keep their checkpoints. The in-memory default is for tests and the
 * embedded setup; the PostgreSQL adapter keeps them in a table, with an advisory lock for ownership.
 */
export interface CheckpointStore {
  /** The projection's last saved checkpoint, or undefined before its first save. */
  readonly load: (projection: string) => TaskEither<SdkError, Checkpoint | undefined>;
  /** Saves a position and the state folded up to it, together. */
  readonly save: (projection: string, checkpoint: Checkpoint) => TaskEither<SdkError, void>;
  /**
   * Runs `work` only if this instance owns the projection (exclusive across instances while
   * `work` runs), else answers `{ owned: false }` without running it. A `work` that rejects
   * becomes an `Infrastructure` error; ownership is released either way.
   */
  readonly withOwnership: <A>(projection: string, work: () => Promise<A>) => TaskEither<SdkError, Ownership<A>>;
}

/** Options of the catch-up runner. */
export interface RunProjectionOptions {
  /** Events read per `readAll` call, and so between two checkpoint saves (default 500). */
  readonly pageSize?: number;
  /** Stop after this many events even if more are there (default: run until caught up). */
  readonly maxEvents?: number;
  /** Ignore the checkpoint and fold from position 0 (after a projection's code changed). */
  readonly rebuild?: boolean;
}

/** What one catch-up run did. `owned: false`: another instance is running the projection. */
export type ProjectionRun<State> =
  | { readonly owned: true; readonly position: number; readonly eventsApplied: number; readonly state: State }
  | { readonly owned: false };
