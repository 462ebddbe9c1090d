import * as E from 'fp-ts/lib/Either.js';
import { beforeEach, describe, expect, it } from 'vitest';
import type { ActivationOutput, RequestTokenAssignmentOutput } from '../../src/commands/token/index.js';
import { activateDevice, type DeviceToken } from '../../src/device/index.js';
import type { Actor } from '../../src/events/envelope.js';
import type { Directory } from '../../src/ports/directory.js';
import { inMemoryDirectory, type InMemoryDirectoryUser } from '../../src/ports/in-memory-directory.js';
import { seededRandom } from '../../src/ports/random.js';
import { bank, harness, output, person, STEP, user } from '../sdk/harness.js';

const COMPANY = 'acme';
const SERVICE = 'PAGOS_PROVEEDORES';

const people: InMemoryDirectoryUser[] = [
  { ...person(COMPANY, 'boss', { isCompanyAdmin: true }), securityAnswer: 'Quito' },
  { ...person(COMPANY, 'ana'), securityAnswer: 'Quito' },
  { ...person(COMPANY, 'carl'), securityAnswer: 'Quito' },
];

/** A directory that matches user ids case-insensitively, as LDAP and AD do, and answers with its canonical record. */
const caseInsensitiveDirectory = (users: readonly InMemoryDirectoryUser[]): Directory => {
  const inner = inMemoryDirectory(users);
  const canonical = (companyId: string, userId: string): string =>
    users.find((known) => known.companyId === companyId && known.userId.toLowerCase() === userId.toLowerCase())?.userId ?? userId;
  return {
    getUser: (companyId, userId) => inner.getUser(companyId, canonical(companyId, userId)),
    checkSecurityAnswer: (companyId, userId, answer) => inner.checkSecurityAnswer(companyId, canonical(companyId, userId), answer),
  };
};

type World = ReturnType<typeof harness>;
const as = (userId: string): Actor => user(COMPANY, userId);
let world: World;

/** Self-service enrolment (assigned at once, activated by the security question): the user's app. */
const enroll = async (userId: string, seed: number): Promise<DeviceToken> => {
  const created = output<RequestTokenAssignmentOutput>(await world.ok(as(userId), { type: 'RequestTokenAssignment' }));
  const activation = created.activation as ActivationOutput;
  const app = activateDevice({ serial: created.serial, activationCode: activation.activationCode, parameters: activation.otpParameters, random: seededRandom(seed) });
  if (E.isLeft(app)) throw new Error(app.left._tag);
  await world.ok(as(userId), { type: 'EnrollDevice', serial: created.serial, registrationCode: app.right.registrationCode });
  await world.ok(as(userId), { type: 'ActivateToken', serial: created.serial, securityAnswer: 'Quito' });
  return app.right.token;
};

const codeOf = (token: DeviceToken): string => {
  world.clock.advance(STEP);
  return token.code(world.clock.now());
};

const auditActors = async (): Promise<string[]> => {
  const page = await world.sdk.views.audit({ companyId: COMPANY, pageSize: 500 })();
  if (E.isLeft(page)) throw new Error(page.left.message);
  return page.right.entries.map((entry) => (entry.actor.kind === 'user' ? entry.actor.userId : entry.actor.kind));
};

const orderStatus = async (orderId: string): Promise<string | undefined> => {
  const row = await world.sdk.views.orders.order(COMPANY, orderId)();
  return E.isRight(row) ? row.right?.status : undefined;
};

const upload = (orderId: string) => ({
  type: 'UploadOrder',
  orderId,
  companyId: COMPANY,
  serviceId: SERVICE,
  kind: 'single',
  reference: orderId,
  transactionCount: 1,
  total: '100.00',
  currency: 'USD',
});

let boss: DeviceToken;
let ana: DeviceToken;

beforeEach(async () => {
  world = harness(people, { directory: caseInsensitiveDirectory(people) });
  await world.ok(bank, { type: 'ConfigureCompany', companyId: COMPANY, quota: 10, policy: { assignmentConfirmation: 'none', activation: 'security-question' } });
  boss = await enroll('boss', 21);
  ana = await enroll('ana', 22);
  // From now on a company admin confirms every assignment, with an OTP when enrolled (boss is).
  await world.ok(bank, { type: 'ConfigureCompany', companyId: COMPANY, policy: { assignmentConfirmation: 'admin-otp' } });
});

describe('one canonical user id: the token side', () => {
  it('an alias of the enrolled admin cannot confirm an assignment without a code', async () => {
    const pending = output<RequestTokenAssignmentOutput>(await world.ok(as('carl'), { type: 'RequestTokenAssignment' }));
    expect(await world.fails(as('BOSS'), { type: 'ConfirmTokenAssignment', serial: pending.serial })).toMatchObject({ _tag: 'Forbidden' });
    expect(await world.fails(as('Boss'), { type: 'ConfirmTokenAssignment', serial: pending.serial, otp: '000000' })).toMatchObject({ _tag: 'Forbidden' });
    expect(await world.fails(as('boss'), { type: 'ConfirmTokenAssignment', serial: pending.serial })).toMatchObject({ _tag: 'OtpRequired' });
    await world.ok(as('boss'), { type: 'ConfirmTokenAssignment', serial: pending.serial, otp: codeOf(boss) });
    const actors = await auditActors();
    expect(actors).toContain('boss');
    expect(actors.filter((id) => id.toLowerCase() === 'boss' && id !== 'boss')).toEqual([]);
  });

  it('an alias of the enrolled admin cannot delete a token without a code', async () => {
    const table = await world.sdk.views.tokenTable(COMPANY)();
    const serial = E.isRight(table) ? table.right.rows.find((row) => row.userId === 'ana')?.serial : undefined;
    expect(serial).toBeDefined();
    expect(await world.fails(as('BOSS'), { type: 'DeleteToken', serial })).toMatchObject({ _tag: 'Forbidden' });
    // Nor can the owner's alias act on the owner's token as someone un-enrolled.
    expect(await world.fails(as('ANA'), { type: 'DeleteToken', serial })).toMatchObject({ _tag: 'Forbidden' });
    expect(await world.fails(as('ANA'), { type: 'VerifyOtp', otp: codeOf(ana) })).toMatchObject({ _tag: 'Forbidden' });
    const after = await world.sdk.views.tokenTable(COMPANY)();
    expect(E.isRight(after) ? after.right.rows.find((row) => row.serial === serial)?.status : undefined).toBe('active');
    expect((await auditActors()).filter((id) => id === 'BOSS' || id === 'ANA')).toEqual([]);
  });

  it('a command naming a user by an alias is refused, so nobody holds two tokens under two spellings', async () => {
    const refused = await world.fails(as('boss'), { type: 'RequestTokenAssignment', userId: 'ANA' });
    expect(refused).toMatchObject({ _tag: 'InvalidCommand' });
    expect(refused.message).toContain('userId');
    const imported = await world.fails(bank, { type: 'ImportPhysicalToken', companyId: COMPANY, userId: 'Ana', serial: 'HW1', seed: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' });
    expect(imported).toMatchObject({ _tag: 'InvalidCommand' });
    const table = await world.sdk.views.tokenTable(COMPANY)();
    expect(E.isRight(table) ? table.right.rows.map((row) => row.userId).sort() : []).toEqual(['ana', 'boss']);
  });
});

describe('one canonical user id: the order side', () => {
  beforeEach(async () => {
    await world.ok(bank, { type: 'RegisterServiceAgreement', companyId: COMPANY, serviceId: SERVICE, approvalLevels: 1 });
    for (const userId of ['ana', 'boss']) await world.ok(bank, { type: 'GrantApprover', companyId: COMPANY, serviceId: SERVICE, userId, level: 1 });
  });

  it('an alias of the enrolled approver cannot approve without a code; the canonical id approves with one', async () => {
    await world.ok(as('carl'), upload('o1'));
    expect(await world.fails(as('BOSS'), { type: 'ApproveOrders', orderIds: ['o1'] })).toMatchObject({ _tag: 'Forbidden' });
    expect(await orderStatus('o1')).toBe('pending-approval');
    expect(await world.fails(as('boss'), { type: 'ApproveOrders', orderIds: ['o1'] })).toMatchObject({ _tag: 'OtpRequired' });
    await world.ok(as('boss'), { type: 'ApproveOrders', orderIds: ['o1'], otp: codeOf(boss) });
    expect(await orderStatus('o1')).toBe('approved');
    const row = await world.sdk.views.orders.order(COMPANY, 'o1')();
    expect(E.isRight(row) ? row.right?.approvals.map((approval) => approval.userId) : []).toEqual(['boss']);
    expect(await auditActors()).not.toContain('BOSS');
  });

  it('maker-checker is not bypassed by case: the uploader cannot approve under another spelling', async () => {
    expect(await world.fails(as('Ana'), upload('o2'))).toMatchObject({ _tag: 'Forbidden' });
    await world.ok(as('ana'), upload('o2'));
    expect(await world.fails(as('ANA'), { type: 'ApproveOrders', orderIds: ['o2'] })).toMatchObject({ _tag: 'Forbidden' });
    expect(await world.fails(as('ana'), { type: 'ApproveOrders', orderIds: ['o2'] })).toMatchObject({ _tag: 'Forbidden' });
    expect(await orderStatus('o2')).toBe('pending-approval');
  });

  it('the bank cannot grant approval rights to an alias', async () => {
    const refused = await world.fails(bank, { type: 'GrantApprover', companyId: COMPANY, serviceId: SERVICE, userId: 'CARL', level: 1 });
    expect(refused).toMatchObject({ _tag: 'InvalidCommand' });
    expect(refused.message).toContain('userId');
  });
});
