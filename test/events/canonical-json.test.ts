import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from '../../src/events/canonical-json.js';
import type { JsonValue } from '../../src/events/envelope.js';

const json = fc.jsonValue({ noUnicodeString: false }) as fc.Arbitrary<JsonValue>;

const shuffleKeys = (value: JsonValue): JsonValue => {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return (value as readonly JsonValue[]).map(shuffleKeys);
  const record = value as Record<string, JsonValue>;
  return Object.fromEntries(Object.keys(record).reverse().map((key) => [key, shuffleKeys(record[key]!)]));
};

describe('canonicalJson', () => {
  it('is valid JSON that parses back to the same value', () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(JSON.parse(canonicalJson(value))).toEqual(JSON.parse(JSON.stringify(value)));
      }),
      { numRuns: 2000 },
    );
  });

  it('does not depend on the order keys were inserted in', () => {
    fc.assert(
      fc.property(json, (value) => {
        expect(canonicalJson(shuffleKeys(value))).toBe(canonicalJson(value));
      }),
      { numRuns: 2000 },
    );
  });

  it('sorts keys and leaves out no-space separators', () => {
    expect(canonicalJson({ b: 1, a: [true, null, 'x'], c: { z: 0, y: -1.5 } })).toBe('{"a":[true,null,"x"],"b":1,"c":{"y":-1.5,"z":0}}');
  });
});

describe('canonicalJson against its definition', () => {
  const reference = (value: JsonValue): string => {
    if (value === null || typeof value !== 'object') return JSON.stringify(value);
    if (Array.isArray(value)) return `[${(value as readonly JsonValue[]).map(reference).join(',')}]`;
    const record = value as Readonly<Record<string, JsonValue>>;
    return `{${Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${reference(record[key]!)}`)
      .join(',')}}`;
  };

  it('equals the obvious implementation (wide objects and unicode keys included)', () => {
    const wide = fc.dictionary(fc.string({ unit: 'binary' }), fc.jsonValue(), { maxKeys: 40 }) as fc.Arbitrary<JsonValue>;
    fc.assert(
      fc.property(fc.oneof(json, wide), (value) => {
        expect(canonicalJson(value)).toBe(reference(value));
      }),
      { numRuns: 2000 },
    );
  });
});
