import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { respondToApproval } from '../../src/device/index.js';
import { defaultApprovalFactorPolicy } from '../../src/domain/agreement/approval-factor.js';
import type { AgreementState } from '../../src/domain/agreement/state.js';
import { emptyMap } from '../../src/collections/persistent-map.js';
import type { ApprovalFactorNeeded } from '../../src/domain/order/approval-factor.js';
import { approvalBatchOf, approvalFactorOf } from '../../src/domain/order/approval-factor.js';
import type { PaymentLine } from '../../src/domain/order/approval-digest.js';
import type { Order } from '../../src/domain/order/state.js';
import type { CurrencyCode } from '../../src/money/currencies.js';
import { builtInOtpEngine } from '../../src/otp/built-in-engine.js';
import { inMemorySecretVault } from '../../src/ports/in-memory-secret-vault.js';

// The server's path end to end, without the runtime: the orders as their streams hold them, the
// factor and question the approval handler derives from them, the built-in engine's verifyOcra
// (seed from the vault, key derived); and the app's response over the batch it was shown.

const SEED = Uint8Array.from({ length: 20 }, (_, i) => i + 1);
const vault = inMemorySecretVault();
void vault.put('seed-1', SEED);
const engine = builtInOtpEngine(vault);
const NOW = Date.UTC(2026, 11, 3, 17, 30);

const agreement: AgreementState = {
  status: 'registered',
  companyId: 'ACME',
  serviceId: 'NOMINA',
  approvalLevels: 1,
  approvalFactor: { ...defaultApprovalFactorPolicy, approvalFactor: 'dynamic-linking' },
  grants: emptyMap(),
  liveOrders: emptyMap(),
  liveByFingerprint: emptyMap(),
};

const amountOf = (minor: number): string => `${Math.floor(minor / 100)}.${String(minor % 100).padStart(2, '0')}`;
const minorOf = (amount: string): number => Math.round(Number(amount) * 100);
const paymentArb: fc.Arbitrary<PaymentLine> = fc.record({
  payeeName: fc.string({ minLength: 1, maxLength: 10 }),
  account: fc.constantFrom('ES9121000418450200051332', 'DE89370400440532013000', '0049-1500-05'),
  amount: fc.integer({ min: 1, max: 10_000_000 }).map(amountOf),
  currency: fc.constant('EUR'),
  reference: fc.string({ maxLength: 10 }),
});
const orderArb = (orderId: string): fc.Arbitrary<Order> =>
  fc.array(paymentArb, { minLength: 1, maxLength: 5 }).map((payments) => ({
    status: 'pending-approval',
    orderId,
    companyId: 'ACME',
    serviceId: 'NOMINA',
    kind: 'file',
    reference: `${orderId}.xml`,
    transactionCount: payments.length,
    total: amountOf(payments.reduce((sum, payment) => sum + minorOf(payment.amount), 0)),
    currency: 'EUR' as CurrencyCode,
    uploadedBy: 'up',
    uploadedAt: '2026-12-01T09:00:00.000Z',
    requiredLevels: 1,
    fingerprint: '0'.repeat(64),
    possibleDuplicate: false,
    duplicateOf: [],
    approvals: [],
    payments,
  }));
const batchArb = fc.integer({ min: 1, max: 4 }).chain((count) => fc.tuple(...Array.from({ length: count }, (_, i) => orderArb(`O${i}`))));

type Mutation = (orders: readonly Order[], pick: number) => readonly Order[];
const onPayment = (orders: readonly Order[], pick: number, change: (payment: PaymentLine) => PaymentLine): readonly Order[] =>
  orders.map((order, i) =>
    i !== pick % orders.length ? order : { ...order, payments: (order.payments ?? []).map((p, j) => (j === Math.floor(pick / 5) % (order.payments ?? []).length ? change(p) : p)) },
  );
const mutations: Readonly<Record<string, Mutation>> = {
  'one cent more': (o, p) => onPayment(o, p, (pay) => ({ ...pay, amount: amountOf(minorOf(pay.amount) + 1) })),
  'one payee character': (o, p) => onPayment(o, p, (pay) => ({ ...pay, payeeName: `${pay.payeeName.slice(0, -1)}${pay.payeeName.endsWith('Z') ? 'Y' : 'Z'}` })),
  'another account': (o, p) => onPayment(o, p, (pay) => ({ ...pay, account: pay.account === 'FR1420041010050500013M02606' ? 'ES7620770024003102575766' : 'FR1420041010050500013M02606' })),
  'another reference': (o, p) => onPayment(o, p, (pay) => ({ ...pay, reference: `${pay.reference}.` })),
  'a bank added': (o, p) => onPayment(o, p, (pay) => ({ ...pay, bank: pay.bank === undefined ? 'BSCHESMM' : `${pay.bank}X` })),
  'a payment added': (o, p) => o.map((order, i) => (i === p % o.length ? { ...order, payments: [...(order.payments ?? []), { payeeName: 'M', account: 'DE89370400440532013000', amount: '0.01', currency: 'EUR', reference: '' }] } : order)),
  'an order added': (o) => [...o, { ...(o[0] as Order), orderId: 'EXTRA' }],
  'an order removed': (o, p) => (o.length > 1 ? o.filter((_, i) => i !== p % o.length) : [...o, { ...(o[0] as Order), orderId: 'EXTRA' }]),
  'another order id': (o, p) => o.map((order, i) => (i === p % o.length ? { ...order, orderId: `${order.orderId}x` } : order)),
};

const linkingOf = (orders: readonly Order[]): Extract<ApprovalFactorNeeded, { _tag: 'dynamic-linking' }> => {
  const factor = approvalFactorOf('ACME', orders.map((order) => ({ order, agreement })));
  if (E.isLeft(factor) || factor.right._tag !== 'dynamic-linking') throw new Error('expected dynamic linking');
  return factor.right;
};
const verify = async (orders: readonly Order[], response: string) => {
  const linking = linkingOf(orders);
  const answer = engine.verifyOcra?.({ serial: 'S', seedRef: 'seed-1', suite: linking.suite, question: linking.question, response, timeMs: NOW });
  return answer === undefined ? undefined : await answer;
};

describe('any change to any field of any order in a batch, on the server path', () => {
  it('changes the digest the server derives and the app response for the original batch is refused', async () => {
    await fc.assert(
      fc.asyncProperty(batchArb, fc.constantFrom(...Object.keys(mutations)), fc.nat(), async (orders, name, pick) => {
        const shown = approvalBatchOf('ACME', orders);
        if (E.isLeft(shown)) throw new Error(shown.left.message);
        const answer = respondToApproval(SEED, shown.right, NOW);
        if (E.isLeft(answer)) throw new Error(answer.left.message);
        const changed = mutations[name]?.(orders, pick) ?? orders;
        expect(linkingOf(changed).digest.sha256).not.toBe(linkingOf(orders).digest.sha256);
        expect((await verify(orders, answer.right.response))?._tag).toBe('Right');
        expect(await verify(changed, answer.right.response)).toEqual({ _tag: 'Left', left: { _tag: 'mismatch' } });
      }),
      { numRuns: 300 },
    );
  });
});
