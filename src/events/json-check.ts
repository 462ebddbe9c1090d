import type { JsonObject, JsonValue } from './envelope.js';

const isPlainObject = (value: object): boolean => {
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

/** Where a problem lies, innermost key first; built only on the way back from a failure. */
type Trail = (string | number)[];

/** Deeper than this is refused: no event needs it, and it is how a cycle shows up without a visited set. */
export const MAX_JSON_DEPTH = 64;

const firstIssue = (value: unknown, depth: number): Trail | undefined => {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return undefined;
    case 'number':
      return Number.isFinite(value) ? undefined : [];
    case 'object': {
      if (value === null) return undefined;
      if (depth >= MAX_JSON_DEPTH) return [];
      if (Array.isArray(value)) {
        const items = value as readonly unknown[];
        for (let index = 0; index < items.length; index++) {
          const item = items[index];
          const trail = item === undefined ? [] : firstIssue(item, depth + 1);
          if (trail !== undefined) return (trail.push(index), trail);
        }
        return undefined;
      }
      if (!isPlainObject(value)) return [];
      const record = value as Readonly<Record<string, unknown>>;
      for (const key in record) {
        if (!Object.prototype.hasOwnProperty.call(record, key)) continue;
        const member = record[key];
        if (member === undefined) continue;
        const trail = firstIssue(member, depth + 1);
        if (trail !== undefined) return (trail.push(key), trail);
      }
      return undefined;
    }
    default:
      return [];
  }
};

/**
 * The path of the first value JSON cannot carry faithfully (undefined in an array, NaN, Infinity,
 * a bigint, a function, a Date, a Map, nesting deeper than {@link MAX_JSON_DEPTH}, so also a
 * cycle…), or undefined when `value` is plain JSON. Object members that are undefined are
 * allowed: JSON leaves them out, and so does the hash. `path` prefixes the answer.
 */
export const firstNonJsonPath = (value: unknown, path = ''): string | undefined => {
  const trail = firstIssue(value, 0);
  if (trail === undefined) return undefined;
  const inner = trail.reverse().join('.');
  return path === '' ? inner : inner === '' ? path : `${path}.${inner}`;
};

/** Whether `value` is a plain object whose members are all JSON. */
export const isJsonObject = (value: unknown): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && firstIssue(value, 0) === undefined;

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
