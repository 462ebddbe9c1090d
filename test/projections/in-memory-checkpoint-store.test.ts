import { describe, expect, it } from 'vitest';
import { inMemoryCheckpointStore } from '../../src/projections/in-memory-checkpoint-store.js';
import { checkpointStoreContract } from '../../src/testing/checkpoint-store-contract.js';

checkpointStoreContract('in-memory', () => Promise.resolve(inMemoryCheckpointStore()), { describe, it });

describe('in-memory checkpoint store', () => {
  it('keeps its own copy of a saved state', async () => {
    const store = inMemoryCheckpointStore();
    const state = { rows: [1, 2] };
    await store.save('p', { position: 2, state })();
    state.rows.push(3);
    expect(await store.load('p')()).toEqual({ _tag: 'Right', right: { position: 2, state: { rows: [1, 2] } } });
  });

  it('reports a state it cannot copy as an Infrastructure error', async () => {
    const store = inMemoryCheckpointStore();
    const result = await store.save('p', { position: 1, state: { f: (() => 1) as unknown as string } })();
    expect(result).toMatchObject({ _tag: 'Left', left: { _tag: 'Infrastructure' } });
  });
});
