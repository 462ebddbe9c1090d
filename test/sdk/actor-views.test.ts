import * as E from 'fp-ts/lib/Either.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { beforeEach, describe, expect, it } from 'vitest';
import type { SdkError } from '../../src/errors/sdk-error.js';
import type { Actor } from '../../src/events/envelope.js';
import { bank, harness, person, user } from './harness.js';

const ACME = 'acme';
const GLOBEX = 'globex';
const SERVICE = 'PAGOS';
const people = [
  person(ACME, 'ana'),
  person(ACME, 'boss', { isCompanyAdmin: true }),
  person(ACME, 'gone', { active: false }),
  person(GLOBEX, 'gil'),
  person(GLOBEX, 'gus', { isCompanyAdmin: true }),
];

let world: ReturnType<typeof harness>;

const right = async <A>(task: TaskEither<SdkError, A>): Promise<A> => {
  const result = await task();
  if (E.isLeft(result)) throw new Error(`${result.left.code} ${result.left.message}`);
  return result.right;
};
const left = async <A>(task: TaskEither<SdkError, A>): Promise<SdkError> => {
  const result = await task();
  if (E.isRight(result)) throw new Error('the view answered, but should have refused');
  return result.left;
};
const upload = (companyId: string, orderId: string) => ({
  type: 'UploadOrder',
  orderId,
  companyId,
  serviceId: SERVICE,
  kind: 'single',
  reference: orderId,
  transactionCount: 1,
  total: '10.00',
  currency: 'USD',
});

beforeEach(async () => {
  world = harness(people);
  for (const [companyId, member] of [[ACME, 'ana'], [GLOBEX, 'gil']] as const) {
    await world.ok(bank, { type: 'ConfigureCompany', companyId, quota: 5, policy: { assignmentConfirmation: 'none', activation: 'security-question' } });
    await world.ok(user(companyId, member), { type: 'RequestTokenAssignment' });
    await world.ok(bank, { type: 'RegisterServiceAgreement', companyId, serviceId: SERVICE, approvalLevels: 1 });
    await world.ok(bank, { type: 'GrantApprover', companyId, serviceId: SERVICE, userId: member, level: 1 });
  }
  await world.ok(user(ACME, 'ana'), upload(ACME, 'a-1'));
  await world.ok(user(ACME, 'boss'), upload(ACME, 'a-2'));
  await world.ok(user(GLOBEX, 'gil'), upload(GLOBEX, 'g-1'));
});

describe('views bound to who asks', () => {
  it("a user sees their own company's token table; another company's reads as a company that does not exist", async () => {
    const ana = world.sdk.viewsFor(user(ACME, 'ana'));
    expect((await right(ana.tokenTable(ACME))).rows.map((row) => row.userId)).toEqual(['ana']);
    const other = await left(ana.tokenTable(GLOBEX));
    const none = await left(ana.tokenTable('no-such-company'));
    expect(other).toMatchObject({ _tag: 'NotFound' });
    expect(other.message.replace(GLOBEX, 'X')).toBe(none.message.replace('no-such-company', 'X'));
  });

  it("another company's orders and agreements read as not found", async () => {
    const ana = world.sdk.viewsFor(user(ACME, 'ana'));
    expect((await right(ana.orders.order(ACME, 'a-1')))?.orderId).toBe('a-1');
    expect(await right(ana.orders.order(GLOBEX, 'g-1'))).toBeUndefined();
    expect((await right(ana.orders.search({ companyId: ACME }))).rows.map((row) => row.orderId).sort()).toEqual(['a-1', 'a-2']);
    for (const view of [ana.orders.search, ana.orders.toDelete, ana.orders.toApprove, ana.orders.toRevoke]) {
      expect(await right(view({ companyId: GLOBEX }))).toEqual(await right(view({ companyId: 'no-such-company' })));
    }
    expect(await right(ana.orders.agreements(GLOBEX))).toEqual([]);
    expect((await right(ana.orders.agreements(ACME))).map((agreement) => agreement.serviceId)).toEqual([SERVICE]);
  });

  it("a user's audit trail holds only their own company's entries", async () => {
    const gil = world.sdk.viewsFor(user(GLOBEX, 'gil'));
    const own = await right(gil.audit({ pageSize: 500 }));
    expect(own.entries.length).toBeGreaterThan(0);
    expect(own.entries.every((entry) => entry.companyIds.includes(GLOBEX) && !entry.companyIds.includes(ACME))).toBe(true);
    expect((await right(gil.audit({ companyId: ACME }))).entries).toEqual([]);
    // The operator-level trail has both companies.
    const all = await right(world.sdk.views.audit({ pageSize: 500 }));
    expect(all.entries.some((entry) => entry.companyIds.includes(ACME))).toBe(true);
  });

  it("the Approve view is computed for the asking approver, under the company's maker-checker policy", async () => {
    const ana = world.sdk.viewsFor(user(ACME, 'ana'));
    const canApprove = async (query: Record<string, unknown>): Promise<Record<string, boolean | undefined>> =>
      Object.fromEntries((await right(ana.orders.toApprove({ companyId: ACME, ...query }))).rows.map((row) => [row.orderId, row.canApprove]));
    // ana uploaded a-1 (maker-checker) and may approve boss's a-2; naming another approver changes nothing.
    expect(await canApprove({})).toEqual({ 'a-1': false, 'a-2': true });
    expect(await canApprove({ approverId: 'boss', makerChecker: false })).toEqual({ 'a-1': false, 'a-2': true });
    await world.ok(bank, { type: 'ConfigureCompany', companyId: ACME, policy: { makerChecker: false } });
    expect(await canApprove({})).toEqual({ 'a-1': true, 'a-2': true });
    // boss holds no grant.
    expect(Object.values(Object.fromEntries((await right(world.sdk.viewsFor(user(ACME, 'boss')).orders.toApprove({ companyId: ACME }))).rows.map((row) => [row.orderId, row.canApprove])))).toEqual([false, false]);
  });

  it('a bank operator sees every company', async () => {
    const operator = world.sdk.viewsFor(bank);
    expect((await right(operator.tokenTable(GLOBEX))).rows.map((row) => row.userId)).toEqual(['gil']);
    expect((await right(operator.orders.order(GLOBEX, 'g-1')))?.companyId).toBe(GLOBEX);
    expect(await right(operator.orders.agreements(GLOBEX))).toHaveLength(1);
  });

  it('refuses an actor that is malformed, the system, inactive, unknown, or not of their company; no view answers for them', async () => {
    const refusals: [unknown, string][] = [
      [null, 'InvalidCommand'],
      [{ kind: 'user', companyId: ACME }, 'InvalidCommand'],
      [{ kind: 'system' } satisfies Actor, 'Forbidden'],
      [user(ACME, 'gone'), 'Forbidden'],
      [user(ACME, 'nobody'), 'Forbidden'],
      [user(GLOBEX, 'ana'), 'Forbidden'],
    ];
    for (const [actor, tag] of refusals) {
      const views = world.sdk.viewsFor(actor);
      const tasks: TaskEither<SdkError, unknown>[] = [views.tokenTable(ACME), views.audit(), views.orders.order(ACME, 'a-1'), views.orders.search({ companyId: ACME }), views.orders.agreements(ACME)];
      for (const task of tasks) expect(await left(task)).toMatchObject({ _tag: tag });
    }
  });

  it('keeps the unbound views answering for any company (operator-level)', async () => {
    expect((await right(world.sdk.views.orders.order(GLOBEX, 'g-1')))?.companyId).toBe(GLOBEX);
    expect((await right(world.sdk.views.tokenTable(GLOBEX))).rows).toHaveLength(1);
  });
});
