import type { PersistentMap } from './persistent-map.js';
import { emptyMap, entriesOf, getEntry, hasEntry, removeEntry, setEntry } from './persistent-map.js';

/**
 * A persistent map read like a `ReadonlyMap` (`get`, `has`, `size`, iteration), changed like a
 * value: `with` and `without` return a new map that shares all but one path of the old one. A fold
 * whose state holds an index that grows with history (a company's user -> tokens, a projection's
 * serial -> company) keeps it here, so each event costs O(log n) instead of a copy of the whole map;
 * readers written against `ReadonlyMap` keep working unchanged.
 */
export class SharedMap<V> implements Iterable<[string, V]> {
  private static readonly emptyOne = new SharedMap<never>(emptyMap<never>());

  private constructor(private readonly trie: PersistentMap<V>) {}

  /** The empty map (one shared instance). */
  static empty<V>(): SharedMap<V> {
    return SharedMap.emptyOne;
  }

  /** A map holding `entries` (a later entry for the same key wins). */
  static of<V>(entries: Iterable<readonly [string, V]>): SharedMap<V> {
    let trie = emptyMap<V>();
    for (const [key, value] of entries) trie = setEntry(trie, key, value);
    return new SharedMap(trie);
  }

  /** How many keys it holds. */
  get size(): number {
    return this.trie.size;
  }

  /** The value under `key`, or undefined. */
  get(key: string): V | undefined {
    return getEntry(this.trie, key);
  }

  /** Whether `key` is present. */
  has(key: string): boolean {
    return hasEntry(this.trie, key);
  }

  /** A map with `key` set to `value` (this one when nothing changes). */
  with(key: string, value: V): SharedMap<V> {
    const trie = setEntry(this.trie, key, value);
    return trie === this.trie ? this : new SharedMap(trie);
  }

  /** A map without `key` (this one when it was absent). */
  without(key: string): SharedMap<V> {
    const trie = removeEntry(this.trie, key);
    return trie === this.trie ? this : new SharedMap(trie);
  }

  /** Every entry, in no particular (but deterministic) order. */
  *entries(): IterableIterator<[string, V]> {
    for (const [key, value] of entriesOf(this.trie)) yield [key, value];
  }

  /** Every key, in the order of {@link SharedMap.entries}. */
  *keys(): IterableIterator<string> {
    for (const [key] of entriesOf(this.trie)) yield key;
  }

  /** Every value, in the order of {@link SharedMap.entries}. */
  *values(): IterableIterator<V> {
    for (const [, value] of entriesOf(this.trie)) yield value;
  }

  /** Calls `visit` with each entry. */
  forEach(visit: (value: V, key: string) => void): void {
    for (const [key, value] of entriesOf(this.trie)) visit(value, key);
  }

  [Symbol.iterator](): IterableIterator<[string, V]> {
    return this.entries();
  }
}
