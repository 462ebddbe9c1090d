import type { JsonObject, JsonValue } from '../events/envelope.js';

const isPlainObject = (value: object): boolean => {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

const memberPath = (path: string, key: string | number): string => (path === '' ? String(key) : `${path}.${String(key)}`);

/**
 * The path of the first value JSON cannot carry faithfully (undefined in an array, NaN, Infinity,
 * a bigint, a function, a Date, a Map, a cycle…), or undefined when `value` is plain JSON.
 * Object members that are undefined are allowed: JSON leaves them out, and so does the hash.
 */
export const firstNonJsonPath = (value: unknown, path = '', seen: Set<object> = new Set()): string | undefined => {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : path;
    case 'object': {
      if (value === null) return undefined;
      if (seen.has(value)) return path;
      seen.add(value);
      let issue: string | undefined;
      if (Array.isArray(value)) {
        const items = value as readonly unknown[];
        for (let index = 0; index < items.length && issue === undefined; index++) {
          issue = items[index] === undefined ? memberPath(path, index) : firstNonJsonPath(items[index], memberPath(path, index), seen);
        }
      } else if (!isPlainObject(value)) {
        issue = path;
      } else {
        const record = value as Readonly<Record<string, unknown>>;
        for (const key of Object.keys(record)) {
          const member = record[key];
          if (member !== undefined) issue = firstNonJsonPath(member, memberPath(path, key), seen);
          if (issue !== undefined) break;
        }
      }
      seen.delete(value);
      return issue;
    }
    default:
      return path;
  }
};

/** Whether `value` is a plain object whose members are all JSON. */
export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && firstNonJsonPath(value) === undefined;

/**
 * A deep, frozen copy of a JSON value (undefined members dropped), so neither the writer nor a
 * reader can change what a store holds after the hash was computed. Expects checked JSON.
 */
export const frozenJsonCopy = <T extends JsonValue>(value: T): T => {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) {
    return Object.freeze((value as readonly JsonValue[]).map(frozenJsonCopy)) as unknown as T;
  }
  const record = value as { readonly [key: string]: JsonValue };
  const copy: Record<string, JsonValue> = {};
  for (const key of Object.keys(record)) {
    const member = record[key];
    if (member === undefined) continue;
    // An own "__proto__" member (JSON.parse makes them) must stay data, not become a prototype.
    if (key === '__proto__') Object.defineProperty(copy, key, { value: frozenJsonCopy(member), enumerable: true, writable: true, configurable: true });
    else copy[key] = frozenJsonCopy(member);
  }
  return Object.freeze(copy) as unknown as T;
};
