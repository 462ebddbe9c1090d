import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { StoredEvent } from '../../src/events/envelope.js';
import { inMemorySecretVault } from '../../src/ports/in-memory-secret-vault.js';
import { secretShredder } from '../../src/sdk/secret-shredder.js';
import type { EventStore } from '../../src/store/event-store.js';
import { inMemoryEventStore } from '../../src/store/in-memory-event-store.js';
import { bank, T0 } from './harness.js';

const seed = Uint8Array.from({ length: 20 }, (_, index) => index + 1);

/** A store whose readAll shows nothing while `lagging` is set: a durable store held back by another instance's append in flight. */
const laggingStore = () => {
  const inner = inMemoryEventStore();
  let lagging = true;
  const store: EventStore = { ...inner, readAll: (options) => (lagging ? () => Promise.resolve(E.right([])) : inner.readAll(options)) };
  return { store, catchUpReads: () => (lagging = false) };
};

/** Deletes of tokens `names`, one command each: their stored events. */
const deleted = async (store: EventStore, names: readonly string[]): Promise<readonly StoredEvent[]> => {
  const events: StoredEvent[] = [];
  for (const [index, name] of names.entries()) {
    const metadata = { commandId: `delete-${name}`, correlationId: 'c', causationId: 'c', actor: bank, occurredAt: new Date(T0).toISOString() };
    const event = { eventId: `0190a0b0-0000-7000-8000-00000000001${String(index)}`, type: 'TokenDeleted', schemaVersion: 1, data: { destroyedSecretRefs: [name] }, metadata };
    const appended = await store.append([{ streamId: `token-${name}`, expectedVersion: 'no-stream', events: [event] }])();
    if (E.isLeft(appended)) throw new Error(appended.left.message);
    events.push(...appended.right.events);
  }
  return events;
};

/** A vault holding `refs`, that counts its destroy calls and fails the first `failures` of them. */
const countingVault = async (refs: readonly string[], failures = 0) => {
  const inner = inMemorySecretVault();
  for (const ref of refs) await inner.put(ref, seed);
  const destroyed: string[] = [];
  let failing = failures;
  return {
    vault: {
      ...inner,
      destroy: async (ref: string) => {
        if (failing-- > 0) throw new Error('KMS down');
        destroyed.push(ref);
        await inner.destroy(ref);
      },
    },
    destroyed,
    holds: async (ref: string) => (await inner.get(ref)) !== undefined,
  };
};

describe('the secret shredder and the events of the commit that runs it', () => {
  it('destroys the secrets a commit retires at once, though readAll does not show the commit yet, and only once', async () => {
    const { store, catchUpReads } = laggingStore();
    const [first, second] = await deleted(store, ['s1', 's2']);
    const { vault, destroyed, holds } = await countingVault(['s1', 's2']);
    const shredder = secretShredder(store, vault);
    expect(await shredder.catchUp([first!])()).toEqual(E.right(1));
    expect([await holds('s1'), await holds('s2')]).toEqual([false, true]);
    catchUpReads();
    expect(await shredder.catchUp()()).toEqual(E.right(1));
    expect(destroyed).toEqual(['s1', 's2']);
    // Events the drain has passed are not destroyed again.
    expect(await shredder.catchUp([second!])()).toEqual(E.right(0));
    expect(destroyed).toEqual(['s1', 's2']);
  });

  it('leaves to the next run a commit whose secrets the vault failed to destroy', async () => {
    const { store, catchUpReads } = laggingStore();
    const [event] = await deleted(store, ['s1']);
    const { vault, holds } = await countingVault(['s1'], 1);
    const shredder = secretShredder(store, vault);
    expect(await shredder.catchUp([event!])()).toEqual(E.left(expect.objectContaining({ _tag: 'Infrastructure' })));
    expect(await holds('s1')).toBe(true);
    catchUpReads();
    expect(await shredder.catchUp()()).toEqual(E.right(1));
    expect(await holds('s1')).toBe(false);
  });
});
