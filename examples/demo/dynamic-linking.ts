/**
 * Dynamic linking: Occidente's payroll service asks for it. PedroR3 uploads the December payroll as
 * an ISO 20022 pain.001 file; VictorP1's phone receives the batch, shows the payees and the total,
 * and computes the OCRA response he types into the portal. A plain TOTP code is refused, so is the
 * response once one cent of the batch differs.
 */
import { readFileSync } from 'node:fs';
import * as E from 'fp-ts/lib/Either.js';
import type { OrdersOutput, UploadOrderOutput } from '../../src/index.js';
import type { ApprovalBatch } from '../../src/device/index.js';
import { respondToApproval } from '../../src/device/index.js';
import { uploadOrderFromPain001 } from '../../src/domain/order/pain001.js';
import { OCCIDENTE, pedro, victor } from './occidente.js';
import type { Stage } from './stage.js';
import { UnexpectedOutcome } from './stage.js';
import { bankOperator, STEP_MS, type World } from './world.js';

const SERVICE = 'NOMINA';
const FILE = new URL('../../test/fixtures/pain001/payroll.pain.001.001.03.xml', import.meta.url);

export const dynamicLinkingFlow = async (stage: Stage, world: World): Promise<void> => {
  const { ok, refused, check, note } = stage;
  stage.section(`4. Dynamic linking: service ${SERVICE} at Occidente approves with the payees and the total on the phone`);
  await ok(bankOperator, `registers ${SERVICE}: 1 level, approvals under dynamic linking (OCRA over the approval digest)`, {
    type: 'RegisterServiceAgreement',
    companyId: OCCIDENTE,
    serviceId: SERVICE,
    approvalLevels: 1,
    approvalFactor: 'dynamic-linking',
  });
  await ok(bankOperator, `grants ${victor.label} level 1`, { type: 'GrantApprover', companyId: OCCIDENTE, serviceId: SERVICE, userId: victor.userId, level: 1 });

  const upload = uploadOrderFromPain001(readFileSync(FILE, 'utf8'), { orderId: 'NOM-2026-12', companyId: OCCIDENTE, serviceId: SERVICE });
  if (E.isLeft(upload)) throw new UnexpectedOutcome(`the payroll file was refused: ${upload.left.message}`);
  await ok<UploadOrderOutput>(pedro, 'uploads the payroll file payroll.pain.001.001.03.xml (3 payments, control sum 4,940.50 checked)', { ...upload.right }, (output) => `${output.orderId} pending approval`);

  world.clock.advance(STEP_MS);
  await refused(victor, 'approves with a plain (6-digit TOTP) code of his token: not an 8-digit OCRA response', { type: 'ApproveOrders', orderIds: ['NOM-2026-12'], otp: world.nextCode(victor) }, 'OTP_REJECTED', 'malformed');

  const batch = await stage.read('what the phone receives', world.sdk.views.orders.approvalBatch(OCCIDENTE, ['NOM-2026-12']));
  const phone = world.phones.get(`${victor.companyId}/${victor.userId}`);
  if (phone === undefined) throw new UnexpectedOutcome('VictorP1 has no phone app');
  world.clock.advance(STEP_MS);
  const answer = respondToApproval(phone.seed(), batch, world.clock.now());
  if (E.isLeft(answer)) throw new UnexpectedOutcome(`the phone refused the batch: ${answer.left.message}`);
  const { display, response } = answer.right;
  note(`VictorP1's phone shows: approve ${display.paymentCount} payments to ${display.payees} payees, total ${Object.entries(display.totals).map(([currency, total]) => `${currency} ${total}`).join(', ')}`);
  for (const order of display.orders) {
    note(`  ${order.orderId}: ${order.transactionCount} payments, ${order.currency} ${order.total}; largest:`);
    for (const payment of order.largest) note(`    ${payment.amount} ${payment.currency} → ${payment.payeeName} (${payment.account}${payment.bank === undefined ? '' : ` at ${payment.bank}`}) "${payment.reference}"`);
  }
  note(`  digest ${display.digest.slice(0, 16)}…; response to type: ${response}`);

  const first = batch.orders[0];
  const tampered: ApprovalBatch = first === undefined ? batch : { ...batch, orders: [{ ...first, payments: first.payments.map((p, i) => (i === 0 ? { ...p, amount: '1850.01' } : p)) }] };
  const forged = respondToApproval(phone.seed(), tampered, world.clock.now());
  if (E.isRight(forged)) {
    await refused(victor, 'types a response computed for the batch with one cent more on the first payment', { type: 'ApproveOrders', orderIds: ['NOM-2026-12'], otp: forged.right.response }, 'OTP_REJECTED', 'mismatch');
  }
  await ok<OrdersOutput>(victor, 'types the response his phone computed', { type: 'ApproveOrders', orderIds: ['NOM-2026-12'], otp: response }, (output) => output.orders.map((order) => `${order.orderId} ${order.status}`).join('; '));
  const row = await stage.read('the order', world.sdk.views.orders.order(OCCIDENTE, 'NOM-2026-12'));
  check('the payroll is approved, and its row carries the summary the approver saw', row?.status === 'approved' && row.summary.payees === 3 && row.summary.total === '4940.50');
};
