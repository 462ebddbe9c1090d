/**
 * A persistent append-only list: a 32-way trie, so `push` copies one short path and every earlier
 * version stays valid. The orders read model keeps each company's orders in upload order with it, so
 * folding an upload costs the same with ten orders as with a million.
 */

type Slot = unknown;

/** An immutable list of `T`, in push order. */
export interface PersistentVector<T> {
  /** How many values it holds. */
  readonly size: number;
  /** @internal 0 while the root is a leaf; grows by 5 each time the trie gains a level. */
  readonly shift: number;
  /** @internal */
  readonly root: readonly Slot[];
  /** @internal Phantom field so the element type is kept; never set. */
  readonly _element?: T;
}

const BITS = 5;
const WIDTH = 1 << BITS;
const MASK = WIDTH - 1;

const empty: PersistentVector<never> = { size: 0, shift: 0, root: [] };

/** The empty list (shared: it can never change). */
export const emptyVector = <T>(): PersistentVector<T> => empty;

const placed = (node: readonly Slot[] | undefined, shift: number, index: number, value: Slot): readonly Slot[] => {
  const copy = node === undefined ? [] : node.slice();
  if (shift === 0) {
    copy[index & MASK] = value;
    return copy;
  }
  const slot = (index >>> shift) & MASK;
  copy[slot] = placed(copy[slot] as readonly Slot[] | undefined, shift - BITS, index, value);
  return copy;
};

/** A list with `value` added at the end. */
export const pushValue = <T>(vector: PersistentVector<T>, value: T): PersistentVector<T> => {
  const full = vector.size === WIDTH * 2 ** vector.shift;
  const shift = full ? vector.shift + BITS : vector.shift;
  const root = full ? [vector.root] : vector.root;
  return { size: vector.size + 1, shift, root: placed(root, shift, vector.size, value) };
};

/** The value at `index` (0-based), or undefined outside the list. */
export const valueAt = <T>(vector: PersistentVector<T>, index: number): T | undefined => {
  if (!Number.isInteger(index) || index < 0 || index >= vector.size) return undefined;
  let node = vector.root;
  for (let shift = vector.shift; shift > 0; shift -= BITS) node = node[(index >>> shift) & MASK] as readonly Slot[];
  return node[index & MASK] as T;
};

/** Every value from the last pushed to the first. */
export function* newestFirst<T>(vector: PersistentVector<T>): Generator<T> {
  for (let index = vector.size - 1; index >= 0; index--) yield valueAt(vector, index) as T;
}
