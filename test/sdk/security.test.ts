import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { ActivationCodeOutput, RequestTokenAssignmentOutput } from '../../src/commands/token/index.js';
import { activateDevice } from '../../src/device/index.js';
import { seededRandom } from '../../src/ports/random.js';
import { activeToken, configure } from './fixtures.js';
import { bank, harness, output, person, STEP, user } from './harness.js';

const CO = 'acme';
const admin = user(CO, 'ada');
const bo = user(CO, 'bo');
const cy = user(CO, 'cy');
const people = [person(CO, 'ada', { isCompanyAdmin: true }), person(CO, 'bo'), person(CO, 'cy'), person('other', 'oz', { isCompanyAdmin: true })];

const enrolledWorld = async () => {
  const world = harness(people);
  await configure(world, CO, 5);
  const ada = await activeToken(world, admin, admin);
  const boToken = await activeToken(world, admin, bo, ada.app);
  return { world, ada, bo: boToken };
};

describe('one-time passwords', () => {
  it('refuses a reused code', async () => {
    const { world, bo: token } = await enrolledWorld();
    world.clock.advance(STEP);
    const code = token.app.code(world.clock.now());
    await world.ok(bo, { type: 'VerifyOtp', otp: code });
    expect(await world.fails(bo, { type: 'VerifyOtp', otp: code })).toMatchObject({ _tag: 'OtpRejected', reason: 'replay' });
  });

  it('locks a token at the 10th consecutive wrong code; its owner can no longer act; an admin unlock reopens it', async () => {
    const { world, ada, bo: token } = await enrolledWorld();
    for (let attempt = 1; attempt <= 10; attempt++) {
      world.clock.advance(STEP);
      expect(await world.fails(bo, { type: 'VerifyOtp', otp: '000000' === token.app.code(world.clock.now()) ? '111111' : '000000' })).toMatchObject({ _tag: 'OtpRejected' });
    }
    world.clock.advance(STEP);
    expect(await world.fails(bo, { type: 'VerifyOtp', otp: token.app.code(world.clock.now()) })).toMatchObject({ _tag: 'TokenLocked', serial: token.serial });
    expect(await world.fails(bo, { type: 'DeleteToken', serial: token.serial, otp: token.app.code(world.clock.now()) })).toMatchObject({ _tag: 'TokenLocked' });
    const table = await world.sdk.views.tokenTable(CO)();
    expect(E.isRight(table) && table.right.rows.find((row) => row.serial === token.serial)?.locked).toBe(true);

    world.clock.advance(STEP);
    await world.ok(admin, { type: 'UnlockToken', serial: token.serial, otp: ada.app.code(world.clock.now()) });
    world.clock.advance(STEP);
    await world.ok(bo, { type: 'VerifyOtp', otp: token.app.code(world.clock.now()) });
  });

  it('a locked admin cannot act, and cannot unlock themself; the bank can', async () => {
    const { world, ada, bo: token } = await enrolledWorld();
    for (let attempt = 1; attempt <= 10; attempt++) {
      world.clock.advance(STEP);
      await world.fails(admin, { type: 'VerifyOtp', otp: 'abcdef' });
    }
    world.clock.advance(STEP);
    expect(await world.fails(admin, { type: 'DeleteToken', serial: token.serial, otp: ada.app.code(world.clock.now()) })).toMatchObject({ _tag: 'TokenLocked' });
    expect(await world.fails(admin, { type: 'UnlockToken', serial: ada.serial, otp: ada.app.code(world.clock.now()) })).toMatchObject({ _tag: 'TokenLocked' });
    await world.ok(bank, { type: 'UnlockToken', serial: ada.serial });
    world.clock.advance(STEP);
    await world.ok(admin, { type: 'VerifyOtp', otp: ada.app.code(world.clock.now()) });
  });

  it('records nothing and blames nobody when the verifier is down', async () => {
    const world = harness(people, { otpEngine: { verify: () => Promise.reject(new Error('HSM unreachable')), resync: () => Promise.reject(new Error('down')) } });
    await configure(world, CO, 5);
    await world.ok(bank, { type: 'ImportPhysicalToken', companyId: CO, userId: 'bo', serial: 'HW1', seed: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' });
    const before = await world.sdk.store.readAll({ fromPosition: 0, limit: 1000 })();
    expect(await world.fails(bo, { type: 'VerifyOtp', otp: '123456' })).toMatchObject({ _tag: 'Infrastructure' });
    const after = await world.sdk.store.readAll({ fromPosition: 0, limit: 1000 })();
    expect(E.isRight(after) && E.isRight(before) && after.right.length).toBe(E.isRight(before) ? before.right.length : -1);
  });
});

describe('activation codes and registration codes', () => {
  const assigned = (world: ReturnType<typeof harness>) => assignedTo(world, 'bo');
  const assignedTo = async (world: ReturnType<typeof harness>, userId: string) => {
    const requested = output<RequestTokenAssignmentOutput>(await world.ok(admin, { type: 'RequestTokenAssignment', userId }));
    await world.ok(admin, { type: 'ConfirmTokenAssignment', serial: requested.serial });
    return { serial: requested.serial, activationCode: world.deliveredCode(requested.serial) };
  };
  const registrationFor = (serial: string, activationCode: string, seed = 1): string => {
    const app = activateDevice({ serial, activationCode, random: seededRandom(seed) });
    if (E.isLeft(app)) throw new Error(app.left._tag);
    return app.right.registrationCode;
  };

  it('refuses an expired activation code; a reissued one works and the old one does not', async () => {
    const world = harness(people);
    await configure(world, CO, 5);
    const { serial, activationCode } = await assigned(world);
    world.clock.advance(72 * 3_600_000);
    expect(await world.fails(bo, { type: 'EnrollDevice', serial, registrationCode: registrationFor(serial, activationCode) })).toMatchObject({ _tag: 'ActivationCodeExpired' });
    await world.ok(admin, { type: 'ReissueActivationCode', serial });
    const reissued = world.deliveredCode(serial);
    expect(reissued).not.toBe(activationCode);
    expect(await world.fails(bo, { type: 'EnrollDevice', serial, registrationCode: registrationFor(serial, activationCode) })).toMatchObject({ _tag: 'RegistrationCodeInvalid' });
    await world.ok(bo, { type: 'EnrollDevice', serial, registrationCode: registrationFor(serial, reissued) });
  });

  it('refuses wrong registration codes, voids the activation code after the attempts, and does not count typos', async () => {
    const world = harness(people);
    await configure(world, CO, 5);
    const { serial, activationCode } = await assigned(world);
    // A well-formed registration code made from another token's activation code.
    const other = await assignedTo(world, 'cy');
    const forged = registrationFor(serial, other.activationCode);
    for (let attempt = 1; attempt <= 10; attempt++) {
      expect(await world.fails(bo, { type: 'EnrollDevice', serial, registrationCode: '1234-5678' })).toMatchObject({ _tag: 'RegistrationCodeInvalid' });
    }
    for (let attempt = 1; attempt <= 5; attempt++) {
      expect(await world.fails(bo, { type: 'EnrollDevice', serial, registrationCode: forged })).toMatchObject({ _tag: 'RegistrationCodeInvalid' });
    }
    expect(await world.fails(bo, { type: 'EnrollDevice', serial, registrationCode: registrationFor(serial, activationCode) })).toMatchObject({
      _tag: 'ActivationCodeExpired',
    });
  });

  it('returns the activation code to its owner once: a replay of the same command does not', async () => {
    const world = harness(people);
    await configure(world, CO, 5, { assignmentConfirmation: 'none' });
    const requested = output<RequestTokenAssignmentOutput>(await world.ok(bo, { type: 'RequestTokenAssignment' }));
    const command = { type: 'ReissueActivationCode', serial: requested.serial, commandId: 'reissue-once', actor: bo };
    const first = await world.sdk.dispatchJson(command)();
    const again = await world.sdk.dispatchJson(command)();
    if (E.isLeft(first) || E.isLeft(again)) throw new Error('dispatch failed');
    expect(output<ActivationCodeOutput>(first.right).activation.activationCode).toMatch(/^[0-9-]{34}$/);
    expect(output<ActivationCodeOutput>(again.right).activation.codeDelivery).toBe('already-issued');
    expect(again.right.replayed).toBe(true);
    expect(output<ActivationCodeOutput>(again.right).activation).not.toHaveProperty('activationCode');
    expect(output<ActivationCodeOutput>(again.right).activation.activationCodeExpiresAt).toBe(output<ActivationCodeOutput>(first.right).activation.activationCodeExpiresAt);
  });
});

describe('who may act', () => {
  it('a non-admin cannot assign, activate or delete another user\'s token', async () => {
    const { world, bo: token } = await enrolledWorld();
    expect(await world.fails(cy, { type: 'RequestTokenAssignment', userId: 'bo' })).toMatchObject({ _tag: 'Forbidden' });
    expect(await world.fails(cy, { type: 'DeleteToken', serial: token.serial })).toMatchObject({ _tag: 'Forbidden' });
    const requested = output<RequestTokenAssignmentOutput>(await world.ok(cy, { type: 'RequestTokenAssignment' }));
    expect(await world.fails(bo, { type: 'ConfirmTokenAssignment', serial: requested.serial })).toMatchObject({ _tag: 'Forbidden' });
    expect(await world.fails(bo, { type: 'ActivateToken', serial: requested.serial })).toMatchObject({ _tag: 'Forbidden' });
    // An admin of another company is no admin here: the token reads as not found to them.
    expect(await world.fails(user('other', 'oz'), { type: 'DeleteToken', serial: token.serial })).toMatchObject({ _tag: 'NotFound' });
  });

  it('a token of another company reads as not found to its users, for every command about a token; the bank sees it (issue 11, defect 4)', async () => {
    const { world, bo: token } = await enrolledWorld();
    const requested = output<RequestTokenAssignmentOutput>(await world.ok(cy, { type: 'RequestTokenAssignment' }));
    const oz = user('other', 'oz');
    const commands = [
      { type: 'ConfirmTokenAssignment', serial: requested.serial },
      { type: 'ReissueActivationCode', serial: requested.serial },
      { type: 'EnrollDevice', serial: requested.serial, registrationCode: 'AAAA-BBBB-CCCC-DDDD' },
      { type: 'ActivateToken', serial: requested.serial },
      { type: 'DeleteToken', serial: token.serial },
      { type: 'UnlockToken', serial: token.serial },
      { type: 'ResyncToken', serial: token.serial, codes: ['123456', '654321'] },
    ];
    for (const command of commands) {
      const refused = await world.fails(oz, command);
      expect(refused, command.type).toMatchObject({ _tag: 'NotFound' });
      // Exactly what a serial nobody holds answers: the serial tells nothing about other companies.
      const unknown = await world.fails(oz, { ...command, serial: 'ZZ9999999999' });
      expect(refused.message.replace(command.serial, 'ZZ9999999999')).toBe(unknown.message);
    }
    expect(await world.fails(bank, { type: 'ConfirmTokenAssignment', serial: requested.serial })).not.toMatchObject({ _tag: 'NotFound' });
  });

  it('a user without email or mobile, or inactive, cannot be assigned a token', async () => {
    const world = harness([...people, { ...person(CO, 'noemail'), email: '' }, { ...person(CO, 'nomobile'), mobile: ' ' }, person(CO, 'gone', { active: false })]);
    await configure(world, CO, 5);
    expect(await world.fails(admin, { type: 'RequestTokenAssignment', userId: 'noemail' })).toMatchObject({ _tag: 'PreconditionFailed', precondition: 'user-email' });
    expect(await world.fails(admin, { type: 'RequestTokenAssignment', userId: 'nomobile' })).toMatchObject({ _tag: 'PreconditionFailed', precondition: 'user-mobile' });
    expect(await world.fails(admin, { type: 'RequestTokenAssignment', userId: 'gone' })).toMatchObject({ _tag: 'PreconditionFailed', precondition: 'user-active' });
    expect(await world.fails(admin, { type: 'RequestTokenAssignment', userId: 'nobody' })).toMatchObject({ _tag: 'NotFound' });
    expect(await world.fails(user(CO, 'gone'), { type: 'RequestTokenAssignment' })).toMatchObject({ _tag: 'Forbidden' });
  });
});

describe('hostile input', () => {
  it('is refused field by field, without echoing secrets', async () => {
    const { world, bo: token } = await enrolledWorld();
    const secret = '918273';
    const refused = await world.fails(bo, { type: 'VerifyOtp', otp: { valueOf: secret } });
    expect(refused._tag).toBe('OtpRejected');
    const invalid = await world.fails(bo, { type: 'EnrollDevice', serial: token.serial, registrationCode: 12345678 });
    expect(invalid).toMatchObject({ _tag: 'InvalidCommand' });
    expect(JSON.stringify(invalid)).not.toContain('12345678');
    for (const junk of [null, 42, 'text', [], { type: 'DeleteToken' }, { type: 'DeleteToken', commandId: 'x', actor: bo, serial: '???' }, { type: '__proto__', commandId: 'y', actor: bo }]) {
      const result = await world.sdk.dispatchJson(junk)();
      expect(E.isLeft(result) && result.left._tag).toBe('InvalidCommand');
    }
    const answer = await world.fails(admin, { type: 'ImportPhysicalToken', companyId: CO, userId: 'cy', serial: 'HW9', seed: 'not base32 !!' });
    expect(answer).toMatchObject({ _tag: 'Forbidden' });
    const badSeed = await world.fails(bank, { type: 'ImportPhysicalToken', companyId: CO, userId: 'cy', serial: 'HW9', seed: 'not base32 !!' });
    expect(badSeed).toMatchObject({ _tag: 'InvalidCommand', issues: [{ path: 'seed' }] });
    expect(JSON.stringify(badSeed)).not.toContain('not base32');
  });
});
