import * as E from 'fp-ts/lib/Either.js';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ActivationOutput, RequestTokenAssignmentOutput } from '../../src/commands/token/index.js';
import type { DeviceToken } from '../../src/device/index.js';
import { activateDevice } from '../../src/device/index.js';
import type { Actor } from '../../src/events/envelope.js';
import { seededRandom } from '../../src/ports/random.js';
import type { OrderPage } from '../../src/projections/orders/views.js';
import { bank, harness, output, person, STEP, user } from '../sdk/harness.js';

const COMPANY = 'internacional-ec';
type World = ReturnType<typeof harness>;

const people = [
  { ...person(COMPANY, 'up'), securityAnswer: 'Quito' },
  { ...person(COMPANY, 'ana'), securityAnswer: 'Quito' },
  { ...person(COMPANY, 'ben'), securityAnswer: 'Quito' },
  { ...person(COMPANY, 'carl'), securityAnswer: 'Quito' },
  { ...person(COMPANY, 'boss', { isCompanyAdmin: true }), securityAnswer: 'Quito' },
];
const as = (userId: string): Actor => user(COMPANY, userId);

/** The Banco Internacional self-service flow: the user's own soft token, active, and the app that shows its codes. */
const enroll = async (world: World, userId: string, seed: number): Promise<DeviceToken> => {
  const created = output<RequestTokenAssignmentOutput>(await world.ok(as(userId), { type: 'RequestTokenAssignment' }));
  const activation = created.activation as ActivationOutput;
  const app = activateDevice({ serial: created.serial, activationCode: activation.activationCode, parameters: activation.otpParameters, random: seededRandom(seed) });
  if (E.isLeft(app)) throw new Error(app.left._tag);
  await world.ok(as(userId), { type: 'EnrollDevice', serial: created.serial, registrationCode: app.right.registrationCode });
  await world.ok(as(userId), { type: 'ActivateToken', serial: created.serial, securityAnswer: 'Quito' });
  return app.right.token;
};

const upload = (orderId: string, extra: Record<string, unknown> = {}) => ({
  type: 'UploadOrder',
  orderId,
  companyId: COMPANY,
  serviceId: 'PAGOS_PROVEEDORES',
  kind: 'file',
  reference: `${orderId}.txt`,
  transactionCount: 12,
  total: '15230.75',
  currency: 'USD',
  ...extra,
});
const page = async (task: () => Promise<E.Either<unknown, OrderPage>>): Promise<OrderPage> => {
  const result = await task();
  if (E.isLeft(result)) throw new Error(JSON.stringify(result.left));
  return result.right;
};

let world: World;
let ana: DeviceToken;
let boss: DeviceToken;
/** A fresh code of `token`: the clock moves one step first, so every code is new. */
const codeOf = (token: DeviceToken): string => {
  world.clock.advance(STEP);
  return token.code(world.clock.now());
};
const statusOf = async (orderId: string): Promise<string | undefined> => {
  const row = await world.sdk.views.orders.order(COMPANY, orderId)();
  return E.isRight(row) ? row.right?.status : undefined;
};

beforeEach(async () => {
  world = harness(people);
  await world.ok(bank, { type: 'ConfigureCompany', companyId: COMPANY, quota: 10, policy: { assignmentConfirmation: 'none', activation: 'security-question' } });
  ana = await enroll(world, 'ana', 11);
  boss = await enroll(world, 'boss', 12);
  await world.ok(bank, { type: 'RegisterServiceAgreement', companyId: COMPANY, serviceId: 'PAGOS_PROVEEDORES', approvalLevels: 2 });
  for (const [userId, level] of [['ana', 1], ['carl', 1], ['ben', 2], ['boss', 2]] as const) {
    await world.ok(bank, { type: 'GrantApprover', companyId: COMPANY, serviceId: 'PAGOS_PROVEEDORES', userId, level });
  }
  await world.ok(as('up'), upload('o1'));
});

describe('the manual through createSdk, with real soft tokens', () => {
  it('two enrolled approvers of the same level approve one order at once: exactly one level, one code spent', async () => {
    const carl = await enroll(world, 'carl', 13);
    world.clock.advance(STEP);
    const results = await Promise.all([
      world.send(as('ana'), { type: 'ApproveOrders', orderIds: ['o1'], otp: ana.code(world.clock.now()) }),
      world.send(as('carl'), { type: 'ApproveOrders', orderIds: ['o1'], otp: carl.code(world.clock.now()) }),
    ]);
    expect(results.filter(E.isRight)).toHaveLength(1);
    // The loser decides again on the new version: level 2 is next, which it does not hold.
    expect(results.find(E.isLeft)?.left.code).toBe('FORBIDDEN');
    const row = await world.sdk.views.orders.order(COMPANY, 'o1')();
    expect(E.isRight(row) && row.right?.approvals).toHaveLength(1);
    const all = await world.sdk.store.readAll({ fromPosition: 0, limit: 10_000 })();
    expect(E.isRight(all) && all.right.filter((event) => event.type === 'OtpAccepted')).toHaveLength(1);
  });

  it('an enrolled approver needs a current OTP: none, wrong and replayed codes are refused', async () => {
    expect(await world.fails(as('ana'), { type: 'ApproveOrders', orderIds: ['o1'] })).toMatchObject({ code: 'OTP_REQUIRED' });
    expect(await world.fails(as('ana'), { type: 'ApproveOrders', orderIds: ['o1'], otp: '000000' })).toMatchObject({ code: 'OTP_REJECTED', reason: 'mismatch' });
    expect(await statusOf('o1')).toBe('pending-approval');
    const code = codeOf(ana);
    const approved = await world.ok(as('ana'), { type: 'ApproveOrders', orderIds: ['o1'], otp: code });
    // The accepted code and the approval are one atomic append.
    expect(approved.events.map((event) => event.type)).toEqual(['OtpAccepted', 'OrderLevelApproved']);
    expect(approved.events[1]!.globalPosition).toBe(approved.events[0]!.globalPosition + 1);
    await world.ok(as('up'), upload('o2'));
    expect(await world.fails(as('ana'), { type: 'ApproveOrders', orderIds: ['o2'], otp: code })).toMatchObject({ code: 'OTP_REJECTED', reason: 'replay' });
    const row = await world.sdk.views.orders.order(COMPANY, 'o2')();
    expect(E.isRight(row) && row.right?.approvals).toEqual([]);
  });

  it('a non-enrolled approver follows the normal flow without an OTP', async () => {
    await world.ok(as('carl'), { type: 'ApproveOrders', orderIds: ['o1'] });
    await world.ok(as('ben'), { type: 'ApproveOrders', orderIds: ['o1'] });
    expect(await statusOf('o1')).toBe('approved');
  });

  it('one OTP approves a batch; a batch with one bad order approves nothing and does not spend the code', async () => {
    await world.ok(as('up'), upload('o2'));
    await world.ok(as('ana'), upload('o3'));
    const code = codeOf(ana);
    const refused = await world.fails(as('ana'), { type: 'ApproveOrders', orderIds: ['o1', 'o2', 'o3'], otp: code });
    expect(refused).toMatchObject({ code: 'FORBIDDEN' });
    expect(refused.message).toContain('order o3');
    expect(await world.sdk.views.orders.toApprove({ companyId: COMPANY, approverId: 'ana' })().then((r) => (E.isRight(r) ? r.right.rows.map((x) => [x.orderId, x.canApprove]) : []))).toEqual([
      ['o3', false],
      ['o2', true],
      ['o1', true],
    ]);
    const approved = await world.ok(as('ana'), { type: 'ApproveOrders', orderIds: ['o1', 'o2'], otp: code });
    expect(approved.events.map((event) => event.type)).toEqual(['OtpAccepted', 'OrderLevelApproved', 'OrderLevelApproved']);
  });

  it('delete and revoke: the enrolled admin confirms with an OTP, the non-enrolled uploader needs none', async () => {
    await world.ok(as('up'), upload('o2'));
    expect(await world.fails(as('boss'), { type: 'DeleteOrder', orderId: 'o2' })).toMatchObject({ code: 'OTP_REQUIRED' });
    await world.ok(as('boss'), { type: 'DeleteOrder', orderId: 'o2', otp: codeOf(boss) });
    expect(await statusOf('o2')).toBe('deleted');
    await world.ok(as('carl'), { type: 'ApproveOrders', orderIds: ['o1'] });
    await world.ok(as('ben'), { type: 'ApproveOrders', orderIds: ['o1'] });
    expect(await world.fails(as('up'), { type: 'DeleteOrder', orderId: 'o1' })).toMatchObject({ code: 'INVALID_TRANSITION', from: 'approved' });
    expect(await world.fails(as('ana'), { type: 'RevokeOrders', orderIds: ['o1'] })).toMatchObject({ code: 'OTP_REQUIRED' });
    await world.ok(as('ana'), { type: 'RevokeOrders', orderIds: ['o1'], otp: codeOf(ana) });
    expect(await statusOf('o1')).toBe('revoked');
  });

  it('ten wrong codes lock the approver out; a locked approver cannot act', async () => {
    for (let attempt = 0; attempt < 10; attempt++) {
      expect((await world.fails(as('ana'), { type: 'ApproveOrders', orderIds: ['o1'], otp: '000000' })).code).toBe('OTP_REJECTED');
    }
    expect(await world.fails(as('ana'), { type: 'ApproveOrders', orderIds: ['o1'], otp: codeOf(ana) })).toMatchObject({ code: 'TOKEN_LOCKED' });
    expect(await statusOf('o1')).toBe('pending-approval');
  });

  it('maker-checker follows the company policy', async () => {
    await world.ok(bank, { type: 'GrantApprover', companyId: COMPANY, serviceId: 'PAGOS_PROVEEDORES', userId: 'up', level: 1 });
    expect(await world.fails(as('up'), { type: 'ApproveOrders', orderIds: ['o1'] })).toMatchObject({ code: 'FORBIDDEN' });
    await world.ok(bank, { type: 'ConfigureCompany', companyId: COMPANY, policy: { makerChecker: false } });
    await world.ok(as('up'), { type: 'ApproveOrders', orderIds: ['o1'] });
  });

  it('the views of the manual and the audit trail cover orders, with the confirming factor', async () => {
    await world.ok(as('ana'), { type: 'ApproveOrders', orderIds: ['o1'], otp: codeOf(ana) });
    await world.ok(as('ben'), { type: 'ApproveOrders', orderIds: ['o1'] });
    await world.ok(bank, { type: 'MarkOrderExecuted', companyId: COMPANY, orderId: 'o1' });
    await world.ok(as('up'), upload('o2', { reference: 'o1.txt' }));
    const search = await page(world.sdk.views.orders.search({ companyId: COMPANY, serviceId: 'PAGOS_PROVEEDORES' }));
    expect(search.rows.map((row) => [row.orderId, row.status, row.approvals.map((approval) => approval.userId)])).toEqual([
      ['o2', 'pending-approval', []],
      ['o1', 'executed', ['ana', 'ben']],
    ]);
    expect(search.totals).toEqual({ USD: '30461.50' });
    expect((await page(world.sdk.views.orders.toDelete({ companyId: COMPANY }))).rows.map((row) => row.orderId)).toEqual(['o2']);
    expect((await page(world.sdk.views.orders.toRevoke({ companyId: COMPANY }))).rows).toEqual([]);
    const agreements = await world.sdk.views.orders.agreements(COMPANY)();
    expect(E.isRight(agreements) && agreements.right.map((agreement) => agreement.approvalLevels)).toEqual([2]);
    const audit = await world.sdk.views.audit({ companyId: COMPANY })();
    if (E.isLeft(audit)) throw new Error(audit.left.message);
    expect(audit.right.entries.slice(0, 5).map((entry) => [entry.action, entry.outcome, entry.factor.kind])).toEqual([
      ['UploadOrder', 'succeeded', 'none'],
      ['MarkOrderExecuted', 'succeeded', 'none'],
      ['ApproveOrders', 'succeeded', 'none'],
      ['ApproveOrders', 'succeeded', 'otp'],
      ['UploadOrder', 'succeeded', 'none'],
    ]);
    expect(E.isRight(await world.sdk.views.orders.search({ companyId: COMPANY, page: 0 })())).toBe(false);
    expect(E.isRight(await world.sdk.verify()())).toBe(true);
  });
});
