const isPlainObject = (value: object): boolean => {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

const member = (path: string, key: string | number): string => (path === '' ? String(key) : `${path}.${String(key)}`);

/**
 * The dotted path of the first value JSON cannot carry faithfully (NaN, Infinity, a bigint, a
 * function, a Date, a class instance, undefined in an array, a cycle), or undefined when `value`
 * is plain JSON. Undefined object members are fine: JSON and the hash both leave them out.
 */
export const firstNonJsonPath = (value: unknown, path = '', open: Set<object> = new Set()): string | undefined => {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : path;
    case 'object': {
      if (value === null) return undefined;
      if (open.has(value) || (!Array.isArray(value) && !isPlainObject(value))) return path;
      open.add(value);
      let found: string | undefined;
      if (Array.isArray(value)) {
        const items = value as readonly unknown[];
        for (let index = 0; index < items.length && found === undefined; index++) {
          found = items[index] === undefined ? member(path, index) : firstNonJsonPath(items[index], member(path, index), open);
        }
      } else {
        const record = value as Readonly<Record<string, unknown>>;
        for (const key of Object.keys(record)) {
          const item = record[key];
          if (item !== undefined) found = firstNonJsonPath(item, member(path, key), open);
          if (found !== undefined) break;
        }
      }
      open.delete(value);
      return found;
    }
    default:
      return path;
  }
};
