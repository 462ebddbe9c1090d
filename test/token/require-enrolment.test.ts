import * as E from 'fp-ts/lib/Either.js';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ActivationOutput, ConfigureCompanyOutput, RequestTokenAssignmentOutput } from '../../src/commands/token/index.js';
import { activateDevice, type DeviceToken } from '../../src/device/index.js';
import { CompanyPolicyCodec, defaultCompanyPolicy } from '../../src/domain/company/policy.js';
import type { Actor } from '../../src/events/envelope.js';
import { seededRandom } from '../../src/ports/random.js';
import { bank, harness, output, person, STEP, user } from '../sdk/harness.js';

const COMPANY = 'acme';
const SERVICE = 'PAGOS_PROVEEDORES';
const people = ['boss', 'ana', 'carl', 'dora'].map((userId) => ({ ...person(COMPANY, userId, { isCompanyAdmin: userId === 'boss' || userId === 'dora' }), securityAnswer: 'Quito' }));
const as = (userId: string): Actor => user(COMPANY, userId);

let world: ReturnType<typeof harness>;
let boss: DeviceToken;
let anaSerial: string;

const enroll = async (userId: string, seed: number): Promise<{ app: DeviceToken; serial: string }> => {
  const created = output<RequestTokenAssignmentOutput>(await world.ok(as(userId), { type: 'RequestTokenAssignment' }));
  const activation = created.activation as ActivationOutput;
  const app = activateDevice({ serial: created.serial, activationCode: activation.activationCode, parameters: activation.otpParameters, random: seededRandom(seed) });
  if (E.isLeft(app)) throw new Error(app.left._tag);
  await world.ok(as(userId), { type: 'EnrollDevice', serial: created.serial, registrationCode: app.right.registrationCode });
  await world.ok(as(userId), { type: 'ActivateToken', serial: created.serial, securityAnswer: 'Quito' });
  return { app: app.right.token, serial: created.serial };
};
const codeOf = (token: DeviceToken): string => {
  world.clock.advance(STEP);
  return token.code(world.clock.now());
};
const requireEnrolment = async (actions: readonly string[]): Promise<ConfigureCompanyOutput> =>
  output<ConfigureCompanyOutput>(await world.ok(bank, { type: 'ConfigureCompany', companyId: COMPANY, policy: { requireEnrolment: actions } }));
const statusOf = async (orderId: string): Promise<string | undefined> => {
  const row = await world.sdk.views.orders.order(COMPANY, orderId)();
  return E.isRight(row) ? row.right?.status : undefined;
};
const upload = (orderId: string) => ({ type: 'UploadOrder', orderId, companyId: COMPANY, serviceId: SERVICE, kind: 'single', reference: orderId, transactionCount: 1, total: '10.00', currency: 'USD' });

beforeEach(async () => {
  world = harness(people);
  await world.ok(bank, { type: 'ConfigureCompany', companyId: COMPANY, quota: 10, policy: { assignmentConfirmation: 'none', activation: 'security-question' } });
  boss = (await enroll('boss', 31)).app;
  anaSerial = (await enroll('ana', 32)).serial;
  await world.ok(bank, { type: 'RegisterServiceAgreement', companyId: COMPANY, serviceId: SERVICE, approvalLevels: 1 });
  for (const userId of ['carl', 'boss']) await world.ok(bank, { type: 'GrantApprover', companyId: COMPANY, serviceId: SERVICE, userId, level: 1 });
  await world.ok(as('ana'), upload('o1'));
});

describe('require enrolment (per company)', () => {
  it('is off by default: the normal flow lets an un-enrolled approver approve without a code', async () => {
    expect(defaultCompanyPolicy.requireEnrolment).toEqual([]);
    await world.ok(as('carl'), { type: 'ApproveOrders', orderIds: ['o1'] });
    expect(await statusOf('o1')).toBe('approved');
  });

  it('refuses a listed payment approval from a user with no active token; an enrolled approver confirms with a code', async () => {
    expect((await requireEnrolment(['ApproveOrders'])).policy.requireEnrolment).toEqual(['ApproveOrders']);
    expect(await world.fails(as('carl'), { type: 'ApproveOrders', orderIds: ['o1'] })).toMatchObject({ _tag: 'PreconditionFailed', precondition: 'enrolled' });
    expect(await statusOf('o1')).toBe('pending-approval');
    await world.ok(as('boss'), { type: 'ApproveOrders', orderIds: ['o1'], otp: codeOf(boss) });
    expect(await statusOf('o1')).toBe('approved');
  });

  it('covers revoking and deleting orders when listed, and only the listed actions', async () => {
    await requireEnrolment(['RevokeOrders', 'DeleteOrder']);
    await world.ok(as('carl'), upload('o2'));
    expect(await world.fails(as('carl'), { type: 'DeleteOrder', orderId: 'o2' })).toMatchObject({ _tag: 'PreconditionFailed', precondition: 'enrolled' });
    await world.ok(as('carl'), { type: 'ApproveOrders', orderIds: ['o1'] });
    expect(await world.fails(as('carl'), { type: 'RevokeOrders', orderIds: ['o1'] })).toMatchObject({ _tag: 'PreconditionFailed', precondition: 'enrolled' });
    expect([await statusOf('o1'), await statusOf('o2')]).toEqual(['approved', 'pending-approval']);
  });

  it('covers token admin actions: an un-enrolled admin cannot delete a token; the bank, which holds no token, still can', async () => {
    await requireEnrolment(['DeleteToken']);
    expect(await world.fails(as('dora'), { type: 'DeleteToken', serial: anaSerial })).toMatchObject({ _tag: 'PreconditionFailed', precondition: 'enrolled' });
    await requireEnrolment([]);
    await world.ok(as('dora'), { type: 'DeleteToken', serial: anaSerial });
  });

  it('accepts only the actions it knows, naming the field', async () => {
    const refused = await world.fails(bank, { type: 'ConfigureCompany', companyId: COMPANY, policy: { requireEnrolment: ['ApproveOrders', 'UploadOrder'] } });
    expect(refused).toMatchObject({ _tag: 'InvalidCommand' });
    expect(refused.message).toContain('requireEnrolment');
  });

  it('reads a company configured before the option existed as not requiring enrolment', () => {
    const { requireEnrolment: _absent, ...recordedBefore } = defaultCompanyPolicy;
    expect(CompanyPolicyCodec.decode(recordedBefore)).toEqual(E.right(defaultCompanyPolicy));
  });
});
