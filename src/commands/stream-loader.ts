import type { Either } from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import type { DomainEvent } from '../events/decider.js';
import { infrastructureFrom } from '../errors/sdk-error.js';
import type { SdkError } from '../errors/sdk-error.js';
import type { StoredEvent } from '../events/envelope.js';
import type { EventRegistry } from '../events/event-registry.js';
import type { EventStore } from '../store/event-store.js';
import type { Snapshot, SnapshotStore } from '../store/snapshot-store.js';
import type { LoadedStream } from './command-handler.js';
import type { StreamFold } from '../events/stream-fold.js';

/** When to take snapshots: after a load that folded at least `every` events past the last one. */
export interface SnapshotPolicy {
  readonly store: SnapshotStore;
  /** Default 100. */
  readonly every?: number;
}

const DEFAULT_SNAPSHOT_EVERY = 100;

/** A snapshot the fold can start from, if the store has one for this fold and version. */
const usableSnapshot = async <S, E>(policy: SnapshotPolicy | undefined, streamId: string, fold: StreamFold<S, E>): Promise<Snapshot | undefined> => {
  if (policy === undefined) return undefined;
  try {
    const found = await policy.store.get(streamId, fold.name)();
    const snapshot = found._tag === 'Right' ? found.right : undefined;
    return snapshot !== undefined && snapshot.foldName === fold.name && snapshot.foldVersion === (fold.version ?? 1) && snapshot.streamVersion >= 1 ? snapshot : undefined;
  } catch {
    return undefined;
  }
};

const storeSnapshot = async (policy: SnapshotPolicy, snapshot: Snapshot): Promise<void> => {
  try {
    await policy.store.put(snapshot)();
  } catch {
    // A snapshot is a cache: failing to keep one only makes the next load slower.
  }
};

/**
 * The `load` of a handler context: reads a stream (from a matching snapshot when there is one),
 * decodes each event and folds it. Snapshots are checked against the stream: the event they end
 * at must still be there with the same hash, or the stream is folded from its start.
 */
export const streamLoader =
  (store: EventStore, registry: EventRegistry, snapshots?: SnapshotPolicy) =>
  <S, E = DomainEvent>(streamId: string, fold: StreamFold<S, E>): TaskEither<SdkError, LoadedStream<S>> =>
  async () => {
    try {
      const decode = fold.decode ?? (registry.decode as (stored: StoredEvent) => Either<SdkError, E>);
      const asStored = fold.decode === undefined ? registry.decodesAsStored : (): boolean => false;
      const snapshot = await usableSnapshot(snapshots, streamId, fold);
      let events: readonly StoredEvent[];
      let state = fold.initialState;
      let base = 0;
      let start = 0;
      const fromSnapshot = snapshot === undefined ? undefined : await store.readStream(streamId, { from: snapshot.streamVersion })();
      if (snapshot !== undefined && fromSnapshot?._tag === 'Right' && fromSnapshot.right[0]?.hash === snapshot.hash && fromSnapshot.right[0].streamVersion === snapshot.streamVersion) {
        events = fromSnapshot.right;
        state = snapshot.state as S;
        base = snapshot.streamVersion;
        start = 1;
      } else {
        const all = await store.readStream(streamId)();
        if (all._tag === 'Left') return all;
        events = all.right;
      }
      for (let index = start; index < events.length; index++) {
        const stored = events[index] as StoredEvent;
        if (asStored(stored)) {
          // A stored event whose payload is current and valid is its own decoding: no allocation.
          state = fold.evolve(state, stored as unknown as E, stored);
          continue;
        }
        const decoded = decode(stored);
        if (decoded._tag === 'Left') return decoded;
        state = fold.evolve(state, decoded.right, stored);
      }
      const last = events[events.length - 1];
      const version = last?.streamVersion ?? base;
      if (snapshots !== undefined && last !== undefined && version - base >= (snapshots.every ?? DEFAULT_SNAPSHOT_EVERY)) {
        await storeSnapshot(snapshots, { streamId, foldName: fold.name, foldVersion: fold.version ?? 1, streamVersion: version, hash: last.hash, state });
      }
      return right({ state, version });
    } catch (cause) {
      return left(infrastructureFrom(`loading stream ${streamId}`)(cause));
    }
  };
