import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { ActivationCodeOutput, RequestTokenAssignmentOutput } from '../../src/commands/token/index.js';
import { activateDevice } from '../../src/device/index.js';
import { encodeBase32 } from '../../src/otp/base32.js';
import { totp } from '../../src/otp/totp.js';
import { inMemorySecretVault } from '../../src/ports/in-memory-secret-vault.js';
import { seededRandom } from '../../src/ports/random.js';
import { createSdk } from '../../src/sdk/create-sdk.js';
import { secretShredder } from '../../src/sdk/secret-shredder.js';
import { inMemoryEventStore } from '../../src/store/in-memory-event-store.js';
import { activeToken, configure } from './fixtures.js';
import { bank, harness, output, person, STEP, T0, user } from './harness.js';

const CO = 'acme';
const admin = user(CO, 'ada');
const bo = user(CO, 'bo');
const people = [person(CO, 'ada', { isCompanyAdmin: true }), person(CO, 'bo', { displayName: '  Bo\u0000 Ruiz ' }), person(CO, 'cy', { displayName: '' })];
const seed = Uint8Array.from({ length: 20 }, (_, index) => 200 - index);

describe('ResyncToken', () => {
  it('finds a drifted token from two consecutive codes, and the window follows it afterwards', async () => {
    const world = harness(people);
    await configure(world, CO, 5);
    await world.ok(bank, { type: 'ImportPhysicalToken', companyId: CO, userId: 'bo', serial: 'hw-0001', seed: encodeBase32(seed) });
    // The hardware clock runs 10 steps ahead: outside the window of one step either side.
    const drifted = (at: number): string => totp(seed, at + 10 * STEP);
    world.clock.advance(STEP);
    expect(await world.fails(bo, { type: 'VerifyOtp', otp: drifted(world.clock.now()) })).toMatchObject({ _tag: 'OtpRejected', reason: 'mismatch' });
    world.clock.advance(STEP);
    const now = world.clock.now();
    const resynced = output<{ serial: string; drift: number }>(await world.ok(bo, { type: 'ResyncToken', serial: 'HW0001', codes: [drifted(now - STEP), drifted(now)] }));
    expect(resynced).toMatchObject({ serial: 'HW0001', drift: 10 });
    world.clock.advance(STEP);
    await world.ok(bo, { type: 'VerifyOtp', otp: drifted(world.clock.now()) });
  });

  it('counts a failed resync as an OTP failure, and refuses strangers and locked tokens', async () => {
    const world = harness([...people, person(CO, 'eve')]);
    await configure(world, CO, 5, { maxFailures: 2 });
    await world.ok(bank, { type: 'ImportPhysicalToken', companyId: CO, userId: 'bo', serial: 'HW2', seed: encodeBase32(seed) });
    expect(await world.fails(user(CO, 'eve'), { type: 'ResyncToken', serial: 'HW2', codes: ['000000', '000001'] })).toMatchObject({ _tag: 'Forbidden' });
    expect(await world.fails(bo, { type: 'ResyncToken', serial: 'HW2', codes: ['000000', 'abc'] })).toMatchObject({ _tag: 'OtpRejected' });
    expect(await world.fails(bo, { type: 'ResyncToken', serial: 'HW2', codes: ['000000', '000001'] })).toMatchObject({ _tag: 'OtpRejected' });
    expect(await world.fails(bo, { type: 'ResyncToken', serial: 'HW2', codes: ['000000', '000001'] })).toMatchObject({ _tag: 'TokenLocked' });
    // The admin may resync too, once the token is unlocked.
    await world.ok(bank, { type: 'UnlockToken', serial: 'HW2' });
    const now = world.clock.now();
    await world.ok(admin, { type: 'ResyncToken', serial: 'HW2', codes: [totp(seed, now - STEP), totp(seed, now)] });
  });
});

describe('replays', () => {
  it('return each command\'s first outcome, and a refused command\'s first failure', async () => {
    const world = harness(people);
    const send = (commandId: string, actor: typeof admin | typeof bank, command: Record<string, unknown>) => world.sdk.dispatchJson({ ...command, commandId, actor })();
    const twice = async (commandId: string, actor: typeof admin | typeof bank, command: Record<string, unknown>) => {
      const first = await send(commandId, actor, command);
      const again = await send(commandId, actor, command);
      return { first, again };
    };
    const configured = await twice('c1', bank, { type: 'ConfigureCompany', companyId: CO, quota: 3 });
    expect(E.isRight(configured.again) && configured.again.right.output).toEqual(E.isRight(configured.first) && configured.first.right.output);

    const imported = await twice('i1', bank, { type: 'ImportPhysicalToken', companyId: CO, userId: 'ada', serial: 'HW7', seed: encodeBase32(seed) });
    expect(E.isRight(imported.again) && imported.again.right).toMatchObject({ replayed: true, output: { serial: 'HW7', status: 'active', kind: 'physical' } });

    world.clock.advance(STEP);
    const verified = await twice('v1', admin, { type: 'VerifyOtp', otp: totp(seed, world.clock.now()) });
    expect(E.isRight(verified.again) && verified.again.right.output).toEqual(E.isRight(verified.first) && verified.first.right.output);
    const refused = await twice('v2', admin, { type: 'VerifyOtp', otp: '000000' === totp(seed, world.clock.now()) ? '111111' : '000000' });
    expect(refused.again).toEqual(refused.first);
    expect(E.isLeft(refused.again) && refused.again.left._tag).toBe('OtpRejected');

    const requested = await twice('r1', admin, { type: 'RequestTokenAssignment', userId: 'bo' });
    if (E.isLeft(requested.first) || E.isLeft(requested.again)) throw new Error('request failed');
    expect(requested.again.right.output).toEqual(requested.first.right.output);
    const serial = output<RequestTokenAssignmentOutput>(requested.first.right).serial;

    world.clock.advance(STEP);
    const confirmed = await twice('k1', admin, { type: 'ConfirmTokenAssignment', serial, otp: totp(seed, world.clock.now()) });
    if (E.isLeft(confirmed.first)) throw new Error(confirmed.first.left.message);
    const activation = output<ActivationCodeOutput>(confirmed.first.right).activation;
    world.clock.advance(STEP);
    const reissued = await twice('k2', admin, { type: 'ReissueActivationCode', serial, otp: totp(seed, world.clock.now()) });
    expect(E.isRight(reissued.again) && output<ActivationCodeOutput>(reissued.again.right).activation).toEqual({
      codeDelivery: 'already-issued',
      activationCodeExpiresAt: E.isRight(reissued.first) ? output<ActivationCodeOutput>(reissued.first.right).activation.activationCodeExpiresAt : '',
      otpParameters: activation.otpParameters,
    });
    const app = activateDevice({ serial, activationCode: world.deliveredCode(serial), random: seededRandom(3) });
    if (E.isLeft(app)) throw new Error(app.left._tag);
    const enrolled = await twice('e1', bo, { type: 'EnrollDevice', serial, registrationCode: app.right.registrationCode });
    expect(E.isRight(enrolled.again) && enrolled.again.right.output).toEqual({ serial, status: 'pending-activation', method: 'activation-code' });
    world.clock.advance(STEP);
    const activated = await twice('a1', admin, { type: 'ActivateToken', serial, otp: totp(seed, world.clock.now()) });
    expect(E.isRight(activated.again) && activated.again.right.output).toEqual(E.isRight(activated.first) && activated.first.right.output);

    for (let n = 0; n < 10; n++) {
      world.clock.advance(STEP);
      await world.send(bo, { type: 'VerifyOtp', otp: 'xxxxxx' });
    }
    const unlocked = await twice('u1', bank, { type: 'UnlockToken', serial });
    expect(E.isRight(unlocked.again) && unlocked.again.right.output).toEqual({ serial, locked: false });
    const deleted = await twice('d1', bank, { type: 'DeleteToken', serial });
    expect(E.isRight(deleted.again) && deleted.again.right.output).toEqual({ serial, status: 'deleted' });
  });
});

describe('configuration and the directory', () => {
  it('ConfigureCompany is the bank\'s; reconfiguration keeps what it leaves out; the quota cannot drop below use', async () => {
    const world = harness(people);
    expect(await world.fails(admin, { type: 'ConfigureCompany', companyId: CO, quota: 9 })).toMatchObject({ _tag: 'Forbidden' });
    expect(await world.fails(bank, { type: 'ConfigureCompany', companyId: CO })).toMatchObject({ _tag: 'InvalidCommand', issues: [{ path: 'quota' }] });
    await configure(world, CO, 2, { maxFailures: 4 });
    await world.ok(admin, { type: 'RequestTokenAssignment', userId: 'bo' });
    await world.ok(admin, { type: 'RequestTokenAssignment', userId: 'cy' });
    expect(await world.fails(bank, { type: 'ConfigureCompany', companyId: CO, quota: 1 })).toMatchObject({ _tag: 'PreconditionFailed', precondition: 'quota-in-use' });
    const reconfigured = await world.ok(bank, { type: 'ConfigureCompany', companyId: CO, policy: { otp: { digits: 8 } } });
    expect(reconfigured.output).toMatchObject({ quota: 2, policy: { maxFailures: 4, otp: { digits: 8, algorithm: 'SHA1' } } });
    expect(await world.fails(admin, { type: 'RequestTokenAssignment', userId: 'ada' })).toMatchObject({ _tag: 'QuotaExhausted' });
  });

  it('commands for an unconfigured company are NotFound, and names shown are cleaned', async () => {
    const world = harness(people);
    expect(await world.fails(admin, { type: 'RequestTokenAssignment', userId: 'bo' })).toMatchObject({ _tag: 'NotFound', entity: 'company' });
    await configure(world, CO, 5);
    await world.ok(admin, { type: 'RequestTokenAssignment', userId: 'bo' });
    await world.ok(admin, { type: 'RequestTokenAssignment', userId: 'cy' });
    const table = await world.sdk.views.tokenTable(CO)();
    expect(E.isRight(table) && table.right.rows.map((row) => row.userName)).toEqual(['Bo  Ruiz', 'cy']);
  });

  it('a failing directory or vault is an Infrastructure error', async () => {
    const failing = harness(people, {
      directory: { getUser: () => Promise.reject(new Error('LDAP down')), checkSecurityAnswer: () => false },
    });
    await configure(failing, CO, 5);
    expect(await failing.fails(admin, { type: 'RequestTokenAssignment', userId: 'bo' })).toMatchObject({ _tag: 'Infrastructure', message: expect.stringContaining('directory') as string });
    const vault = inMemorySecretVault();
    const brokenVault = harness(people, { vault: { ...vault, put: () => Promise.reject(new Error('KMS down')) } });
    await configure(brokenVault, CO, 5);
    await brokenVault.ok(admin, { type: 'RequestTokenAssignment', userId: 'bo' });
    const table = await brokenVault.sdk.views.tokenTable(CO)();
    const serial = E.isRight(table) ? table.right.rows[0]!.serial : '';
    expect(await brokenVault.fails(admin, { type: 'ConfirmTokenAssignment', serial })).toMatchObject({ _tag: 'Infrastructure' });
  });
});

describe('physical tokens', () => {
  it('are imported once per serial and per user, for active users, with strong seeds unless the SDK allows legacy ones', async () => {
    const world = harness([...people, person(CO, 'gone', { active: false })]);
    await configure(world, CO, 5);
    const importing = (fields: Record<string, unknown>) => ({ type: 'ImportPhysicalToken', companyId: CO, userId: 'bo', serial: 'HW1', seed: encodeBase32(seed), ...fields });
    await world.ok(bank, importing({}));
    expect(await world.fails(bank, importing({ userId: 'cy' }))).toMatchObject({ _tag: 'PreconditionFailed', precondition: 'unique-serial' });
    expect(await world.fails(bank, importing({ serial: 'HW2' }))).toMatchObject({ _tag: 'PreconditionFailed', precondition: 'no-live-physical-token' });
    expect(await world.fails(bank, importing({ serial: 'HW3', userId: 'nobody' }))).toMatchObject({ _tag: 'NotFound' });
    expect(await world.fails(bank, importing({ serial: 'HW3', userId: 'gone' }))).toMatchObject({ _tag: 'PreconditionFailed', precondition: 'user-active' });
    expect(await world.fails(bank, importing({ serial: '!!', userId: 'cy' }))).toMatchObject({ _tag: 'InvalidCommand', issues: [{ path: 'serial' }] });
    const short = encodeBase32(seed.slice(0, 10));
    expect(await world.fails(bank, importing({ serial: 'HW4', userId: 'cy', seed: short, legacyShortSeed: true }))).toMatchObject({ _tag: 'InvalidCommand', issues: [{ path: 'seed' }] });

    const legacy = harness(people, { allowLegacyShortSeeds: true });
    await configure(legacy, CO, 5);
    await legacy.ok(bank, { type: 'ImportPhysicalToken', companyId: CO, userId: 'cy', serial: 'OLD1', seed: short, legacyShortSeed: true, parameters: { digits: 8 } });
    legacy.clock.advance(STEP);
    await legacy.ok(user(CO, 'cy'), { type: 'VerifyOtp', otp: totp(seed.slice(0, 10), legacy.clock.now(), { digits: 8 }) });
  });

  it('a deleted physical token frees its user for another one, and its seed is destroyed', async () => {
    const world = harness(people);
    await configure(world, CO, 5);
    await world.ok(bank, { type: 'ImportPhysicalToken', companyId: CO, userId: 'bo', serial: 'HW1', seed: encodeBase32(seed) });
    world.clock.advance(STEP);
    await world.ok(bo, { type: 'DeleteToken', serial: 'HW1', otp: totp(seed, world.clock.now()) });
    await world.ok(bank, { type: 'ImportPhysicalToken', companyId: CO, userId: 'bo', serial: 'HW2', seed: encodeBase32(seed) });
    const stream = await world.sdk.store.readStream('token-HW1')();
    const seedRef = E.isRight(stream) ? (stream.right[0]?.data.seedRef as string) : '';
    expect(await world.vault.get(seedRef)).toBeUndefined();
  });
});

describe('policies', () => {
  it('timed unlock reopens a locked token by itself', async () => {
    const world = harness(people);
    await configure(world, CO, 5, { maxFailures: 2, timedUnlockSeconds: 600 });
    const ada = await activeToken(world, admin, admin);
    for (let attempt = 0; attempt < 2; attempt++) {
      world.clock.advance(STEP);
      await world.fails(admin, { type: 'VerifyOtp', otp: 'nope' });
    }
    const lockedRow = async () => {
      const table = await world.sdk.views.tokenTable(CO)();
      return E.isRight(table) && table.right.rows[0]?.locked;
    };
    expect(await lockedRow()).toBe(true);
    world.clock.advance(600_000);
    expect(await lockedRow()).toBe(false);
    await world.ok(admin, { type: 'VerifyOtp', otp: ada.app.code(world.clock.now()) });
  });

  it('under assignmentConfirmation none the owner may reissue; enrolling by physical token needs one', async () => {
    const world = harness(people);
    await configure(world, CO, 5, { assignmentConfirmation: 'none' });
    const created = output<RequestTokenAssignmentOutput>(await world.ok(bo, { type: 'RequestTokenAssignment' }));
    const reissued = output<ActivationCodeOutput>(await world.ok(bo, { type: 'ReissueActivationCode', serial: created.serial }));
    const app = activateDevice({ serial: created.serial, activationCode: reissued.activation.activationCode, random: seededRandom(9) });
    if (E.isLeft(app)) throw new Error(app.left._tag);
    expect(await world.fails(bo, { type: 'EnrollDevice', serial: created.serial, registrationCode: app.right.registrationCode, method: 'credentials+physical-token' })).toMatchObject({
      _tag: 'PreconditionFailed',
      precondition: 'physical-token',
    });
    expect(output<{ method: string }>(await world.ok(bo, { type: 'EnrollDevice', serial: created.serial, registrationCode: app.right.registrationCode, method: 'credentials' })).method).toBe(
      'credentials',
    );
  });

  it('wrong security answers lock the pending activation; an admin unlock lets the owner answer again', async () => {
    const world = harness([person(CO, 'ada', { isCompanyAdmin: true }), { ...person(CO, 'bo'), securityAnswer: 'blue' }]);
    await configure(world, CO, 5, { activation: 'security-question', registrationAttempts: 2 });
    const created = output<RequestTokenAssignmentOutput>(await world.ok(admin, { type: 'RequestTokenAssignment', userId: 'bo' }));
    await world.ok(admin, { type: 'ConfirmTokenAssignment', serial: created.serial });
    const app = activateDevice({ serial: created.serial, activationCode: world.deliveredCode(created.serial), random: seededRandom(2) });
    if (E.isLeft(app)) throw new Error(app.left._tag);
    await world.ok(bo, { type: 'EnrollDevice', serial: created.serial, registrationCode: app.right.registrationCode });
    expect(await world.fails(admin, { type: 'ActivateToken', serial: created.serial, securityAnswer: 'blue' })).toMatchObject({ _tag: 'Forbidden' });
    expect(await world.fails(bo, { type: 'ActivateToken', serial: created.serial })).toMatchObject({ _tag: 'InvalidCommand', issues: [{ path: 'securityAnswer' }] });
    expect(await world.fails(bo, { type: 'ActivateToken', serial: created.serial, securityAnswer: 'red' })).toMatchObject({ _tag: 'Forbidden' });
    expect(await world.fails(bo, { type: 'ActivateToken', serial: created.serial, securityAnswer: 'green' })).toMatchObject({ _tag: 'Forbidden' });
    expect(await world.fails(bo, { type: 'ActivateToken', serial: created.serial, securityAnswer: 'blue' })).toMatchObject({ _tag: 'TokenLocked' });
    await world.ok(admin, { type: 'UnlockToken', serial: created.serial });
    // The token is open again, but the user's wrong answers are counted per user: that lock is cleared on its own.
    expect(await world.fails(bo, { type: 'ActivateToken', serial: created.serial, securityAnswer: 'BLUE' })).toMatchObject({ precondition: 'security-question-unlocked' });
    await world.ok(admin, { type: 'ClearSecurityQuestionLock', companyId: CO, userId: 'bo' });
    await world.ok(bo, { type: 'ActivateToken', serial: created.serial, securityAnswer: 'BLUE' });
  });
});

describe('createSdk', () => {
  it('refuses a bad serial prefix on every call instead of throwing, and uses a good one', async () => {
    const broken = createSdk({ serialPrefix: 'bad1' });
    for (const result of [await broken.dispatch({} as never)(), await broken.dispatchJson({})(), await broken.views.tokenTable('x')(), await broken.views.audit()(), await broken.verify()()]) {
      expect(E.isLeft(result) && result.left).toMatchObject({ _tag: 'InvalidCommand', issues: [{ path: 'config.serialPrefix' }] });
    }
    const world = harness(people, { serialPrefix: 'BOC' });
    await configure(world, CO, 5);
    expect(output<RequestTokenAssignmentOutput>(await world.ok(bo, { type: 'RequestTokenAssignment' })).serial).toMatch(/^BOC[0-9]{10}[0-9A-Z]$/);
  });

  it('works on its defaults alone', async () => {
    const sdk = createSdk();
    const result = await sdk.dispatch({ type: 'ConfigureCompany', commandId: 'c', actor: bank, companyId: CO, quota: 1 })();
    expect(E.isRight(result)).toBe(true);
  });
});

describe('the secret shredder', () => {
  it('stops at a vault failure without losing its place, and finishes on the next run', async () => {
    const store = inMemoryEventStore();
    const vault = inMemorySecretVault();
    await vault.put('seed-1', seed);
    let failures = 1;
    const flaky = { ...vault, destroy: (ref: string) => (failures-- > 0 ? Promise.reject(new Error('KMS down')) : vault.destroy(ref)) };
    const metadata = { commandId: 'c1', correlationId: 'c1', causationId: 'c1', actor: bank, occurredAt: new Date(T0).toISOString() };
    await store.append([{ streamId: 'token-X', expectedVersion: 'no-stream', events: [{ eventId: '0190a0b0-0000-7000-8000-000000000001', type: 'TokenDeleted', schemaVersion: 1, data: { destroyedSecretRefs: ['seed-1'] }, metadata }] }])();
    const shredder = secretShredder(store, flaky);
    expect(await shredder.catchUp()()).toEqual(E.left(expect.objectContaining({ _tag: 'Infrastructure' })));
    expect(shredder.position()).toBe(0);
    expect(await vault.get('seed-1')).toBeDefined();
    expect(await shredder.catchUp()()).toEqual(E.right(1));
    expect(shredder.position()).toBe(1);
    expect(await vault.get('seed-1')).toBeUndefined();
  });

  it('pages through long histories and serialises concurrent runs', async () => {
    const store = inMemoryEventStore();
    const vault = inMemorySecretVault();
    const metadata = (n: number) => ({ commandId: `c${String(n)}`, correlationId: 'c', causationId: 'c', actor: bank, occurredAt: new Date(T0).toISOString() });
    for (let n = 1; n <= 5; n++) {
      await vault.put(`s${String(n)}`, seed);
      await store.append([{ streamId: `token-${String(n)}`, expectedVersion: 'no-stream', events: [{ eventId: `0190a0b0-0000-7000-8000-00000000000${String(n)}`, type: 'TokenDeleted', schemaVersion: 1, data: { destroyedSecretRefs: [`s${String(n)}`] }, metadata: metadata(n) }] }])();
    }
    const shredder = secretShredder(store, vault, { pageSize: 2 });
    const [first, second] = await Promise.all([shredder.catchUp()(), shredder.catchUp()()]);
    expect([first, second]).toEqual([E.right(5), E.right(0)]);
    for (let n = 1; n <= 5; n++) expect(await vault.get(`s${String(n)}`)).toBeUndefined();
  });
});
