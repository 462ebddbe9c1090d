import { left, right } from 'fp-ts/lib/Either.js';
import { infrastructureFrom } from '../errors/sdk-error.js';
import type { Checkpoint, CheckpointStore } from './projection.js';

/**
 * Checkpoints in process memory. Ownership is exclusive among the runners of this process: while
 * one runs a projection, another asking for it is told `{ owned: false }`.
 */
export const inMemoryCheckpointStore = (): CheckpointStore => {
  const checkpoints = new Map<string, Checkpoint>();
  const owned = new Set<string>();
  return {
    load: (projection) => () => Promise.resolve(right(checkpoints.get(projection))),
    save: (projection, checkpoint) => () => {
      try {
        // A copy: the runner's state object may be changed by whoever else holds it.
        checkpoints.set(projection, { position: checkpoint.position, state: structuredClone(checkpoint.state) });
        return Promise.resolve(right(undefined));
      } catch (cause) {
        return Promise.resolve(left(infrastructureFrom(`checkpoint of ${projection}`)(cause)));
      }
    },
    withOwnership: (projection, work) => async () => {
      if (owned.has(projection)) return right({ owned: false });
      owned.add(projection);
      try {
        return right({ owned: true, result: await work() });
      } catch (cause) {
        return left(infrastructureFrom(`projection ${projection}`)(cause));
      } finally {
        owned.delete(projection);
      }
    },
  };
};
