import { readFileSync } from 'node:fs';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { Pain001File } from '../../src/domain/order/pain001.js';
import { MAX_PAIN001_DEPTH, parsePain001, uploadOrderFromPain001 } from '../../src/domain/order/pain001.js';
import { bank, harness, person, user } from '../sdk/harness.js';
import { payrollPayments, writePain001 } from '../fixtures/pain001/write.js';

const fixture = (name: string): string => readFileSync(new URL(`../fixtures/pain001/${name}`, import.meta.url), 'utf8');
const FIXTURES = [
  ['payroll.pain.001.001.03.xml', '03'],
  ['suppliers.pain.001.001.09.xml', '09'],
] as const;

const parsed = (xml: string): Pain001File => {
  const file = parsePain001(xml);
  if (E.isLeft(file)) throw new Error(JSON.stringify(file.left));
  return file.right;
};
const issuesOf = (xml: string | Uint8Array): readonly { readonly path: string; readonly message: string }[] => {
  const file = parsePain001(xml);
  if (E.isRight(file)) throw new Error('the file was accepted');
  expect(file.left.code).toBe('INVALID_COMMAND');
  return file.left._tag === 'InvalidCommand' ? file.left.issues : [];
};

const namespace = (version: string): string => `urn:iso:std:iso:20022:tech:xsd:pain.001.001.${version}`;

describe('pain.001 files', () => {
  it.each(FIXTURES)('%s round trips: parsed, written again and parsed, the same payments and header', (name, version) => {
    const first = parsed(fixture(name));
    expect(first.version).toBe(`pain.001.001.${version}`);
    const again = parsed(writePain001(first.payments, { version, messageId: first.messageId }));
    expect(again.payments).toEqual(first.payments);
    expect(again.messageId).toBe(first.messageId);
    expect(again.numberOfTransactions).toBe(first.numberOfTransactions);
  });

  it('reads the payroll fixture into the payee, account (IBAN, or local number with its bank), amount and reference', () => {
    const file = parsed(fixture('payroll.pain.001.001.03.xml'));
    expect(file.payments).toEqual([
      { payeeName: 'Ana García', account: 'ES9121000418450200051332', amount: '1850.00', currency: 'EUR', reference: 'Nómina diciembre' },
      { payeeName: 'Luis Pérez', account: '0049-1500-05-1234567890', bank: 'BSCHESMM', amount: '2100.50', currency: 'EUR', reference: 'Nómina diciembre' },
      { payeeName: 'Marta Ruiz & Hijos', account: 'ES7620770024003102575766', amount: '990.00', currency: 'EUR', reference: 'NOM-12-0003' },
    ]);
  });

  it('checks the file and each payment block against their declared count and control sum', () => {
    const payments = payrollPayments(5);
    expect(issuesOf(writePain001(payments, { version: '03', messageId: 'X', numberOfTransactions: '6' })).map((issue) => issue.path)).toEqual(['GrpHdr.NbOfTxs']);
    expect(issuesOf(writePain001(payments, { version: '09', messageId: 'X', controlSum: '1.00' })).map((issue) => issue.path)).toEqual(['GrpHdr.CtrlSum']);
    const suppliers = fixture('suppliers.pain.001.001.09.xml').replace('<CtrlSum>562.40</CtrlSum>', '<CtrlSum>562.41</CtrlSum>');
    expect(issuesOf(suppliers).map((issue) => issue.path)).toEqual(['PmtInf.0.CtrlSum']);
  });

  it('names the transaction and field of a bad payment, with its line', () => {
    const payments = payrollPayments(4).map((payment, index) => (index === 2 ? { ...payment, account: 'ES9121000418450200051333' } : payment));
    const issues = issuesOf(writePain001(payments, { version: '03', messageId: 'X' }));
    expect(issues[0]?.path).toBe('payments.2.account');
    expect(issues[0]?.message).toMatch(/IBAN.*line \d+/);
  });
});

const hostile: readonly (readonly [string, string | Uint8Array])[] = [
  [
    'billion laughs',
    `<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol">${Array.from({ length: 9 }, (_, i) => `<!ENTITY lol${i + 1} "${`&lol${i === 0 ? '' : i};`.repeat(10)}">`).join('')}]><Document xmlns="${namespace('03')}"><CstmrCdtTrfInitn>&lol9;</CstmrCdtTrfInitn></Document>`,
  ],
  ['an external entity', `<?xml version="1.0"?><!DOCTYPE d [<!ENTITY xxe SYSTEM "file:///etc/passwd">]><Document xmlns="${namespace('09')}">&xxe;</Document>`],
  ['10,000-deep nesting', `<Document xmlns="${namespace('03')}">${'<a>'.repeat(10_000)}${'</a>'.repeat(10_000)}</Document>`],
  ['50 MB', `<Document xmlns="${namespace('03')}"><CstmrCdtTrfInitn>${' '.repeat(50 * 1024 * 1024)}</CstmrCdtTrfInitn></Document>`],
  ['50 MB of bytes', new Uint8Array(50 * 1024 * 1024)],
  ['the wrong namespace', fixture('payroll.pain.001.001.03.xml').replace(namespace('03'), 'urn:iso:std:iso:20022:tech:xsd:pain.008.001.02')],
  ['an element of another namespace', fixture('payroll.pain.001.001.03.xml').replace('<Nm>Ana García</Nm>', '<x:Nm xmlns:x="urn:evil">Ana García</x:Nm>')],
  ['malformed XML', fixture('payroll.pain.001.001.03.xml').replace('</Cdtr>', '</Cdtor>')],
  ['an undeclared entity', fixture('payroll.pain.001.001.03.xml').replace('Ana García', 'Ana &garcia;')],
  ['not XML at all', '{"payments": []}'],
  ['an empty file', ''],
];

describe('hostile payment files', () => {
  it.each(hostile)('%s is refused with INVALID_COMMAND on the file, and nothing is stored', async (_name, xml) => {
    const world = harness([person('acme', 'up')]);
    await world.ok(bank, { type: 'RegisterServiceAgreement', companyId: 'acme', serviceId: 'NOMINA', approvalLevels: 1 });
    const before = await world.sdk.store.readAll({ fromPosition: 0, limit: 10_000 })();
    const command = uploadOrderFromPain001(xml, { orderId: 'F1', companyId: 'acme', serviceId: 'NOMINA' });
    expect(E.isLeft(command) && command.left.code).toBe('INVALID_COMMAND');
    expect(E.isLeft(command) && command.left._tag === 'InvalidCommand' && command.left.issues.map((issue) => issue.path)).toEqual(['file']);
    const after = await world.sdk.store.readAll({ fromPosition: 0, limit: 10_000 })();
    expect(E.isRight(after) && after.right.length).toBe(E.isRight(before) && before.right.length);
  });

  it('stops at the first element past the depth limit, never reaching the rest', () => {
    const issues = issuesOf(`<Document xmlns="${namespace('03')}">${'<a>'.repeat(10_000)}<unclosed`);
    expect(issues[0]?.message).toContain(`deeper than ${MAX_PAIN001_DEPTH}`);
  });
});

describe('a pain.001 file uploaded as an order', () => {
  it('is stored with its payments, count and total derived', async () => {
    const world = harness([person('acme', 'up')]);
    await world.ok(bank, { type: 'RegisterServiceAgreement', companyId: 'acme', serviceId: 'NOMINA', approvalLevels: 1 });
    const command = uploadOrderFromPain001(fixture('payroll.pain.001.001.03.xml'), { orderId: 'F1', companyId: 'acme', serviceId: 'NOMINA' });
    if (E.isLeft(command)) throw new Error(command.left.message);
    await world.ok(user('acme', 'up'), { ...command.right });
    const row = await world.sdk.views.orders.order('acme', 'F1')();
    expect(E.isRight(row) && row.right).toMatchObject({ reference: 'NOMINA-2026-12', transactionCount: 3, total: '4940.50', currency: 'EUR' });
  });
});
