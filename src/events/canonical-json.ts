import type { JsonValue } from './envelope.js';

/**
 * A canonical JSON encoding: object keys sorted by code unit, no insignificant white space,
 * numbers as JSON.stringify writes them. Two equal values always encode to the same string,
 * which is what makes a hash over it verifiable by any other implementation.
 */
export const canonicalJson = (value: JsonValue): string => {
  if (value === null || typeof value !== 'object') {
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) {
    return `[${(value as readonly JsonValue[]).map(canonicalJson).join(',')}]`;
  }
  const record = value as { readonly [key: string]: JsonValue };
  const keys = Object.keys(record).sort();
  const parts: string[] = [];
  for (const key of keys) {
    const member = record[key];
    if (member === undefined) continue;
    parts.push(`${JSON.stringify(key)}:${canonicalJson(member)}`);
  }
  return `{${parts.join(',')}}`;
};
