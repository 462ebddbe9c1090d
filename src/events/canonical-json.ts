import type { JsonValue } from './envelope.js';

const quote = (text: string): string => JSON.stringify(text);

const canonicalObject = (record: { readonly [key: string]: JsonValue }): string => {
  const keys = Object.keys(record).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    out += first ? `${quote(key)}:${canonicalJson(member)}` : `,${quote(key)}:${canonicalJson(member)}`;
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
