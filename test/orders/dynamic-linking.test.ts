import * as E from 'fp-ts/lib/Either.js';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ActivationOutput, RequestTokenAssignmentOutput } from '../../src/commands/token/index.js';
import type { ApprovalBatch, DeviceToken } from '../../src/device/index.js';
import { activateDevice, respondToApproval } from '../../src/device/index.js';
import type { Actor } from '../../src/events/envelope.js';
import { seededRandom } from '../../src/ports/random.js';
import { bank, harness, output, person, STEP, user } from '../sdk/harness.js';

const COMPANY = 'acme';
const SERVICE = 'NOMINA';
type World = ReturnType<typeof harness>;
const people = [person(COMPANY, 'up'), person(COMPANY, 'ana'), person(COMPANY, 'ben')].map((p) => ({ ...p, securityAnswer: 'Quito' }));
const as = (userId: string): Actor => user(COMPANY, userId);

const enroll = async (world: World, userId: string, seed: number): Promise<DeviceToken> => {
  const created = output<RequestTokenAssignmentOutput>(await world.ok(as(userId), { type: 'RequestTokenAssignment' }));
  const activation = created.activation as ActivationOutput;
  const app = activateDevice({ serial: created.serial, activationCode: activation.activationCode, parameters: activation.otpParameters, random: seededRandom(seed) });
  if (E.isLeft(app)) throw new Error(app.left._tag);
  await world.ok(as(userId), { type: 'EnrollDevice', serial: created.serial, registrationCode: app.right.registrationCode });
  await world.ok(as(userId), { type: 'ActivateToken', serial: created.serial, securityAnswer: 'Quito' });
  return app.right.token;
};

const payroll = (orderId: string, amounts: readonly string[]) => ({
  type: 'UploadOrder',
  orderId,
  companyId: COMPANY,
  serviceId: SERVICE,
  kind: 'file',
  reference: `${orderId}.xml`,
  currency: 'EUR',
  payments: amounts.map((amount, index) => ({
    payeeName: `Employee ${index}`,
    account: 'ES9121000418450200051332',
    amount,
    currency: 'EUR',
    reference: 'Nómina diciembre',
  })),
});

let world: World;
let ana: DeviceToken;

const batchOf = async (orderIds: readonly string[]): Promise<ApprovalBatch> => {
  const batch = await world.sdk.views.orders.approvalBatch(COMPANY, orderIds)();
  if (E.isLeft(batch)) throw new Error(batch.left.message);
  return batch.right;
};
const responseFor = (batch: ApprovalBatch): string => {
  world.clock.advance(STEP);
  const answer = respondToApproval(ana.seed(), batch, world.clock.now());
  if (E.isLeft(answer)) throw new Error(answer.left.message);
  return answer.right.response;
};
beforeEach(async () => {
  world = harness(people);
  await world.ok(bank, { type: 'ConfigureCompany', companyId: COMPANY, quota: 10, policy: { assignmentConfirmation: 'none', activation: 'security-question', maxFailures: 3 } });
  ana = await enroll(world, 'ana', 21);
  await world.ok(bank, { type: 'RegisterServiceAgreement', companyId: COMPANY, serviceId: SERVICE, approvalLevels: 1, approvalFactor: 'dynamic-linking' });
  await world.ok(bank, { type: 'GrantApprover', companyId: COMPANY, serviceId: SERVICE, userId: 'ana', level: 1 });
  await world.ok(as('up'), payroll('P1', ['1850.00', '2100.50', '990']));
  await world.ok(as('up'), payroll('P2', ['312.40']));
});

const statusOf = async (orderId: string): Promise<string | undefined> => {
  const row = await world.sdk.views.orders.order(COMPANY, orderId)();
  return E.isRight(row) ? row.right?.status : undefined;
};

describe('ApproveOrders under dynamic linking', () => {
  it('approves with the OCRA response the app computes over the batch it received', async () => {
    const batch = await batchOf(['P1', 'P2']);
    const display = respondToApproval(ana.seed(), batch, world.clock.now());
    expect(E.isRight(display) && display.right.display.totals).toEqual({ EUR: '5252.90' });
    expect(E.isRight(display) && display.right.display.payees).toBe(3);
    await world.ok(as('ana'), { type: 'ApproveOrders', orderIds: ['P1', 'P2'], otp: responseFor(batch) });
    expect(await statusOf('P1')).toBe('approved');
    expect(await statusOf('P2')).toBe('approved');
  });

  it('refuses a plain TOTP code, and counts it as a failure', async () => {
    world.clock.advance(STEP);
    const error = await world.fails(as('ana'), { type: 'ApproveOrders', orderIds: ['P1'], otp: ana.code(world.clock.now()) });
    expect(error.code).toBe('OTP_REJECTED');
    expect(await statusOf('P1')).toBe('pending-approval');
  });

  it('refuses a response computed for another batch: an order added, removed, one cent or one payee changed', async () => {
    const honest = await batchOf(['P1']);
    const first = honest.orders[0];
    if (first === undefined) throw new Error('no order');
    const tampered: readonly ApprovalBatch[] = [
      await batchOf(['P1', 'P2']),
      { ...honest, orders: [{ ...first, payments: first.payments.map((p, i) => (i === 0 ? { ...p, amount: '1850.01' } : p)) }] },
      { ...honest, orders: [{ ...first, payments: first.payments.map((p, i) => (i === 1 ? { ...p, payeeName: 'Mallory' } : p)) }] },
    ];
    for (const batch of tampered) {
      const error = await world.fails(as('ana'), { type: 'ApproveOrders', orderIds: ['P1'], otp: responseFor(batch) });
      expect(error.code).toBe('OTP_REJECTED');
    }
    // the third failure (maxFailures 3) locks the token: even the right response is refused now
    const locked = await world.fails(as('ana'), { type: 'ApproveOrders', orderIds: ['P1'], otp: responseFor(honest) });
    expect(locked.code).toBe('TOKEN_LOCKED');
    expect(await statusOf('P1')).toBe('pending-approval');
  });

  it('removing an order from the batch invalidates the response too', async () => {
    const both = await batchOf(['P1', 'P2']);
    const error = await world.fails(as('ana'), { type: 'ApproveOrders', orderIds: ['P1'], otp: responseFor(both) });
    expect(error.code).toBe('OTP_REJECTED');
  });

  it('applies only above the threshold of the order currency; below it the OTP rule confirms', async () => {
    await world.ok(bank, { type: 'RegisterServiceAgreement', companyId: COMPANY, serviceId: SERVICE, approvalLevels: 1, approvalFactor: 'dynamic-linking', dynamicLinkingAbove: { EUR: '1000' } });
    world.clock.advance(STEP);
    await world.ok(as('ana'), { type: 'ApproveOrders', orderIds: ['P2'], otp: ana.code(world.clock.now()) });
    expect(await statusOf('P2')).toBe('approved');
    world.clock.advance(STEP);
    const error = await world.fails(as('ana'), { type: 'ApproveOrders', orderIds: ['P1'], otp: ana.code(world.clock.now()) });
    expect(error.code).toBe('OTP_REJECTED');
  });

  it('refuses an approver with no token instead of letting them go on without a code', async () => {
    await world.ok(bank, { type: 'GrantApprover', companyId: COMPANY, serviceId: SERVICE, userId: 'ben', level: 1 });
    const error = await world.fails(as('ben'), { type: 'ApproveOrders', orderIds: ['P1'] });
    expect(error.code).toBe('PRECONDITION_FAILED');
  });

  it('shows each order summary in the approve view', async () => {
    const row = await world.sdk.views.orders.order(COMPANY, 'P1')();
    expect(E.isRight(row) && row.right?.summary).toMatchObject({ total: '4940.50', transactionCount: 3, payees: 3, itemised: true });
    expect(E.isRight(row) && row.right?.summary.largest.map((p) => p.amount)).toEqual(['2100.50', '1850.00', '990.00']);
  });
});
