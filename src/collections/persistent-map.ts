/**
 * A persistent (immutable, structurally shared) map from strings to values: a hash array mapped
 * trie. `set` and `remove` copy one path of at most seven small nodes instead of the whole map, so a
 * pure `evolve` can keep an index of thousands of entries (the pending fingerprints of an agreement,
 * the rows of the orders read model) and still cost O(1)-ish per event, while every earlier state
 * stays valid for snapshots and rebuilds.
 */

interface Leaf<V> {
  readonly kind: 'leaf';
  readonly hash: number;
  readonly key: string;
  readonly value: V;
}

interface Collision<V> {
  readonly kind: 'collision';
  readonly hash: number;
  readonly leaves: readonly Leaf<V>[];
}

interface Branch<V> {
  readonly kind: 'branch';
  readonly bitmap: number;
  readonly children: readonly TrieNode<V>[];
}

type TrieNode<V> = Leaf<V> | Collision<V> | Branch<V>;

/** An immutable map from string keys to `V`, as the read models and agreement states hold their indexes. */
export interface PersistentMap<V> {
  /** How many keys it holds. */
  readonly size: number;
  /** @internal */
  readonly root: Branch<V>;
}

const BITS = 5;
const MASK = (1 << BITS) - 1;

/**
 * The 32-bit hash the trie places a key by: FNV-1a over UTF-16 code units, finished with a
 * multiply-xorshift avalanche so nearby keys spread. Exported for tests of hash collisions.
 */
export const keyHash = (key: string): number => {
  let h = 0x811c9dc5;
  for (let i = 0; i < key.length; i++) h = Math.imul(h ^ key.charCodeAt(i), 0x01000193);
  h ^= h >>> 16;
  h = Math.imul(h, 0x7feb352d);
  h ^= h >>> 15;
  return h >>> 0;
};

const popcount = (n: number): number => {
  let x = n - ((n >>> 1) & 0x55555555);
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24) & 0xff;
};

const fragment = (hash: number, shift: number): number => (hash >>> shift) & MASK;

const emptyBranch: Branch<never> = { kind: 'branch', bitmap: 0, children: [] };
const empty: PersistentMap<never> = { size: 0, root: emptyBranch };

/** The empty map (shared: it can never change). */
export const emptyMap = <V>(): PersistentMap<V> => empty;

const withChild = <V>(children: readonly TrieNode<V>[], index: number, child: TrieNode<V>): TrieNode<V>[] => {
  const copy = children.slice();
  copy[index] = child;
  return copy;
};

const nodeHash = <V>(node: Leaf<V> | Collision<V>): number => node.hash;

// Two nodes with different hashes, placed under a new branch at `shift` (deeper branches while their fragments agree).
const merge = <V>(a: Leaf<V> | Collision<V>, b: Leaf<V>, shift: number): Branch<V> => {
  const fa = fragment(nodeHash(a), shift);
  const fb = fragment(b.hash, shift);
  if (fa === fb) return { kind: 'branch', bitmap: 1 << fa, children: [merge(a, b, shift + BITS)] };
  return { kind: 'branch', bitmap: (1 << fa) | (1 << fb), children: fa < fb ? [a, b] : [b, a] };
};

interface Change {
  added: boolean;
}

const insert = <V>(node: TrieNode<V>, shift: number, leaf: Leaf<V>, change: Change): TrieNode<V> => {
  switch (node.kind) {
    case 'branch': {
      const bit = 1 << fragment(leaf.hash, shift);
      const index = popcount(node.bitmap & (bit - 1));
      if ((node.bitmap & bit) === 0) {
        change.added = true;
        const children = node.children.slice();
        children.splice(index, 0, leaf);
        return { kind: 'branch', bitmap: node.bitmap | bit, children };
      }
      const child = node.children[index] as TrieNode<V>;
      const next = insert(child, shift + BITS, leaf, change);
      return next === child ? node : { kind: 'branch', bitmap: node.bitmap, children: withChild(node.children, index, next) };
    }
    case 'leaf': {
      if (node.key === leaf.key) return Object.is(node.value, leaf.value) ? node : leaf;
      change.added = true;
      if (node.hash === leaf.hash) return { kind: 'collision', hash: node.hash, leaves: [node, leaf] };
      return merge(node, leaf, shift);
    }
    case 'collision': {
      if (node.hash !== leaf.hash) {
        change.added = true;
        return merge(node, leaf, shift);
      }
      const at = node.leaves.findIndex((candidate) => candidate.key === leaf.key);
      if (at < 0) {
        change.added = true;
        return { kind: 'collision', hash: node.hash, leaves: [...node.leaves, leaf] };
      }
      const existing = node.leaves[at] as Leaf<V>;
      if (Object.is(existing.value, leaf.value)) return node;
      const leaves = node.leaves.slice();
      leaves[at] = leaf;
      return { kind: 'collision', hash: node.hash, leaves };
    }
  }
};

// undefined: the node is gone. A branch left with a single leaf or collision collapses into it.
const erase = <V>(node: TrieNode<V>, shift: number, hash: number, key: string): TrieNode<V> | undefined => {
  switch (node.kind) {
    case 'branch': {
      const bit = 1 << fragment(hash, shift);
      if ((node.bitmap & bit) === 0) return node;
      const index = popcount(node.bitmap & (bit - 1));
      const child = node.children[index] as TrieNode<V>;
      const next = erase(child, shift + BITS, hash, key);
      if (next === child) return node;
      if (next === undefined) {
        if (node.children.length === 1) return undefined;
        const children = node.children.slice();
        children.splice(index, 1);
        const remaining = node.bitmap & ~bit;
        const only = children[0] as TrieNode<V>;
        if (children.length === 1 && only.kind !== 'branch' && shift > 0) return only;
        return { kind: 'branch', bitmap: remaining, children };
      }
      if (node.children.length === 1 && next.kind !== 'branch' && shift > 0) return next;
      return { kind: 'branch', bitmap: node.bitmap, children: withChild(node.children, index, next) };
    }
    case 'leaf':
      return node.key === key ? undefined : node;
    case 'collision': {
      if (node.hash !== hash) return node;
      const leaves = node.leaves.filter((leaf) => leaf.key !== key);
      if (leaves.length === node.leaves.length) return node;
      return leaves.length === 1 ? leaves[0] : { kind: 'collision', hash, leaves };
    }
  }
};

const findLeaf = <V>(map: PersistentMap<V>, key: string): Leaf<V> | undefined => {
  const hash = keyHash(key);
  let node: TrieNode<V> = map.root;
  let shift = 0;
  for (;;) {
    switch (node.kind) {
      case 'branch': {
        const bit = 1 << fragment(hash, shift);
        if ((node.bitmap & bit) === 0) return undefined;
        node = node.children[popcount(node.bitmap & (bit - 1))] as TrieNode<V>;
        shift += BITS;
        break;
      }
      case 'leaf':
        return node.key === key ? node : undefined;
      case 'collision':
        return node.leaves.find((leaf) => leaf.key === key);
    }
  }
};

/** The value under `key`, or undefined. */
export const getEntry = <V>(map: PersistentMap<V>, key: string): V | undefined => findLeaf(map, key)?.value;

/** Whether `key` is present (also when its value is undefined). */
export const hasEntry = <V>(map: PersistentMap<V>, key: string): boolean => findLeaf(map, key) !== undefined;

/** A map with `key` set to `value`; the same map when nothing changes. */
export const setEntry = <V>(map: PersistentMap<V>, key: string, value: V): PersistentMap<V> => {
  const change: Change = { added: false };
  const root = insert(map.root, 0, { kind: 'leaf', hash: keyHash(key), key, value }, change) as Branch<V>;
  return root === map.root ? map : { size: map.size + (change.added ? 1 : 0), root };
};

/** A map without `key`; the same map when it was absent. */
export const removeEntry = <V>(map: PersistentMap<V>, key: string): PersistentMap<V> => {
  const root = erase(map.root, 0, keyHash(key), key) as Branch<V> | undefined;
  if (root === map.root) return map;
  return root === undefined ? emptyMap<V>() : { size: map.size - 1, root };
};

/** A map with the value under `key` replaced by `update(current)` (current is undefined when absent). */
export const updateEntry = <V>(map: PersistentMap<V>, key: string, update: (current: V | undefined) => V): PersistentMap<V> =>
  setEntry(map, key, update(getEntry(map, key)));

function* walk<V>(node: TrieNode<V>): Generator<readonly [string, V]> {
  switch (node.kind) {
    case 'leaf':
      yield [node.key, node.value];
      return;
    case 'collision':
      for (const leaf of node.leaves) yield [leaf.key, leaf.value];
      return;
    case 'branch':
      for (const child of node.children) yield* walk(child);
  }
}

/** Every entry, in no particular (but deterministic) order. */
export const entriesOf = <V>(map: PersistentMap<V>): Iterable<readonly [string, V]> => ({
  [Symbol.iterator]: () => walk(map.root),
});

/** Every value, in the order of {@link entriesOf}. */
export function* valuesOf<V>(map: PersistentMap<V>): Generator<V> {
  for (const [, value] of walk(map.root)) yield value;
}
