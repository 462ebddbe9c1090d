import * as E from 'fp-ts/lib/Either.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { postgresSdk } from '../../examples/http/postgres.js';
import { localKeyProvider } from '../../src/postgres/index.js';
import { demoAuthentication, startService, type RunningService } from '../../examples/http/service.js';
import { activateDevice, type DeviceToken } from '../../src/device/index.js';
import { createSdk, inMemoryActivationCodeOutbox, inMemoryDirectory, type ActivationOutput, type Sdk } from '../../src/index.js';
import { manualClock, type ManualClock } from '../../src/ports/clock.js';
import { openTestDatabase, type TestDatabase } from '../postgres/support/database.js';

const COMPANY = 'internacional-ec';
const people = [
  { companyId: COMPANY, userId: 'mperez', displayName: 'María Pérez', active: true, isCompanyAdmin: false, email: 'm@example.com', mobile: '+593 99 000 0000', securityAnswer: 'Quito' },
  { companyId: COMPANY, userId: 'pablo', displayName: 'Pablo', active: true, isCompanyAdmin: false, email: 'p@example.com', mobile: '+593 99 000 0002' },
  { companyId: 'other-co', userId: 'olga', displayName: 'Olga', active: true, isCompanyAdmin: true, email: 'o@example.com', mobile: '+593 99 000 0001' },
];
const T0 = Date.UTC(2025, 0, 15, 14, 0, 5);
const BANK = 'bank:op-1';
const MARIA = `user:${COMPANY}:mperez`;

interface Answer {
  readonly status: number;
  readonly headers: Headers;
  readonly body: Record<string, unknown>;
}

const call = async (base: string, path: string, init: { method?: string; actor?: string; body?: string; contentType?: string } = {}): Promise<Answer> => {
  const headers: Record<string, string> = {};
  if (init.actor !== undefined) headers['x-demo-actor'] = init.actor;
  if (init.body !== undefined) headers['content-type'] = init.contentType ?? 'application/json';
  const response = await fetch(`${base}${path}`, { method: init.method ?? (init.body === undefined ? 'GET' : 'POST'), headers, ...(init.body === undefined ? {} : { body: init.body }) });
  return { status: response.status, headers: response.headers, body: (await response.json()) as Record<string, unknown> };
};

let commandCounter = 0;
const command = (base: string, actor: string, body: Record<string, unknown>): Promise<Answer> =>
  call(base, '/commands', { actor, body: JSON.stringify({ commandId: `http-${String(++commandCounter)}`, ...body }) });

const errorOf = (answer: Answer): Record<string, unknown> => answer.body['error'] as Record<string, unknown>;

/** The Banco Internacional flow, end to end through HTTP: what a portal and a phone app would send. */
const selfServiceFlow = async (base: string, clock: ManualClock): Promise<DeviceToken> => {
  const configured = await command(base, BANK, { type: 'ConfigureCompany', companyId: COMPANY, quota: 3, policy: { assignmentConfirmation: 'none', activation: 'security-question' } });
  expect(configured.status).toBe(200);
  expect((configured.body['events'] as { type: string }[]).map((event) => event.type)).toEqual(['CompanyConfigured']);

  const requested = await command(base, MARIA, { type: 'RequestTokenAssignment' });
  expect(requested.status).toBe(200);
  expect(requested.headers.get('cache-control')).toBe('no-store');
  const output = requested.body['output'] as { serial: string; status: string; activation: ActivationOutput };
  expect(output.status).toBe('assigned');
  // The activation code is in the answer to the one caller who needs it, and in no event.
  expect(JSON.stringify(requested.body['events'])).not.toContain(output.activation.activationCode!.replaceAll('-', ''));
  expect(JSON.stringify(requested.body['events'])).not.toContain(output.activation.activationCode);

  const phone = activateDevice({ serial: output.serial, activationCode: output.activation.activationCode, parameters: output.activation.otpParameters });
  if (E.isLeft(phone)) throw new Error(phone.left._tag);
  expect((await command(base, MARIA, { type: 'EnrollDevice', serial: output.serial, registrationCode: phone.right.registrationCode })).status).toBe(200);

  const wrongAnswer = await command(base, MARIA, { type: 'ActivateToken', serial: output.serial, securityAnswer: 'Lima' });
  expect(wrongAnswer.status).toBe(403);
  expect(errorOf(wrongAnswer)).toMatchObject({ code: 'FORBIDDEN' });
  expect(JSON.stringify(wrongAnswer.body)).not.toContain('Lima');
  expect((await command(base, MARIA, { type: 'ActivateToken', serial: output.serial, securityAnswer: 'quito' })).status).toBe(200);

  clock.advance(30_000);
  const code = phone.right.token.code(clock.now());
  const verified = await command(base, MARIA, { type: 'VerifyOtp', otp: code });
  expect(verified.status).toBe(200);
  expect((verified.body['events'] as { type: string }[]).map((event) => event.type)).toEqual(['OtpAccepted']);
  const replay = await command(base, MARIA, { type: 'VerifyOtp', otp: code });
  expect(replay.status).toBe(401);
  expect(replay.headers.get('www-authenticate')).toMatch(/^OTP /u);
  expect(errorOf(replay)).toMatchObject({ code: 'OTP_REJECTED', reason: 'replay' });
  expect(JSON.stringify(replay.body)).not.toContain(code);

  const table = await call(base, `/companies/${COMPANY}/tokens`, { actor: MARIA });
  expect(table.status).toBe(200);
  expect(table.body).toMatchObject({ quota: { total: 3, available: 2 }, summary: 'showing 1 to 1 of 1' });
  expect((table.body['rows'] as { userName: string; status: string }[]).map((row) => [row.userName, row.status])).toEqual([['María Pérez', 'active']]);

  const audit = await call(base, '/audit?pageSize=3', { actor: MARIA });
  expect(audit.status).toBe(200);
  expect((audit.body['entries'] as { action: string; outcome: string }[]).map((entry) => [entry.action, entry.outcome])).toEqual([
    ['VerifyOtp', 'failed'],
    ['VerifyOtp', 'succeeded'],
    ['ActivateToken', 'succeeded'],
  ]);

  const integrity = await call(base, '/integrity', { actor: BANK });
  expect(integrity.status).toBe(200);
  expect(integrity.body).toMatchObject({ ok: true });
  return phone.right.token;
};

/** An order through its one approval level, confirmed with a code from the app, as the views show it. */
const orderApprovalFlow = async (base: string, clock: ManualClock, app: DeviceToken): Promise<void> => {
  expect((await command(base, BANK, { type: 'RegisterServiceAgreement', companyId: COMPANY, serviceId: 'PAGOS', approvalLevels: 1 })).status).toBe(200);
  expect((await command(base, BANK, { type: 'GrantApprover', companyId: COMPANY, serviceId: 'PAGOS', userId: 'mperez', level: 1 })).status).toBe(200);
  const order = { type: 'UploadOrder', orderId: 'ORD-1', companyId: COMPANY, serviceId: 'PAGOS', kind: 'single', reference: 'FACTURA 1', total: '250.00', currency: 'USD' };
  expect((await command(base, `user:${COMPANY}:pablo`, order)).status).toBe(200);

  const toApprove = await call(base, `/companies/${COMPANY}/orders?view=approve&serviceId=PAGOS&approverId=mperez`, { actor: MARIA });
  expect(toApprove.status).toBe(200);
  expect(toApprove.body['rows']).toEqual([expect.objectContaining({ orderId: 'ORD-1', status: 'pending-approval', canApprove: true })]);
  const withoutCode = await command(base, MARIA, { type: 'ApproveOrders', orderIds: ['ORD-1'] });
  expect([withoutCode.status, errorOf(withoutCode)['code']]).toEqual([401, 'OTP_REQUIRED']);
  clock.advance(30_000);
  const approved = await command(base, MARIA, { type: 'ApproveOrders', orderIds: ['ORD-1'], otp: app.code(clock.now()) });
  expect(approved.status).toBe(200);
  expect(approved.body['output']).toEqual({ orders: [{ orderId: 'ORD-1', status: 'approved', level: 1 }] });
};

const serve = async (sdk: Sdk): Promise<RunningService> => startService(sdk, { authenticate: demoAuthentication, host: '127.0.0.1', port: 0, maxBodyBytes: 4096 });

describe('the example HTTP service on the in-memory defaults', () => {
  const clock = manualClock(T0);
  let service: RunningService;
  beforeAll(async () => {
    service = await serve(createSdk({ clock, directory: inMemoryDirectory(people) }));
  });
  afterAll(async () => {
    await service.close();
  });

  it('listens on 127.0.0.1', () => {
    expect(service.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/u);
  });

  it('runs the self-service flow and then an order through its approval with a code from the app, and shows it in the views', async () => {
    const app = await selfServiceFlow(service.url, clock);
    await orderApprovalFlow(service.url, clock, app);
    const toRevoke = await call(service.url, `/companies/${COMPANY}/orders?view=revoke`, { actor: MARIA });
    expect((toRevoke.body['rows'] as { orderId: string }[]).map((row) => row.orderId)).toEqual(['ORD-1']);
    const searched = await call(service.url, `/companies/${COMPANY}/orders?status=approved,executed`, { actor: BANK });
    expect(searched.body).toMatchObject({ count: 1, totals: { USD: '250.00' } });
    const one = await call(service.url, '/orders/ORD-1', { actor: MARIA });
    expect(one.body).toMatchObject({ orderId: 'ORD-1', approvals: [expect.objectContaining({ level: 1, userId: 'mperez' })] });
    // Another company's user learns nothing from an order id.
    const elsewhere = await call(service.url, '/orders/ORD-1', { actor: 'user:other-co:olga' });
    expect([elsewhere.status, errorOf(elsewhere)['code']]).toEqual([404, 'NOT_FOUND']);
    expect((await call(service.url, '/orders/ORD-404', { actor: MARIA })).status).toBe(404);
    const badView = await call(service.url, `/companies/${COMPANY}/orders?view=everything`, { actor: MARIA });
    expect([badView.status, errorOf(badView)['issues']]).toEqual([400, [{ path: 'view', message: 'one of search, delete, approve, revoke' }]]);
    const badStatus = await call(service.url, `/companies/${COMPANY}/orders?status=lost`, { actor: MARIA });
    expect([badStatus.status, errorOf(badStatus)['code']]).toEqual([400, 'INVALID_COMMAND']);
    expect((await call(service.url, `/companies/${COMPANY}/orders?view=delete`, { actor: MARIA })).body).toMatchObject({ count: 0 });
    expect((await call(service.url, `/companies/other-co/orders`, { actor: MARIA })).status).toBe(403);
  });

  it('answers SDK errors with their status and a JSON body naming the code', async () => {
    const invalid = await command(service.url, BANK, { type: 'ConfigureCompany', companyId: 'x', quota: -1 });
    expect(invalid.status).toBe(400);
    expect(errorOf(invalid)).toMatchObject({ code: 'INVALID_COMMAND', issues: [expect.objectContaining({ path: 'quota' })] });
    const unknownToken = await command(service.url, BANK, { type: 'DeleteToken', serial: 'ST0000000000X' });
    expect(unknownToken.status).toBe(404);
    const notAllowed = await command(service.url, `user:${COMPANY}:mperez`, { type: 'ConfigureCompany', companyId: COMPANY, quota: 99 });
    expect(notAllowed.status).toBe(403);
  });

  it('takes the actor from authentication only', async () => {
    const spoofed = await call(service.url, '/commands', { actor: MARIA, body: JSON.stringify({ commandId: 'spoof-1', type: 'ConfigureCompany', companyId: COMPANY, quota: 99, actor: { kind: 'bank', operatorId: 'op-1' } }) });
    expect(spoofed.status).toBe(400);
    expect(errorOf(spoofed)).toMatchObject({ code: 'INVALID_COMMAND', issues: [{ path: 'actor', message: expect.stringContaining('sign-in') as string }] });
    const anonymous = await call(service.url, '/commands', { body: JSON.stringify({ commandId: 'anon-1', type: 'VerifyOtp', otp: '123456' }) });
    expect(anonymous.status).toBe(401);
    expect(errorOf(anonymous)).toMatchObject({ code: 'UNAUTHENTICATED' });
    expect((await call(service.url, '/integrity', { actor: 'user:nobody' })).status).toBe(401);
  });

  it('lets a user read their own company only, and the store check to the bank only', async () => {
    expect((await call(service.url, `/companies/${COMPANY}/tokens`, { actor: 'user:other-co:olga' })).status).toBe(403);
    expect((await call(service.url, `/audit?companyId=${COMPANY}`, { actor: 'user:other-co:olga' })).status).toBe(403);
    const ownAudit = await call(service.url, '/audit', { actor: 'user:other-co:olga' });
    expect(ownAudit.body['entries']).toEqual([]);
    expect((await call(service.url, '/integrity', { actor: MARIA })).status).toBe(403);
    expect((await call(service.url, `/companies/${COMPANY}/tokens`, { actor: BANK })).status).toBe(200);
  });

  it('refuses what is not a JSON command before the SDK sees it', async () => {
    const notJson = await call(service.url, '/commands', { actor: BANK, body: '{"type": ' });
    expect([notJson.status, errorOf(notJson)['code']]).toEqual([400, 'INVALID_COMMAND']);
    const array = await call(service.url, '/commands', { actor: BANK, body: '[]' });
    expect([array.status, errorOf(array)['code']]).toEqual([400, 'INVALID_COMMAND']);
    const text = await call(service.url, '/commands', { actor: BANK, body: '{}', contentType: 'text/plain' });
    expect([text.status, errorOf(text)['code']]).toEqual([415, 'UNSUPPORTED_MEDIA_TYPE']);
    const large = await call(service.url, '/commands', { actor: BANK, body: JSON.stringify({ type: 'VerifyOtp', padding: 'x'.repeat(5000) }) });
    expect([large.status, errorOf(large)['code']]).toEqual([413, 'BODY_TOO_LARGE']);
    const view = await call(service.url, `/companies/${COMPANY}/tokens?pageSize=500`, { actor: BANK });
    expect([view.status, errorOf(view)['code']]).toEqual([400, 'INVALID_COMMAND']);
    const route = await call(service.url, '/nowhere', { actor: BANK });
    expect([route.status, errorOf(route)['code']]).toEqual([404, 'NOT_FOUND']);
    const method = await call(service.url, '/commands', { actor: BANK });
    expect(method.status).toBe(405);
    const badPath = await call(service.url, '/companies/%E0%A4%A/tokens', { actor: BANK });
    expect(badPath.status).toBe(400);
  });

  it('answers a replayed commandId with the first outcome', async () => {
    const first = await call(service.url, '/commands', { actor: BANK, body: JSON.stringify({ commandId: 'same-1', type: 'ConfigureCompany', companyId: 'replay-co', quota: 1 }) });
    const again = await call(service.url, '/commands', { actor: BANK, body: JSON.stringify({ commandId: 'same-1', type: 'ConfigureCompany', companyId: 'replay-co', quota: 1 }) });
    expect([first.status, first.body['replayed']]).toEqual([200, false]);
    expect([again.status, again.body['replayed']]).toEqual([200, true]);
    expect(again.body['events']).toEqual(first.body['events']);
  });
});

describe('the example HTTP service on PostgreSQL', () => {
  const clock = manualClock(T0);
  let db: TestDatabase;
  let service: RunningService;
  let schema = '';
  beforeAll(async () => {
    db = await openTestDatabase(4);
    schema = db.newSchema();
    const sdk = await postgresSdk(db.pool, { schema, clock, keys: localKeyProvider([{ key: new Uint8Array(32).fill(7) }]), directory: inMemoryDirectory(people) })();
    if (E.isLeft(sdk)) throw new Error(sdk.left.message);
    service = await serve(sdk.right);
  });
  afterAll(async () => {
    await service.close();
    await db.close();
  });

  it('runs the same flows with their events in PostgreSQL', async () => {
    await orderApprovalFlow(service.url, clock, await selfServiceFlow(service.url, clock));
    const stored = await db.pool.query({ text: `SELECT event_json::json->>'type' AS type FROM ${schema}.events ORDER BY global_position` });
    expect(stored.rows.map((row) => (row as { type: string }).type)).toEqual(expect.arrayContaining(['CompanyConfigured', 'TokenRequested', 'DeviceEnrolled', 'TokenActivated', 'OtpAccepted', 'OtpRejected', 'OrderUploaded', 'OrderApproved']));
    // The seeds live in the PostgreSQL vault, sealed.
    const sealed = await db.pool.query({ text: `SELECT count(*)::int AS n FROM ${schema}.secret_vault` });
    expect((sealed.rows[0] as { n: number }).n).toBeGreaterThan(0);
  });

  it('reports a store that cannot be migrated, without throwing', async () => {
    const broken = await postgresSdk(db.pool, { schema: 'Not A Schema', keys: localKeyProvider([{ key: new Uint8Array(32) }]) })();
    expect(E.isLeft(broken) && broken.left.code).toBe('INFRASTRUCTURE');
  });
});

describe('the example HTTP service: an activation code an admin issues reaches only the owner\'s phone', () => {
  it('the admin\'s answer has no code; the owner reads it from their phone inbox; nobody else can', async () => {
    const phone = inMemoryActivationCodeOutbox();
    const admins = [...people, { companyId: COMPANY, userId: 'boss', displayName: 'Boss', active: true, isCompanyAdmin: true, email: 'b@example.com', mobile: '+593 99 000 0003' }];
    const service = await startService(createSdk({ clock: manualClock(T0), directory: inMemoryDirectory(admins), activationCodeDelivery: phone }), {
      authenticate: demoAuthentication,
      host: '127.0.0.1',
      port: 0,
      phone,
    });
    try {
      const BOSS = `user:${COMPANY}:boss`;
      expect((await command(service.url, BANK, { type: 'ConfigureCompany', companyId: COMPANY, quota: 3 })).status).toBe(200);
      const requested = await command(service.url, BOSS, { type: 'RequestTokenAssignment', userId: 'pablo' });
      const serial = (requested.body['output'] as { serial: string }).serial;
      const confirmed = await command(service.url, BOSS, { type: 'ConfirmTokenAssignment', serial });
      expect(confirmed.status).toBe(200);
      expect(confirmed.body['output']).toMatchObject({ activation: { codeDelivery: 'sent-to-owner' } });
      const code = phone.latestFor({ companyId: COMPANY, userId: 'pablo', serial })?.activationCode ?? 'none';
      expect(JSON.stringify(confirmed.body)).not.toContain(code);
      const own = await call(service.url, `/phone/activation-codes/${serial}`, { actor: `user:${COMPANY}:pablo` });
      expect(own.status).toBe(200);
      expect(own.body['activationCode']).toBe(code);
      for (const someoneElse of [BOSS, BANK, MARIA]) expect((await call(service.url, `/phone/activation-codes/${serial}`, { actor: someoneElse })).status).toBe(404);
    } finally {
      await service.close();
    }
  });
});
