import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { SharedMap } from '../../src/collections/shared-map.js';

type Step = { readonly op: 'with'; readonly key: string; readonly value: number } | { readonly op: 'without'; readonly key: string };

const steps = fc.array(
  fc.oneof(
    fc.record({ op: fc.constant('with' as const), key: fc.string({ maxLength: 3 }), value: fc.integer() }),
    fc.record({ op: fc.constant('without' as const), key: fc.string({ maxLength: 3 }) }),
  ),
  { maxLength: 200 },
);

describe('SharedMap', () => {
  it('reads like a Map after any sequence of with/without, and leaves every earlier map as it was', () => {
    fc.assert(
      fc.property(steps, (script: Step[]) => {
        let shared = SharedMap.empty<number>();
        const model = new Map<string, number>();
        const history: [SharedMap<number>, Map<string, number>][] = [];
        for (const step of script) {
          if (step.op === 'with') {
            shared = shared.with(step.key, step.value);
            model.set(step.key, step.value);
          } else {
            shared = shared.without(step.key);
            model.delete(step.key);
          }
          history.push([shared, new Map(model)]);
        }
        for (const [map, expected] of history) {
          expect(map.size).toBe(expected.size);
          expect(new Map(map)).toEqual(expected);
          for (const key of expected.keys()) expect(map.get(key)).toBe(expected.get(key));
        }
      }),
      { numRuns: 300 },
    );
  });

  it('is the same map when a change changes nothing', () => {
    const map = SharedMap.of([['a', 1]]);
    expect(map.with('a', 1)).toBe(map);
    expect(map.without('b')).toBe(map);
    expect([...map.keys()]).toEqual(['a']);
    expect([...map.values()]).toEqual([1]);
  });
});
