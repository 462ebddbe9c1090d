import { right } from 'fp-ts/lib/Either.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import type { SdkError } from '../errors/sdk-error.js';

/** A stream's folded state at a version, cached so a load need not fold from the first event. */
export interface Snapshot {
  readonly streamId: string;
  /** The fold that produced the state; a snapshot is used only by a fold of the same name and version. */
  readonly foldName: string;
  readonly foldVersion: number;
  /** The version of the last event folded into `state`. */
  readonly streamVersion: number;
  /** That event's hash: a load checks the stream still holds it before trusting the snapshot. */
  readonly hash: string;
  readonly state: unknown;
}

/**
 * Where snapshots are kept. Snapshots are a cache: when `get` fails the stream is folded from its
 * start, and a failed `put` is ignored. The in-memory default holds states by reference (folds
 * return new states, never change old ones).
 */
export interface SnapshotStore {
  /** The latest snapshot of a stream under a fold, if any. */
  readonly get: (streamId: string, foldName: string) => TaskEither<SdkError, Snapshot | undefined>;
  /** Replaces the snapshot of the same stream and fold. */
  readonly put: (snapshot: Snapshot) => TaskEither<SdkError, void>;
}

/** Snapshots in process memory, one per stream and fold. */
export const inMemorySnapshotStore = (): SnapshotStore => {
  const snapshots = new Map<string, Map<string, Snapshot>>();
  return {
    get: (streamId, foldName) => () => Promise.resolve(right(snapshots.get(streamId)?.get(foldName))),
    put: (snapshot) => () => {
      const byFold = snapshots.get(snapshot.streamId) ?? new Map<string, Snapshot>();
      byFold.set(snapshot.foldName, snapshot);
      snapshots.set(snapshot.streamId, byFold);
      return Promise.resolve(right(undefined));
    },
  };
};
