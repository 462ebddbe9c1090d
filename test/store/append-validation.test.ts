import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { NewEvent } from '../../src/events/envelope.js';
import { checkAppend } from '../../src/store/append-validation.js';
import { checkExpectedVersion, describeExpectedVersion, expectedVersionMatches } from '../../src/store/expected-version.js';
import { inMemoryEventStore } from '../../src/store/in-memory-event-store.js';
import { firstNonJsonPath, frozenJsonCopy, isJsonObject } from '../../src/events/json-check.js';

const event = (commandId = 'c-1'): NewEvent => ({
  eventId: 'e-1',
  type: 'T',
  schemaVersion: 1,
  data: { a: 1 },
  metadata: { commandId, correlationId: commandId, causationId: commandId, actor: { kind: 'system' }, occurredAt: '2025-01-01T00:00:00.000Z' },
});

const message = (writes: unknown): string => {
  const result = checkAppend(writes);
  return result._tag === 'Left' ? result.left.message : 'accepted';
};

describe('checkAppend', () => {
  it('accepts a sound batch and reports its command', () => {
    expect(checkAppend([{ streamId: 's', expectedVersion: 0, events: [event(), event()] }, { streamId: 't', expectedVersion: 'any', events: [] }])).toEqual({
      _tag: 'Right',
      right: { commandId: 'c-1', eventCount: 2 },
    });
    expect(checkAppend([])).toEqual({ _tag: 'Right', right: { commandId: undefined, eventCount: 0 } });
  });

  it.each([
    ['not an array', { streamId: 's' }, 'writes must be an array'],
    ['a write that is not an object', [null], 'writes.0 must be an object'],
    ['an empty stream id', [{ streamId: '', expectedVersion: 0, events: [] }], 'writes.0.streamId'],
    ['a fractional expected version', [{ streamId: 's', expectedVersion: 1.5, events: [] }], 'writes.0.expectedVersion'],
    ['an unknown expectation', [{ streamId: 's', expectedVersion: 'latest', events: [] }], 'writes.0.expectedVersion'],
    ['events that are not an array', [{ streamId: 's', expectedVersion: 0, events: {} }], 'writes.0.events must be an array'],
    ['an event that is not an object', [{ streamId: 's', expectedVersion: 0, events: ['x'] }], 'writes.0.events.0 must be an event object'],
    ['no event id', [{ streamId: 's', expectedVersion: 0, events: [{ ...event(), eventId: '' }] }], 'eventId'],
    ['no type', [{ streamId: 's', expectedVersion: 0, events: [{ ...event(), type: 7 }] }], 'type'],
    ['schema version 0', [{ streamId: 's', expectedVersion: 0, events: [{ ...event(), schemaVersion: 0 }] }], 'schemaVersion'],
    ['data that is an array', [{ streamId: 's', expectedVersion: 0, events: [{ ...event(), data: [1] }] }], 'data must be a JSON object'],
    ['data with NaN', [{ streamId: 's', expectedVersion: 0, events: [{ ...event(), data: { x: { y: Number.NaN } } }] }], 'writes.0.events.0.data.x.y is not plain JSON'],
    ['no metadata', [{ streamId: 's', expectedVersion: 0, events: [{ ...event(), metadata: null }] }], 'metadata must be an object'],
    ['no command id', [{ streamId: 's', expectedVersion: 0, events: [{ ...event(), metadata: { ...event().metadata, commandId: '' } }] }], 'metadata.commandId'],
    ['no occurredAt', [{ streamId: 's', expectedVersion: 0, events: [{ ...event(), metadata: { ...event().metadata, occurredAt: 1 } }] }], 'metadata.occurredAt'],
    ['no actor', [{ streamId: 's', expectedVersion: 0, events: [{ ...event(), metadata: { ...event().metadata, actor: 'me' } }] }], 'metadata.actor'],
    ['metadata with a function', [{ streamId: 's', expectedVersion: 0, events: [{ ...event(), metadata: { ...event().metadata, actor: { kind: () => 1 } } }] }], 'metadata.actor.kind is not plain JSON'],
    ['two command ids', [{ streamId: 's', expectedVersion: 0, events: [event('a'), event('b')] }], 'writes.0.events.1.metadata.commandId differs'],
    ['a stream twice', [{ streamId: 's', expectedVersion: 0, events: [] }, { streamId: 's', expectedVersion: 'any', events: [] }], 'writes.1.streamId names a stream'],
  ])('rejects %s, naming where', (_, writes, expected) => {
    expect(message(writes)).toContain(expected);
    expect(message(writes)).toMatch(/^invalid append: /);
  });
});

describe('JSON checks', () => {
  it('firstNonJsonPath finds what JSON cannot carry', () => {
    const cyclic: Record<string, unknown> = { a: 1 };
    cyclic.self = cyclic;
    expect(firstNonJsonPath({ a: [1, 'x', null, { b: true }], skipped: undefined })).toBeUndefined();
    expect(firstNonJsonPath({ a: [1, undefined] })).toBe('a.1');
    // eslint-disable-next-line no-sparse-arrays
    expect(firstNonJsonPath({ a: [1, , 3] })).toBe('a.1');
    expect(firstNonJsonPath({ a: Infinity })).toBe('a');
    expect(firstNonJsonPath({ a: { b: 2n } })).toBe('a.b');
    expect(firstNonJsonPath({ when: new Date() })).toBe('when');
    expect(firstNonJsonPath({ map: new Map() })).toBe('map');
    expect(firstNonJsonPath({ symbol: Symbol('x') })).toBe('symbol');
    expect(firstNonJsonPath(cyclic)).toMatch(/^self(\.self)+$/);
    expect(firstNonJsonPath({ deep: JSON.parse('['.repeat(70) + ']'.repeat(70)) as unknown })).toMatch(/^deep(\.0)+$/);
    expect(firstNonJsonPath({ deep: JSON.parse('['.repeat(60) + ']'.repeat(60)) as unknown })).toBeUndefined();
    expect(firstNonJsonPath(Number.NaN, 'root')).toBe('root');
    expect(firstNonJsonPath(Object.assign(Object.create(null) as object, { ok: 1 }))).toBeUndefined();
    const shared = { x: 1 };
    expect(firstNonJsonPath({ one: shared, two: shared })).toBeUndefined();
  });

  it('isJsonObject accepts only plain JSON objects', () => {
    expect(isJsonObject({ a: [1] })).toBe(true);
    expect(isJsonObject([1])).toBe(false);
    expect(isJsonObject(null)).toBe(false);
    expect(isJsonObject('x')).toBe(false);
    expect(isJsonObject({ a: Number.NaN })).toBe(false);
  });

  it('frozenJsonCopy is an equal, deeply frozen, independent copy', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        const copy = frozenJsonCopy(value as never);
        expect(copy).toEqual(value);
        const check = (node: unknown): void => {
          if (node !== null && typeof node === 'object') {
            expect(Object.isFrozen(node)).toBe(true);
            Object.values(node).forEach(check);
          }
        };
        check(copy);
      }),
      { numRuns: 500 },
    );
    const parsed = JSON.parse('{"__proto__": {"polluted": true}, "a": 1}') as Record<string, unknown>;
    const copy = frozenJsonCopy(parsed as never) as Record<string, unknown>;
    expect(Object.keys(copy)).toEqual(['__proto__', 'a']);
    expect(Object.getPrototypeOf(copy)).toBe(Object.prototype);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe('expected versions', () => {
  it('match, describe and report conflicts', () => {
    expect(expectedVersionMatches('any', 7)).toBe(true);
    expect(expectedVersionMatches('no-stream', 0)).toBe(true);
    expect(expectedVersionMatches('no-stream', 1)).toBe(false);
    expect(expectedVersionMatches(0, 0)).toBe(true);
    expect(expectedVersionMatches(2, 3)).toBe(false);
    expect(describeExpectedVersion(4)).toBe('4');
    expect(describeExpectedVersion('any')).toBe('any');
    expect(checkExpectedVersion('s', 2, 2)).toBeUndefined();
    expect(checkExpectedVersion('s', 'no-stream', 3)).toMatchObject({ _tag: 'ConcurrencyConflict', streamId: 's', expected: 'no-stream', actual: 3 });
  });
});

describe('in-memory event store edges', () => {
  it('turns a throwing writer object into an Infrastructure error, storing nothing', async () => {
    const store = inMemoryEventStore();
    const hostile = { ...event(), data: {} };
    Object.defineProperty(hostile.data, 'boom', {
      enumerable: true,
      get: () => {
        throw new Error('getter exploded');
      },
    });
    const result = await store.append([{ streamId: 's', expectedVersion: 'any', events: [hostile] }])();
    expect(result).toMatchObject({ _tag: 'Left', left: { _tag: 'Infrastructure', message: 'in-memory event store append failed: Error thrown' } });
    expect(await store.readAll({ fromPosition: 0, limit: 10 })()).toEqual({ _tag: 'Right', right: [] });
  });

  it('reads fractional ranges and positions as the versions and positions they include', async () => {
    const store = inMemoryEventStore();
    await store.append([{ streamId: 's', expectedVersion: 'any', events: [event('c1'), { ...event('c1'), eventId: 'e-2' }, { ...event('c1'), eventId: 'e-3' }] }])();
    const versions = async (options: { from?: number; to?: number }): Promise<number[]> => {
      const result = await store.readStream('s', options)();
      return result._tag === 'Right' ? result.right.map((e) => e.streamVersion) : [];
    };
    expect(await versions({ from: 1.5, to: 2.5 })).toEqual([2]);
    expect(await versions({ from: -3 })).toEqual([1, 2, 3]);
    const positions = await store.readAll({ fromPosition: 1.5, limit: 1.9 })();
    expect(positions._tag === 'Right' && positions.right.map((e) => e.globalPosition)).toEqual([2]);
    const negative = await store.readAll({ fromPosition: -10, limit: 2 })();
    expect(negative._tag === 'Right' && negative.right.map((e) => e.globalPosition)).toEqual([1, 2]);
  });
});
