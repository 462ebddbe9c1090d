import { left } from 'fp-ts/lib/Either.js';
import { infrastructure } from '../../../src/errors/sdk-error.js';
import type { CheckpointStore } from '../../../src/projections/projection.js';
import type { Publisher } from '../../../src/relay/index.js';

/**
 * A relay process that dies abruptly after `acks` acknowledged messages: from then on its
 * publishes and its checkpoint saves fail, so, as after a real kill, the checkpoint stays where
 * the last full batch left it and the restart resends the rest of that batch.
 */
export const dyingRelay = (publisher: Publisher, checkpoints: CheckpointStore, acks: number) => {
  let remaining = acks;
  let dead = false;
  return {
    publisher: {
      publish: async (message) => {
        if (remaining <= 0) dead = true;
        if (dead) throw new Error('killed');
        const ack = await publisher.publish(message);
        remaining--;
        return ack;
      },
    } satisfies Publisher,
    checkpoints: {
      ...checkpoints,
      save: (name, checkpoint) => (dead ? () => Promise.resolve(left(infrastructure('killed'))) : checkpoints.save(name, checkpoint)),
    } satisfies CheckpointStore,
  };
};
