import { describe, expect, it } from 'vitest';
import { inMemorySecretVault } from '../../src/index.js';

describe('inMemorySecretVault', () => {
  it('keeps its own copy: changing the bytes put in or taken out changes nothing stored', async () => {
    const vault = inMemorySecretVault();
    const secret = Uint8Array.of(1, 2, 3);
    await vault.put('a', secret);
    secret.fill(0);
    const taken = await vault.get('a');
    expect(taken).toEqual(Uint8Array.of(1, 2, 3));
    taken?.fill(9);
    expect(await vault.get('a')).toEqual(Uint8Array.of(1, 2, 3));
  });

  it('replaces, destroys, and knows nothing of unknown refs', async () => {
    const vault = inMemorySecretVault();
    expect(await vault.get('a')).toBeUndefined();
    await vault.put('a', Uint8Array.of(1));
    await vault.put('a', Uint8Array.of(2));
    await vault.put('b', Uint8Array.of(3));
    expect(await vault.get('a')).toEqual(Uint8Array.of(2));
    await vault.destroy('a');
    await vault.destroy('never-there');
    expect(await vault.get('a')).toBeUndefined();
    expect(await vault.get('b')).toEqual(Uint8Array.of(3));
  });

  it('destroy zero-fills the stored copy', async () => {
    // The stored copy is not reachable from outside; the bytes handed to Uint8Array.from are.
    const vault = inMemorySecretVault();
    const copies: Uint8Array[] = [];
    const from = Uint8Array.from.bind(Uint8Array);
    const spy = (source: ArrayLike<number>): Uint8Array => {
      const copy = from(source);
      copies.push(copy);
      return copy;
    };
    // `from` is inherited from %TypedArray%: shadow it for one call, then remove the shadow.
    Object.defineProperty(Uint8Array, 'from', { value: spy, configurable: true, writable: true });
    try {
      await vault.put('a', Uint8Array.of(7, 7, 7));
    } finally {
      Reflect.deleteProperty(Uint8Array, 'from');
    }
    expect(Object.hasOwn(Uint8Array, 'from')).toBe(false);
    expect(copies[0]).toEqual(Uint8Array.of(7, 7, 7));
    await vault.destroy('a');
    expect(copies[0]).toEqual(Uint8Array.of(0, 0, 0));
  });
});
