import type { JsonValue } from './envelope.js';

const quote = (text: string): string => JSON.stringify(text);

// Event payloads repeat the same few keys: remember their quoted form (bounded, so hostile keys cannot grow it).
const quotedKeys = new Map<string, string>();
const QUOTED_KEYS_LIMIT = 4096;
const quoteKey = (key: string): string => {
  let quoted = quotedKeys.get(key);
  if (quoted === undefined) {
    quoted = quote(key);
    if (quotedKeys.size < QUOTED_KEYS_LIMIT) quotedKeys.set(key, quoted);
  }
  return quoted;
};

/** Keys in code-unit order (what Array.prototype.sort does for strings); insertion sort wins on the usual handful. */
const sortedKeys = (record: object): string[] => {
  const keys = Object.keys(record);
  if (keys.length > 16) return keys.sort();
  for (let index = 1; index < keys.length; index++) {
    const key = keys[index] as string;
    let at = index - 1;
    while (at >= 0 && (keys[at] as string) > key) {
      keys[at + 1] = keys[at] as string;
      at--;
    }
    keys[at + 1] = key;
  }
  return keys;
};

const canonicalObject = (record: { readonly [key: string]: JsonValue }): string => {
  const keys = sortedKeys(record);
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    out += first ? `${quoteKey(key)}:${canonicalJson(member)}` : `,${quoteKey(key)}:${canonicalJson(member)}`;
    first = false;
  }
  return `${out}}`;
};

const canonicalArray = (items: readonly JsonValue[]): string => {
  let out = '[';
  for (let index = 0; index < items.length; index++) {
    out += index === 0 ? canonicalJson(items[index] as JsonValue) : `,${canonicalJson(items[index] as JsonValue)}`;
  }
  return `${out}]`;
};

/**
 * A canonical JSON encoding: object keys sorted by code unit, no insignificant white space,
 * numbers as JSON.stringify writes them. Two equal values always encode to the same string,
 * which is what makes a hash over it verifiable by any other implementation.
 */
export const canonicalJson = (value: JsonValue): string => {
  if (typeof value === 'string') return quote(value);
  // Values JSON cannot carry (undefined) are written as JSON.stringify writes them inside arrays.
  if ((value as JsonValue | undefined) === undefined) return 'null';
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  return Array.isArray(value) ? canonicalArray(value as readonly JsonValue[]) : canonicalObject(value as { readonly [key: string]: JsonValue });
};
