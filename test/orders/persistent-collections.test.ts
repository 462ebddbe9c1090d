import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { PersistentMap } from '../../src/collections/persistent-map.js';
import { emptyMap, entriesOf, getEntry, hasEntry, keyHash, removeEntry, setEntry, updateEntry, valuesOf } from '../../src/collections/persistent-map.js';
import { emptyVector, newestFirst, pushValue, valueAt } from '../../src/collections/persistent-vector.js';

type Op = { readonly kind: 'set'; readonly key: string; readonly value: number } | { readonly kind: 'remove'; readonly key: string };

// Few distinct keys so sets overwrite and removes hit; long keys exercise deep tries.
const keyArb = fc.oneof(fc.constantFrom('a', 'b', 'c', '', '__proto__', 'constructor'), fc.string({ maxLength: 3 }), fc.integer({ min: 0, max: 5000 }).map(String));
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { weight: 3, arbitrary: fc.record({ kind: fc.constant('set' as const), key: keyArb, value: fc.integer() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('remove' as const), key: keyArb }) },
);

const sameAs = (map: PersistentMap<number>, model: ReadonlyMap<string, number>): void => {
  expect(map.size).toBe(model.size);
  expect(new Map(entriesOf(map))).toEqual(model);
  expect([...valuesOf(map)].sort()).toEqual([...model.values()].sort());
  for (const [key, value] of model) {
    expect(getEntry(map, key)).toBe(value);
    expect(hasEntry(map, key)).toBe(true);
  }
};

describe('persistent map', () => {
  it('behaves like a Map under any sequence of sets and removes', () => {
    fc.assert(
      fc.property(fc.array(opArb, { maxLength: 300 }), (ops) => {
        let map = emptyMap<number>();
        const model = new Map<string, number>();
        for (const op of ops) {
          if (op.kind === 'set') {
            map = setEntry(map, op.key, op.value);
            model.set(op.key, op.value);
          } else {
            map = removeEntry(map, op.key);
            model.delete(op.key);
          }
          expect(map.size).toBe(model.size);
        }
        sameAs(map, model);
      }),
      { numRuns: 1000 },
    );
  });

  it('never changes an earlier version', () => {
    fc.assert(
      fc.property(fc.array(opArb, { minLength: 1, maxLength: 200 }), (ops) => {
        const versions: PersistentMap<number>[] = [emptyMap()];
        const models: Map<string, number>[] = [new Map<string, number>()];
        for (const op of ops) {
          const map = versions[versions.length - 1]!;
          const model = new Map(models[models.length - 1]);
          if (op.kind === 'set') model.set(op.key, op.value);
          else model.delete(op.key);
          versions.push(op.kind === 'set' ? setEntry(map, op.key, op.value) : removeEntry(map, op.key));
          models.push(model);
        }
        versions.forEach((map, index) => {
          sameAs(map, models[index]!);
        });
      }),
      { numRuns: 300 },
    );
  });

  it('keeps keys whose hashes collide apart', () => {
    // Birthday search for full 32-bit collisions among short keys.
    const seen = new Map<number, string>();
    const pairs: [string, string][] = [];
    for (let i = 0; pairs.length < 3 && i < 2_000_000; i++) {
      const key = `k${i}`;
      const hash = keyHash(key);
      const other = seen.get(hash);
      if (other === undefined) seen.set(hash, key);
      else pairs.push([other, key]);
    }
    expect(pairs.length).toBe(3);
    const [a, b] = pairs[0]!;
    const [c, d] = pairs[1]!;
    let map = setEntry(setEntry(emptyMap<string>(), a, 'A'), b, 'B');
    map = setEntry(map, c, 'C');
    map = setEntry(map, d, 'D');
    map = setEntry(map, pairs[2]![0], 'E');
    map = setEntry(map, pairs[2]![1], 'F');
    expect(map.size).toBe(6);
    expect([getEntry(map, a), getEntry(map, b), getEntry(map, c), getEntry(map, d)]).toEqual(['A', 'B', 'C', 'D']);
    expect(setEntry(map, a, 'A')).toBe(map);
    const replaced = setEntry(map, b, 'B2');
    expect(getEntry(replaced, b)).toBe('B2');
    expect(getEntry(replaced, a)).toBe('A');
    expect(replaced.size).toBe(6);
    const withoutA = removeEntry(map, a);
    expect(getEntry(withoutA, a)).toBeUndefined();
    expect(getEntry(withoutA, b)).toBe('B');
    expect(removeEntry(withoutA, a)).toBe(withoutA);
    expect(removeEntry(withoutA, `${a}-absent`)).toBe(withoutA);
    let gone = withoutA;
    for (const key of [b, c, d, pairs[2]![0], pairs[2]![1]]) gone = removeEntry(gone, key);
    expect(gone.size).toBe(0);
    // A key of another hash that meets the collision node on its trie path splits it into a branch.
    let near = 0;
    while ((keyHash(`n${near}`) & 31) !== (keyHash(a) & 31) || keyHash(`n${near}`) === keyHash(a)) near++;
    const split = setEntry(setEntry(setEntry(emptyMap<number>(), a, 1), b, 2), `n${near}`, 3);
    expect(split.size).toBe(3);
    expect(new Map(entriesOf(split))).toEqual(new Map([[a, 1], [b, 2], [`n${near}`, 3]]));
    const collapsed = removeEntry(removeEntry(split, a), `n${near}`);
    expect(new Map(entriesOf(collapsed))).toEqual(new Map([[b, 2]]));
  });

  it('holds many keys and empties out completely', () => {
    let map = emptyMap<number>();
    const keys = Array.from({ length: 20_000 }, (_, i) => `order-${i}`);
    keys.forEach((key, i) => (map = setEntry(map, key, i)));
    expect(map.size).toBe(keys.length);
    keys.forEach((key, i) => {
      expect(getEntry(map, key)).toBe(i);
    });
    expect(getEntry(map, 'order-20000')).toBeUndefined();
    for (const key of keys) map = removeEntry(map, key);
    expect(map.size).toBe(0);
    expect([...entriesOf(map)]).toEqual([]);
  });

  it('returns the same map when nothing changes', () => {
    const one = setEntry(emptyMap<number>(), 'a', 1);
    expect(setEntry(one, 'a', 1)).toBe(one);
    expect(removeEntry(one, 'b')).toBe(one);
    expect(removeEntry(emptyMap<number>(), 'a')).toBe(emptyMap<number>());
    expect(updateEntry(one, 'a', (n) => (n ?? 0) + 1)).not.toBe(one);
    expect(getEntry(updateEntry(one, 'z', (n) => (n ?? 0) + 1), 'z')).toBe(1);
  });

  it('tells a key holding undefined from an absent key', () => {
    const map = setEntry(emptyMap<number | undefined>(), 'a', undefined);
    expect(hasEntry(map, 'a')).toBe(true);
    expect(hasEntry(map, 'b')).toBe(false);
    expect(map.size).toBe(1);
  });
});

describe('persistent vector', () => {
  it('keeps push order and every earlier version', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 3000 }), (n) => {
        const versions = [emptyVector<number>()];
        for (let i = 0; i < n; i++) versions.push(pushValue(versions[i]!, i * 7));
        const last = versions[n]!;
        expect(last.size).toBe(n);
        expect([...newestFirst(last)]).toEqual(Array.from({ length: n }, (_, i) => (n - 1 - i) * 7));
        for (const probe of [0, 1, 31, 32, 33, 1023, 1024, 1025, n - 1]) {
          if (probe >= 0 && probe < n) expect(valueAt(versions[probe + 1]!, probe)).toBe(probe * 7);
          if (probe >= 0 && probe < n) expect(valueAt(versions[probe]!, probe)).toBeUndefined();
        }
      }),
      { numRuns: 60 },
    );
  });

  it('answers undefined outside its bounds', () => {
    const vector = pushValue(emptyVector<string>(), 'x');
    expect(valueAt(vector, -1)).toBeUndefined();
    expect(valueAt(vector, 1)).toBeUndefined();
    expect(valueAt(vector, 0.5)).toBeUndefined();
    expect(valueAt(vector, 0)).toBe('x');
  });

  it('grows past three trie levels', () => {
    let vector = emptyVector<number>();
    for (let i = 0; i < 40_000; i++) vector = pushValue(vector, i);
    expect(vector.shift).toBe(15);
    expect(valueAt(vector, 39_999)).toBe(39_999);
    expect(valueAt(vector, 32_768)).toBe(32_768);
    expect(valueAt(vector, 0)).toBe(0);
  });
});
