/**
 * The approval digest and the OCRA challenge derived from it (issue 16): the documented worked
 * example, what changes the digest (everything an approver is shown) and what does not (the
 * order in which orders are listed, the spelling of an amount), and the errors.
 */
import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DYNAMIC_LINKING_SUITE, ocraChallengeOf } from '../../src/domain/order/approval-challenge.js';
import type { ApprovalBatch, ApprovalDigest, ApprovalOrder, PaymentLine } from '../../src/domain/order/approval-digest.js';
import { APPROVAL_DIGEST_PREFIX, approvalDigest } from '../../src/domain/order/approval-digest.js';
import { ocra, verifyOcra } from '../../src/otp/ocra.js';

const KEY32 = new TextEncoder().encode('12345678901234567890123456789012');

const digestOf = (batch: ApprovalBatch): ApprovalDigest => {
  const result = approvalDigest(batch);
  if (result._tag === 'Left') throw new Error(JSON.stringify(result.left));
  return result.right;
};
const challengeOf = (digest: ApprovalDigest, suite: string): string => {
  const result = ocraChallengeOf(digest, suite);
  if (result._tag === 'Left') throw new Error(JSON.stringify(result.left));
  return result.right;
};
const issuesOf = (batch: unknown): unknown => {
  const result = approvalDigest(batch as ApprovalBatch);
  return result._tag === 'Left' && result.left._tag === 'InvalidCommand' ? result.left.issues : result;
};

// The worked example of docs/dynamic-linking.md.
const example: ApprovalBatch = {
  companyId: 'ACME',
  orders: [
    {
      orderId: 'PROV-0007',
      currency: 'EUR',
      payments: [{ payeeName: 'Papelería Sol S.L.', account: 'ES7620770024003102575766', amount: '312.40', currency: 'EUR', reference: 'Factura 2026/118' }],
    },
    {
      orderId: 'NOMINA-2026-12',
      currency: 'EUR',
      payments: [
        { payeeName: 'Ana García', account: 'ES9121000418450200051332', amount: '1850.00', currency: 'EUR', reference: 'Nómina diciembre' },
        { payeeName: 'Luis Pérez', account: '0049-1500-05-1234567890', bank: 'BSCHESMM', amount: '2100.5', currency: 'EUR', reference: 'Nómina diciembre' },
      ],
    },
  ],
};
const EXAMPLE_DOCUMENT =
  '{"companyId":"ACME","orderCount":2,"orders":[' +
  '{"currency":"EUR","orderId":"NOMINA-2026-12","paymentCount":2,"payments":[' +
  '{"account":"ES9121000418450200051332","amountMinor":"185000","bank":null,"currency":"EUR","payeeName":"Ana García","reference":"Nómina diciembre"},' +
  '{"account":"0049-1500-05-1234567890","amountMinor":"210050","bank":"BSCHESMM","currency":"EUR","payeeName":"Luis Pérez","reference":"Nómina diciembre"}],' +
  '"totals":{"EUR":"395050"}},' +
  '{"currency":"EUR","orderId":"PROV-0007","paymentCount":1,"payments":[' +
  '{"account":"ES7620770024003102575766","amountMinor":"31240","bank":null,"currency":"EUR","payeeName":"Papelería Sol S.L.","reference":"Factura 2026/118"}],' +
  '"totals":{"EUR":"31240"}}],' +
  '"paymentCount":3,"totals":{"EUR":"426290"},"version":1}';
const EXAMPLE_SHA256 = '873723039902ce1002bf53e1341625f5efeb4f4fcf66eaf91665be4a72d67921';

describe('the worked example of docs/dynamic-linking.md', () => {
  it('hashes the prefix and the canonical document, as any other implementation can', () => {
    const independent = createHash('sha256').update(`softtoken-sdk/approval-digest/v1\n${EXAMPLE_DOCUMENT}`, 'utf8').digest('hex');
    expect(independent).toBe(EXAMPLE_SHA256);
    expect(APPROVAL_DIGEST_PREFIX).toBe('softtoken-sdk/approval-digest/v1\n');
    expect(digestOf(example)).toEqual({ version: 1, sha256: EXAMPLE_SHA256 });
  });

  it('derives the questions of the suites the document discusses', () => {
    const digest = digestOf(example);
    expect(DYNAMIC_LINKING_SUITE).toBe('OCRA-1:HOTP-SHA256-8:QH64-T1M');
    expect(challengeOf(digest, DYNAMIC_LINKING_SUITE)).toBe(EXAMPLE_SHA256.toUpperCase());
    expect(challengeOf(digest, 'OCRA-1:HOTP-SHA256-8:QH40-T1M')).toBe(EXAMPLE_SHA256.slice(0, 40).toUpperCase());
    const qn08 = (BigInt(`0x${EXAMPLE_SHA256}`) % 100_000_000n).toString().padStart(8, '0');
    expect(challengeOf(digest, 'OCRA-1:HOTP-SHA256-8:QN08-T1M')).toBe(qn08);
    expect(qn08).toBe('12876065');
    expect(challengeOf(digest, 'OCRA-1:HOTP-SHA1-6:QA10')).toMatch(/^[0-9A-Z]{10}$/);
    // The response of the example, at 2026-12-03 17:30 UTC, with the RFC's 32-byte key.
    expect(ocra(DYNAMIC_LINKING_SUITE, KEY32, { question: challengeOf(digest, DYNAMIC_LINKING_SUITE), timeMs: Date.UTC(2026, 11, 3, 17, 30) })).toBe('42598875');
  });
});

describe('what does not change the digest', () => {
  it('the order in which the orders are listed, and the spelling of an amount', () => {
    const reversed = { ...example, orders: [...example.orders].reverse() };
    expect(digestOf(reversed)).toEqual(digestOf(example));
    const respelled: ApprovalBatch = {
      ...example,
      orders: example.orders.map((order) => ({ ...order, payments: order.payments.map((payment) => ({ ...payment, amount: payment.amount.replace(/\.40$/, '.4') })) })),
    };
    expect(digestOf(respelled)).toEqual(digestOf(example));
  });
});

describe('errors name the field, never the value', () => {
  const order = example.orders[0] as ApprovalOrder;
  const payment = order.payments[0] as PaymentLine;
  it.each([
    [{ companyId: '', orders: [order] }, [{ path: 'companyId', message: 'must be a non-empty string' }]],
    [{ companyId: 'ACME', orders: [] }, [{ path: 'orders', message: 'must be a non-empty array of orders' }]],
    [{ companyId: 'ACME', orders: [order, null] }, [{ path: 'orders.1', message: 'must be an order' }]],
    [{ companyId: 'ACME', orders: [order, { ...order }] }, [{ path: 'orders.1.orderId', message: 'repeats the id of orders.0' }]],
    [{ companyId: 'ACME', orders: [{ ...order, payments: [] }] }, [{ path: 'orders.0.payments', message: 'must be a non-empty array of payments' }]],
    [{ companyId: 'ACME', orders: [{ ...order, currency: 'XXX1' }] }, [{ path: 'orders.0.currency', message: 'must be an ISO 4217 currency code' }]],
    [
      { companyId: 'ACME', orders: [{ ...order, payments: [payment, { ...payment, amount: '12.345' }] }] },
      [{ path: 'orders.0.payments.1.amount', message: 'EUR allows at most 2 decimals' }],
    ],
    [{ companyId: 'ACME', orders: [{ ...order, payments: [{ ...payment, amount: '-1' }] }] }, [{ path: 'orders.0.payments.0.amount', message: expect.stringMatching(/decimal/) as unknown }]],
    [{ companyId: 'ACME', orders: [{ ...order, payments: [{ ...payment, payeeName: 'Ana \uD800' }] }] }, [{ path: 'orders.0.payments.0.payeeName', message: expect.stringMatching(/string/) as unknown }]],
    [{ companyId: 'ACME', orders: [{ ...order, payments: [{ ...payment, bank: '' }] }] }, [{ path: 'orders.0.payments.0.bank', message: 'must be a non-empty string when given' }]],
    [{ companyId: 'ACME', orders: [{ ...order, payments: [{ ...payment, account: 7 }] }] }, [{ path: 'orders.0.payments.0.account', message: expect.stringMatching(/string/) as unknown }]],
  ])('%#', (batch, issues) => {
    expect(issuesOf(batch)).toEqual(issues);
  });

  it('sees the holes of sparse arrays', () => {
    const orders: ApprovalOrder[] = new Array<ApprovalOrder>(2);
    orders[1] = order;
    expect(issuesOf({ companyId: 'ACME', orders })).toEqual([{ path: 'orders.0', message: 'must be an order' }]);
    const payments: PaymentLine[] = new Array<PaymentLine>(2);
    payments[0] = payment;
    expect(issuesOf({ companyId: 'ACME', orders: [{ ...order, payments }] })).toEqual([{ path: 'orders.0.payments.1', message: 'must be a payment' }]);
  });

  it('answers anything with a value', () => {
    const anything = fc.anything({ withBigInt: true, withNullPrototype: true, withTypedArray: true });
    fc.assert(
      fc.property(anything, anything, (a, b) => {
        expect(['Left', 'Right']).toContain(approvalDigest(a as ApprovalBatch)._tag);
        expect(['Left', 'Right']).toContain(approvalDigest({ companyId: 'ACME', orders: [a, b] } as unknown as ApprovalBatch)._tag);
        expect(['Left', 'Right']).toContain(approvalDigest({ companyId: 'ACME', orders: [{ orderId: 'x', currency: 'EUR', payments: [a, b] }] } as unknown as ApprovalBatch)._tag);
        expect(['Left', 'Right']).toContain(ocraChallengeOf(a as ApprovalDigest, b as string)._tag);
      }),
      { numRuns: 1000 },
    );
  });

  it('refuses a challenge for a digest of another shape, or a suite that is not one', () => {
    const digest = digestOf(example);
    expect(ocraChallengeOf({ ...digest, sha256: digest.sha256.toUpperCase() }, DYNAMIC_LINKING_SUITE)._tag).toBe('Left');
    expect(ocraChallengeOf({ version: 2, sha256: digest.sha256 } as unknown as ApprovalDigest, DYNAMIC_LINKING_SUITE)._tag).toBe('Left');
    const bad = ocraChallengeOf(digest, 'OCRA-1:HOTP-SHA256-8:QX64');
    expect(bad._tag === 'Left' && bad.left._tag === 'InvalidCommand' ? bad.left.issues[0]?.path : undefined).toBe('suite');
  });
});

// ---------------------------------------------------------------------------------------------
// any change to any field of any order changes the digest, the challenge and the response
// ---------------------------------------------------------------------------------------------

const CURRENCIES = ['EUR', 'USD'] as const; // both with 2 decimals, so an amount moves between them unchanged
const amountOf = (minor: number): string => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
const textArb = fc.string({ minLength: 1, maxLength: 12 });
const paymentArb: fc.Arbitrary<PaymentLine> = fc.record(
  {
    payeeName: textArb,
    account: textArb,
    bank: textArb,
    amount: fc.integer({ min: 1, max: 10_000_000 }).map(amountOf),
    currency: fc.constantFrom(...CURRENCIES),
    reference: fc.string({ maxLength: 12 }),
  },
  { requiredKeys: ['payeeName', 'account', 'amount', 'currency', 'reference'] },
);
const batchArb: fc.Arbitrary<ApprovalBatch> = fc.record({
  companyId: fc.constantFrom('ACME', 'OTHER'),
  orders: fc.uniqueArray(
    fc.record({ orderId: fc.string({ minLength: 1, maxLength: 6 }), currency: fc.constantFrom(...CURRENCIES), payments: fc.array(paymentArb, { minLength: 1, maxLength: 4 }) }),
    { minLength: 1, maxLength: 4, selector: (order) => order.orderId },
  ),
});

type Mutation = (batch: ApprovalBatch, pick: number, text: string) => ApprovalBatch | undefined;
const at = <T>(items: readonly T[], pick: number): [number, T] => {
  const index = pick % items.length;
  return [index, items[index] as T];
};
const withOrder = (batch: ApprovalBatch, pick: number, change: (order: ApprovalOrder) => ApprovalOrder | undefined): ApprovalBatch | undefined => {
  const [index, order] = at(batch.orders, pick);
  const changed = change(order);
  return changed === undefined ? undefined : { ...batch, orders: batch.orders.map((o, i) => (i === index ? changed : o)) };
};
const withPayment = (batch: ApprovalBatch, pick: number, change: (payment: PaymentLine) => PaymentLine): ApprovalBatch | undefined =>
  withOrder(batch, pick, (order) => {
    const [index, payment] = at(order.payments, Math.floor(pick / 7));
    return { ...order, payments: order.payments.map((p, i) => (i === index ? change(payment) : p)) };
  });
const differentText = (current: string | undefined, text: string): string => (text === current ? `${text}x` : text);
const minorOf = (amount: string): number => Math.round(Number(amount) * 100);

const mutations: Readonly<Record<string, Mutation>> = {
  'one cent more': (b, p) => withPayment(b, p, (pay) => ({ ...pay, amount: amountOf(minorOf(pay.amount) + 1) })),
  'one cent less': (b, p) => withPayment(b, p, (pay) => (minorOf(pay.amount) > 1 ? { ...pay, amount: amountOf(minorOf(pay.amount) - 1) } : { ...pay, amount: '0.02' })),
  'one payee character': (b, p) =>
    withPayment(b, p, (pay) => ({ ...pay, payeeName: pay.payeeName.slice(0, -1) + (pay.payeeName.endsWith('a') ? 'b' : 'a') })),
  'another account': (b, p, t) => withPayment(b, p, (pay) => ({ ...pay, account: differentText(pay.account, t) })),
  'another bank': (b, p, t) => withPayment(b, p, (pay) => ({ ...pay, bank: differentText(pay.bank, t) })),
  'bank removed or added': (b, p, t) =>
    withPayment(b, p, (pay) => {
      if (pay.bank === undefined) return { ...pay, bank: t };
      const { bank: _, ...rest } = pay;
      return rest;
    }),
  'another reference': (b, p, t) => withPayment(b, p, (pay) => ({ ...pay, reference: differentText(pay.reference, t) })),
  'another payment currency': (b, p) => withPayment(b, p, (pay) => ({ ...pay, currency: pay.currency === 'EUR' ? 'USD' : 'EUR' })),
  'another order currency': (b, p) => withOrder(b, p, (order) => ({ ...order, currency: order.currency === 'EUR' ? 'USD' : 'EUR' })),
  'another order id': (b, p, t) => {
    const ids = new Set(b.orders.map((order) => order.orderId));
    const id = ids.has(t) ? `${t}#${ids.size}` : t;
    return withOrder(b, p, (order) => ({ ...order, orderId: ids.has(id) ? `${id}~` : id }));
  },
  'a payment added': (b, p, t) => withOrder(b, p, (order) => ({ ...order, payments: [...order.payments, { payeeName: t, account: t, amount: '1.00', currency: 'EUR', reference: '' }] })),
  'a payment removed': (b, p) =>
    withOrder(b, p, (order) => (order.payments.length < 2 ? undefined : { ...order, payments: order.payments.filter((_, i) => i !== p % order.payments.length) })),
  'two payments swapped': (b, p) =>
    withOrder(b, p, (order) => {
      const [first, second] = order.payments;
      if (first === undefined || second === undefined || JSON.stringify(first) === JSON.stringify(second)) return undefined;
      return { ...order, payments: [second, first, ...order.payments.slice(2)] };
    }),
  'an order added': (b, _p, t) => ({
    ...b,
    orders: [...b.orders, { orderId: `${t}+${b.orders.map((o) => o.orderId).join('')}`, currency: 'EUR', payments: [{ payeeName: t, account: t, amount: '1.00', currency: 'EUR', reference: t }] }],
  }),
  'an order removed': (b, p) => (b.orders.length < 2 ? undefined : { ...b, orders: b.orders.filter((_, i) => i !== p % b.orders.length) }),
  'another company': (b) => ({ ...b, companyId: b.companyId === 'ACME' ? 'OTHER' : 'ACME' }),
};

describe('any change to any field of any order in a batch', () => {
  it('changes the digest, the QH64 challenge, and the response computed for the original is refused', () => {
    const timeMs = Date.UTC(2026, 11, 3, 17, 30);
    fc.assert(
      fc.property(batchArb, fc.constantFrom(...Object.keys(mutations)), fc.nat(), textArb, (batch, name, pick, text) => {
        const changed = mutations[name]?.(batch, pick, text);
        fc.pre(changed !== undefined);
        const before = digestOf(batch);
        const after = digestOf(changed);
        expect(after.sha256).not.toBe(before.sha256);
        const question = challengeOf(before, DYNAMIC_LINKING_SUITE);
        const changedQuestion = challengeOf(after, DYNAMIC_LINKING_SUITE);
        expect(changedQuestion).not.toBe(question);
        // The approver's app answered the original; the server checks against what it holds.
        const response = ocra(DYNAMIC_LINKING_SUITE, KEY32, { question, timeMs });
        expect(verifyOcra(DYNAMIC_LINKING_SUITE, KEY32, response, { question, timeMs })._tag).toBe('Right');
        expect(verifyOcra(DYNAMIC_LINKING_SUITE, KEY32, response, { question: changedQuestion, timeMs })).toEqual({ _tag: 'Left', left: { _tag: 'mismatch' } });
      }),
      { numRuns: 1000 },
    );
  });

  it('changes the QN08 challenge too, in each concrete case (a chance equality is 1 in 10^8)', () => {
    const suite = 'OCRA-1:HOTP-SHA256-8:QN08-T1M';
    const original = challengeOf(digestOf(example), suite);
    for (const [name, mutate] of Object.entries(mutations)) {
      const changed = mutate(example, 1, 'Z');
      if (changed === undefined) continue;
      expect(challengeOf(digestOf(changed), suite), name).not.toBe(original);
    }
  });
});
