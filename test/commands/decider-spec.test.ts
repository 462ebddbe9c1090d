import { describe, expect, it } from 'vitest';
import type { Decider } from '../../src/events/decider.js';
import { deciderSpec, deepEqual } from '../../src/testing/decider-spec.js';
import { accountDecider } from '../commands/sample-domain.js';
import { left, right } from 'fp-ts/lib/Either.js';
import { forbidden } from '../../src/errors/sdk-error.js';

const spec = deciderSpec(accountDecider);
const deposited = (amount: bigint) => ({ type: 'Deposited' as const, data: { accountId: 'a', amount } });

describe('deciderSpec: given / when / then', () => {
  it('passes when decide returns the expected events, and returns them', () => {
    const events = spec.given([deposited(10n)]).when({ kind: 'withdraw', accountId: 'a', amount: 4n }).then([{ type: 'Withdrawn', data: { accountId: 'a', amount: 4n } }]);
    expect(events).toHaveLength(1);
    spec.given([]).when({ kind: 'deposit', accountId: 'a', amount: 1n }).thenState({ balance: 1n, refusals: 0 });
  });

  it('fails with both event lists shown (bigints too) when they differ', () => {
    expect(() => spec.given([deposited(10n)]).when({ kind: 'withdraw', accountId: 'a', amount: 4n }).then([{ type: 'Withdrawn', data: { accountId: 'a', amount: 5n } }])).toThrow(
      /expected: [\s\S]*"5n"[\s\S]*actual: [\s\S]*"4n"/,
    );
    expect(() => spec.given([]).when({ kind: 'deposit', accountId: 'a', amount: 1n }).thenState({ balance: 2n, refusals: 0 })).toThrow(/state after the decided events differs/);
  });

  it('checks errors by tag or by code', () => {
    type Facts = { readonly allowed: boolean };
    const guarded: Decider<string, number, string, Facts> = {
      initialState: 0,
      evolve: (state) => state + 1,
      decide: (command, _, facts) => (facts.allowed ? right([command]) : left(forbidden('no'))),
    };
    const guardedSpec = deciderSpec(guarded);
    expect(guardedSpec.given(['x']).when('go', { allowed: false }).thenError('Forbidden').message).toBe('no');
    guardedSpec.given([]).when('go', { allowed: false }).thenError('FORBIDDEN');
    expect(() => guardedSpec.given([]).when('go', { allowed: false }).thenError('NotFound')).toThrow('expected NotFound, but decide failed with Forbidden (FORBIDDEN): no');
    expect(() => guardedSpec.given([]).when('go', { allowed: true }).thenError('Forbidden')).toThrow('expected Forbidden, but decide returned events: [\n  "go"\n]');
    expect(() => guardedSpec.given([]).when('go', { allowed: false }).then(['go'])).toThrow('expected events, but decide failed with Forbidden (FORBIDDEN): no');
  });

  it('reports a decide that throws, and refuses to be awaited', () => {
    const throwing: Decider<string, number, string> = {
      initialState: 0,
      evolve: (state) => state,
      decide: () => {
        throw new Error('bug');
      },
    };
    const throwingSpec = deciderSpec(throwing);
    expect(() => throwingSpec.given([]).when('x').then([])).toThrow('decide threw instead of returning: bug');
    expect(() => throwingSpec.given([]).when('x').thenError('Forbidden')).toThrow('decide threw instead of returning: bug');
    const outcome = spec.given([]).when({ kind: 'deposit', accountId: 'a', amount: 1n });
    expect(() => { (outcome.then as unknown as (resolve: () => void) => void)(() => undefined); }).toThrow('synchronous');
  });

  it('deepEqual compares structurally', () => {
    expect(deepEqual({ a: [1, { b: 2n }], c: undefined }, { a: [1, { b: 2n }] })).toBe(true);
    expect(deepEqual({ a: 1 }, { a: 2 })).toBe(false);
    expect(deepEqual([1, 2], [1])).toBe(false);
    expect(deepEqual([1], { 0: 1 })).toBe(false);
    expect(deepEqual(new Date(5), new Date(5))).toBe(true);
    expect(deepEqual(new Date(5), 5)).toBe(false);
    expect(deepEqual(Number.NaN, Number.NaN)).toBe(true);
    expect(deepEqual({ a: 1 }, { b: 1 })).toBe(false);
    expect(deepEqual(new Map(), new Map([[1, 2]]))).toBe(false);
  });
});
