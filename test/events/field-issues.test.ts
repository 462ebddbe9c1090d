import * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import { isSecretPath, pathOf, validationIssues } from '../../src/events/field-issues.js';

const issuesOf = (codec: t.Decoder<unknown, unknown>, value: unknown, secrets?: readonly string[]) => {
  const result = codec.decode(value);
  if (result._tag === 'Right') throw new Error('expected a failure');
  return validationIssues(result.left, secrets);
};

const approval = t.type({ orderId: t.string, level: t.union([t.literal(1), t.literal(2)]) });
const command = t.intersection([t.type({ type: t.literal('ApproveOrders'), approvals: t.array(approval) }), t.partial({ otp: t.string, note: t.string })]);

describe('validation issues', () => {
  it('paths are fields and indexes, without the union and intersection branches', () => {
    expect(issuesOf(command, { type: 'ApproveOrders', approvals: [{ orderId: 'o-1', level: 1 }, { orderId: 7, level: 3 }], note: 5 })).toEqual([
      { path: 'approvals.1.orderId', message: 'expected string' },
      { path: 'approvals.1.level', message: 'expected 1 or expected 2' },
      { path: 'note', message: 'expected string' },
    ]);
  });

  it('a missing field is reported as required; a wrong root names the root', () => {
    expect(issuesOf(t.type({ a: t.string }), {})).toEqual([{ path: 'a', message: 'required: expected string' }]);
    expect(issuesOf(t.type({ a: t.string }), 'text')).toEqual([{ path: '', message: 'expected { a: string }' }]);
    expect(pathOf([])).toBe('');
  });

  it('never contains the supplied value, and hides custom messages on secret paths', () => {
    const otp = new t.Type<string, string, unknown>(
      'Otp',
      (value): value is string => typeof value === 'string',
      (value, context) => (typeof value === 'string' && /^[0-9]{6}$/.test(value) ? t.success(value) : t.failure(value, context, `not a code: ${String(value)}`)),
      (value) => value,
    );
    const codec = t.type({ otp, label: otp });
    const issues = issuesOf(codec, { otp: '12345x', label: 'abc' }, ['otp']);
    expect(issues).toEqual([
      { path: 'otp', message: 'expected Otp' },
      { path: 'label', message: 'not a code: abc' },
    ]);
    expect(JSON.stringify(issues)).not.toContain('12345x');
  });

  it('secret paths match nested fields and wildcards', () => {
    expect(isSecretPath('otp', ['otp'])).toBe(true);
    expect(isSecretPath('codes.0', ['codes'])).toBe(true);
    expect(isSecretPath('orders.3.otp', ['orders.*.otp'])).toBe(true);
    expect(isSecretPath('orders.3.amount', ['orders.*.otp'])).toBe(false);
    expect(isSecretPath('otpHint', ['otp'])).toBe(false);
    expect(isSecretPath('a', ['a.b'])).toBe(false);
  });

  it('lists at most 20 issues', () => {
    const wide = t.type(Object.fromEntries(Array.from({ length: 30 }, (_, i) => [`f${String(i)}`, t.string])));
    expect(issuesOf(wide, {})).toHaveLength(20);
  });
});
