import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { orderFingerprint } from '../../src/domain/order/fingerprint.js';

const base = { kind: 'file' as const, reference: 'NOMINA_ENERO.TXT', transactionCount: 120, total: '15230.75', currency: 'USD' };

describe('order content fingerprint', () => {
  it('is 64 hex digits and ignores case, surrounding spaces and Unicode composition of the reference', () => {
    const fingerprint = orderFingerprint(base);
    expect(fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(orderFingerprint({ ...base, reference: '  nomina_enero.txt ' })).toBe(fingerprint);
    expect(orderFingerprint({ ...base, reference: 'Pago Ño\u0303' })).toBe(orderFingerprint({ ...base, reference: 'pago ñõ' }));
  });

  it('changes with any part of the content', () => {
    const fingerprint = orderFingerprint(base);
    for (const change of [{ kind: 'single' as const }, { reference: 'NOMINA_FEB.TXT' }, { transactionCount: 121 }, { total: '15230.76' }, { currency: 'EUR' }]) {
      expect(orderFingerprint({ ...base, ...change })).not.toBe(fingerprint);
    }
  });

  it('does not let one field bleed into another', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (a, b) => {
        if (a.trim().toLowerCase() === b.trim().toLowerCase()) return;
        expect(orderFingerprint({ ...base, reference: a })).not.toBe(orderFingerprint({ ...base, reference: b }));
      }),
      { numRuns: 500 },
    );
    expect(orderFingerprint({ ...base, reference: 'a","currency":"EUR' })).not.toBe(orderFingerprint({ ...base, reference: 'a', currency: 'EUR' }));
  });
});
