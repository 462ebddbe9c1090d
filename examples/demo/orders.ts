/**
 * Orders (Administración de Órdenes): a service with 3 approval levels at Occidente. PedroR3
 * uploads a payroll file and a single order, and the file again by mistake; the admin deletes the
 * duplicate; the approvers approve level by level, each confirming with a code (level 1 of both
 * orders in one batch, with one code); one order is revoked, the bank executes the other.
 */
import type { OrdersOutput, UploadOrderOutput } from '../../src/index.js';
import { admin, lucia, OCCIDENTE, pedro, victor } from './occidente.js';
import { ordersScreen } from './screens.js';
import type { Stage } from './stage.js';
import { bankOperator, type World } from './world.js';

const SERVICE = 'PAGOS';

const moved = (output: OrdersOutput): string =>
  output.orders.map((order) => `${order.orderId} ${order.level === undefined ? '' : `level ${order.level} → `}${order.status}`).join('; ');

const uploaded = (output: UploadOrderOutput): string =>
  `${output.orderId} pending approval, ${output.requiredLevels} levels${output.possibleDuplicate ? `; flagged: possible duplicate of ${output.duplicateOf.join(', ')}` : ''}`;

const payroll = { kind: 'file', reference: 'NOMINA_ENERO_2025.TXT', transactionCount: 120, total: '45250.00', currency: 'USD' } as const;

export const ordersFlow = async (stage: Stage, world: World, names: ReadonlyMap<string, string>): Promise<void> => {
  const { ok, refused, check } = stage;
  const { orders } = world.sdk.views;
  const view = { companyId: OCCIDENTE, serviceId: SERVICE };
  stage.section(`3. Orders: service ${SERVICE} at Occidente, 3 approval levels`);

  await ok(bankOperator, `registers the service agreement ${SERVICE}: 3 approval levels`, { type: 'RegisterServiceAgreement', companyId: OCCIDENTE, serviceId: SERVICE, approvalLevels: 3 });
  for (const [who, level] of [[victor, 1], [pedro, 1], [lucia, 2], [admin, 3]] as const) {
    await ok(bankOperator, `grants ${who.label} level ${level}`, { type: 'GrantApprover', companyId: OCCIDENTE, serviceId: SERVICE, userId: who.userId, level });
  }

  const upload = { type: 'UploadOrder', companyId: OCCIDENTE, serviceId: SERVICE } as const;
  await ok<UploadOrderOutput>(pedro, `uploads the payroll file ${payroll.reference} (120 transactions, USD 45,250.00)`, { ...upload, orderId: 'ORD-0001', ...payroll }, uploaded);
  await ok<UploadOrderOutput>(
    pedro,
    'uploads a single order FACTURA ACME 7781 (USD 1,200.00)',
    { ...upload, orderId: 'ORD-0002', kind: 'single', reference: 'FACTURA ACME 7781', total: '1200.00', currency: 'USD' },
    uploaded,
  );
  const duplicate = await ok<UploadOrderOutput>(pedro, 'uploads the payroll file again, by mistake', { ...upload, orderId: 'ORD-0003', ...payroll }, uploaded);
  check('the second upload of the payroll is flagged as a possible duplicate', duplicate.possibleDuplicate && duplicate.duplicateOf.includes('ORD-0001'));
  ordersScreen(stage.print, 'Órdenes: Delete view (pending approval)', await stage.read('the Delete view', orders.toDelete(view)), names);

  await refused(admin, 'deletes ORD-0003 without a code', { type: 'DeleteOrder', orderId: 'ORD-0003' }, 'OTP_REQUIRED');
  await ok<OrdersOutput>(admin, 'deletes the duplicate ORD-0003, confirming with a code', { type: 'DeleteOrder', orderId: 'ORD-0003', otp: world.nextCode(admin) }, moved);

  await refused(pedro, 'approves level 1 of the payroll he uploaded himself (maker-checker)', { type: 'ApproveOrders', orderIds: ['ORD-0001'] }, 'FORBIDDEN');
  await ok<OrdersOutput>(victor, 'approves level 1 of ORD-0001 and ORD-0002 in one batch, with one code', { type: 'ApproveOrders', orderIds: ['ORD-0001', 'ORD-0002'], otp: world.nextCode(victor) }, moved);
  await ok<OrdersOutput>(lucia, 'approves level 2 of ORD-0001', { type: 'ApproveOrders', orderIds: ['ORD-0001'], otp: world.nextCode(lucia) }, moved);
  await ok<OrdersOutput>(lucia, 'approves level 2 of ORD-0002 with her next code', { type: 'ApproveOrders', orderIds: ['ORD-0002'], otp: world.nextCode(lucia) }, moved);
  ordersScreen(stage.print, 'Órdenes: Approve view, as ADQD1 sees it', await stage.read('the Approve view', orders.toApprove({ ...view, approverId: admin.userId })), names);
  await ok<OrdersOutput>(admin, 'approves level 3 of ORD-0001', { type: 'ApproveOrders', orderIds: ['ORD-0001'], otp: world.nextCode(admin) }, moved);
  await ok<OrdersOutput>(admin, 'approves level 3 of ORD-0002', { type: 'ApproveOrders', orderIds: ['ORD-0002'], otp: world.nextCode(admin) }, moved);
  const toRevoke = await stage.read('the Revoke view', orders.toRevoke(view));
  ordersScreen(stage.print, 'Órdenes: Revoke view (approved, pending execution)', toRevoke, names);
  check('both orders wait for execution', toRevoke.rows.map((row) => row.orderId).sort().join(',') === 'ORD-0001,ORD-0002');

  await ok<OrdersOutput>(victor, 'revokes ORD-0002 before the bank executes it', { type: 'RevokeOrders', orderIds: ['ORD-0002'], otp: world.nextCode(victor) }, moved);
  await ok<OrdersOutput>(bankOperator, 'executes ORD-0001', { type: 'MarkOrderExecuted', companyId: OCCIDENTE, orderId: 'ORD-0001' }, moved);

  const all = await stage.read('the order search', orders.search(view));
  ordersScreen(stage.print, 'Órdenes: search, every status', all, names);
  const statuses = Object.fromEntries(all.rows.map((row) => [row.orderId, row.status]));
  check('ORD-0001 executed, ORD-0002 revoked, ORD-0003 deleted', statuses['ORD-0001'] === 'executed' && statuses['ORD-0002'] === 'revoked' && statuses['ORD-0003'] === 'deleted');
};
