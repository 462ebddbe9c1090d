import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { ReactivateTokenOutput, ReportTokenLostOutput } from '../../src/commands/token/index.js';
import { activateDevice } from '../../src/device/index.js';
import { encodeBase32 } from '../../src/otp/base32.js';
import { totp } from '../../src/otp/totp.js';
import { seededRandom } from '../../src/ports/random.js';
import { activeToken, configure } from './fixtures.js';
import { bank, harness, output, person, STEP, user } from './harness.js';

/** Issue 17: suspend and resume, a lost phone with temporary access, a new phone for the same token, drift in the token table. */
const CO = 'acme';
const ada = user(CO, 'ada');
const bo = user(CO, 'bo');
const cy = user(CO, 'cy');
const people = [person(CO, 'ada', { isCompanyAdmin: true }), person(CO, 'bo'), person(CO, 'cy')];

/** A company where bo has an active soft token; ada (admin) is not enrolled. */
const world = async (policy: Record<string, unknown> = {}) => {
  const w = harness(people);
  await configure(w, CO, 5, policy);
  const token = await activeToken(w, ada, bo);
  const statusOf = async (serial: string) => {
    const table = await w.sdk.views.tokenTable(CO, { includeDeleted: true })();
    if (E.isLeft(table)) throw new Error(table.left.message);
    return table.right.rows.find((row) => row.serial === serial);
  };
  const code = () => {
    w.clock.advance(STEP);
    return token.app.code(w.clock.now());
  };
  return { ...w, ...token, statusOf, code };
};

describe('SuspendToken and ResumeToken', () => {
  it('a suspended token confirms nothing and keeps its slot; resume gives it back; only an admin or the bank', async () => {
    const w = await world();
    expect(await w.fails(bo, { type: 'SuspendToken', serial: w.serial, otp: w.code() })).toMatchObject({ _tag: 'Forbidden' });
    expect(await w.fails(cy, { type: 'SuspendToken', serial: w.serial })).toMatchObject({ _tag: 'Forbidden' });
    expect(output(await w.ok(ada, { type: 'SuspendToken', serial: w.serial }))).toEqual({ serial: w.serial, status: 'suspended' });
    expect(await w.statusOf(w.serial)).toMatchObject({ status: 'suspended', locked: false });
    // Not a factor any more: bo has nothing to verify with, and follows the normal flow.
    expect(await w.fails(bo, { type: 'VerifyOtp', otp: w.code() })).toMatchObject({ _tag: 'PreconditionFailed' });
    // The slot is kept: no second token for bo.
    expect(await w.fails(ada, { type: 'RequestTokenAssignment', userId: 'bo' })).toMatchObject({ _tag: 'PreconditionFailed' });
    expect(await w.fails(bank, { type: 'SuspendToken', serial: w.serial })).toMatchObject({ _tag: 'InvalidTransition', from: 'suspended' });
    expect(output(await w.ok(bank, { type: 'ResumeToken', serial: w.serial }))).toEqual({ serial: w.serial, status: 'active' });
    await w.ok(bo, { type: 'VerifyOtp', otp: w.code() });
  });

  it('is distinct from locked: unlock does not resume, resume does not unlock', async () => {
    const w = await world({ maxFailures: 2 });
    for (let attempt = 0; attempt < 2; attempt++) await w.fails(bo, { type: 'VerifyOtp', otp: '000000' });
    expect(await w.statusOf(w.serial)).toMatchObject({ locked: true });
    await w.ok(ada, { type: 'SuspendToken', serial: w.serial });
    await w.ok(bank, { type: 'ResumeToken', serial: w.serial });
    expect(await w.statusOf(w.serial)).toMatchObject({ status: 'active', locked: true });
    await w.ok(ada, { type: 'SuspendToken', serial: w.serial });
    await w.ok(ada, { type: 'UnlockToken', serial: w.serial });
    expect(await w.statusOf(w.serial)).toMatchObject({ status: 'suspended', locked: false });
  });

  it('an enrolled admin confirms with their own code, and a replayed command answers the first outcome', async () => {
    const w = harness(people);
    await configure(w, CO, 5);
    const admin = await activeToken(w, ada, ada);
    const token = await activeToken(w, ada, bo, admin.app);
    w.clock.advance(STEP);
    expect(await w.fails(ada, { type: 'SuspendToken', serial: token.serial })).toMatchObject({ _tag: 'OtpRequired' });
    const command = { commandId: 'suspend-1', actor: ada, type: 'SuspendToken', serial: token.serial, otp: admin.app.code(w.clock.now()) };
    const first = await w.sdk.dispatchJson(command)();
    const again = await w.sdk.dispatchJson(command)();
    expect(E.isRight(first) && E.isRight(again) && again.right.output).toEqual({ serial: token.serial, status: 'suspended' });
  });
});

describe('ReportTokenLost', () => {
  it('the owner reports without a code; one-time codes reach only the delivery port, confirm once each, and only while lost', async () => {
    const w = await world();
    const reported = output<ReportTokenLostOutput>(await w.ok(bo, { type: 'ReportTokenLost', serial: w.serial, temporaryAccess: 'recovery-codes' }));
    expect(reported).toMatchObject({ serial: w.serial, status: 'lost', temporaryAccess: { kind: 'recovery-codes', codes: 5, codeDelivery: 'sent-to-owner' } });
    const codes = w.outbox.recoveryMessages().at(-1)?.codes ?? [];
    expect(codes).toHaveLength(5);
    expect(await w.statusOf(w.serial)).toMatchObject({ status: 'lost' });
    // The old phone confirms nothing; a one-time code does, once.
    expect(await w.fails(bo, { type: 'VerifyOtp', otp: w.code() })).toMatchObject({ _tag: 'OtpRejected' });
    const verify = { commandId: 'verify-recovery', actor: bo, type: 'VerifyOtp', otp: codes[0] };
    const first = await w.sdk.dispatchJson(verify)();
    expect(E.isRight(first) && first.right.output).toEqual({ serial: w.serial, step: '0', drift: 0, factor: 'recovery-code' });
    // The same command again answers the first outcome; the same code in a new command is a replay.
    const again = await w.sdk.dispatchJson(verify)();
    expect(E.isRight(again) && again.right.output).toEqual({ serial: w.serial, step: '0', drift: 0, factor: 'recovery-code' });
    expect(await w.fails(bo, { type: 'VerifyOtp', otp: codes[0] })).toMatchObject({ _tag: 'OtpRejected', reason: 'replay' });
    // Never in an event, in clear or without its dashes.
    const all = await w.sdk.store.readAll({ fromPosition: 0, limit: 10_000 })();
    const text = JSON.stringify(E.isRight(all) ? all.right : []);
    for (const code of codes) {
      expect(text).not.toContain(code);
      expect(text).not.toContain(code.replaceAll('-', ''));
    }
    // Expired by policy (7 days): refused, and the user is no longer enrolled.
    w.clock.advance(8 * 24 * 3_600_000);
    expect(await w.fails(bo, { type: 'VerifyOtp', otp: codes[1] })).toMatchObject({ _tag: 'PreconditionFailed' });
  });

  it('wrong one-time codes count toward the lock like wrong OTPs', async () => {
    const w = await world({ maxFailures: 3 });
    await w.ok(bank, { type: 'ReportTokenLost', serial: w.serial, temporaryAccess: 'emergency-code' });
    const [emergency] = w.outbox.recoveryMessages().at(-1)?.codes ?? [];
    for (let attempt = 0; attempt < 3; attempt++) expect(await w.fails(bo, { type: 'VerifyOtp', otp: '0000-0000-0000-0000' })).toMatchObject({ _tag: 'OtpRejected' });
    expect(await w.fails(bo, { type: 'VerifyOtp', otp: emergency })).toMatchObject({ _tag: 'TokenLocked' });
    expect(await w.statusOf(w.serial)).toMatchObject({ status: 'lost', locked: true });
  });

  it('another user may not report; without a recovery channel temporary access is refused and nothing recorded; a lost token can be deleted', async () => {
    // A delivery port that sends activation codes but has no channel for one-time codes.
    const w = harness(people, { activationCodeDelivery: { deliver: () => undefined } });
    await configure(w, CO, 5);
    const token = await activeToken(w, ada, ada);
    expect(await w.fails(cy, { type: 'ReportTokenLost', serial: token.serial })).toMatchObject({ _tag: 'Forbidden' });
    expect(await w.fails(bank, { type: 'ReportTokenLost', serial: token.serial, temporaryAccess: 'recovery-codes' })).toMatchObject({
      _tag: 'PreconditionFailed',
      precondition: 'recovery-code-delivery',
    });
    const table = await w.sdk.views.tokenTable(CO)();
    expect(E.isRight(table) && table.right.rows.find((row) => row.serial === token.serial)?.status).toBe('active');
    await w.ok(bank, { type: 'ReportTokenLost', serial: token.serial });
    await w.ok(ada, { type: 'DeleteToken', serial: token.serial });
  });

  it('calls a class-based delivery port as a method', async () => {
    class Mailer {
      readonly sent: unknown[] = [];
      deliver(): void {
        // Activation codes are not what this test is about.
      }
      deliverRecoveryCodes(message: unknown): void {
        this.sent.push(message);
      }
    }
    const mailer = new Mailer();
    const w = harness(people, { activationCodeDelivery: mailer });
    await configure(w, CO, 5);
    const token = await activeToken(w, ada, ada);
    await w.ok(bank, { type: 'ReportTokenLost', serial: token.serial, temporaryAccess: 'emergency-code' });
    expect(mailer.sent).toHaveLength(1);
  });
});

describe('ReactivateToken', () => {
  it('a new phone replaces the old one when it enrols: the old codes stop working at that moment, the old seed is destroyed', async () => {
    const w = await world();
    const started = output<ReactivateTokenOutput>(await w.ok(bo, { type: 'ReactivateToken', serial: w.serial, otp: w.code() }));
    // Through the delivery port only, even for the owner.
    expect(started.activation).not.toHaveProperty('activationCode');
    const message = w.outbox.messages().at(-1);
    expect(message).toMatchObject({ serial: w.serial, reason: 'reactivation', userId: 'bo' });
    // Until the new phone enrols, the old one still works.
    await w.ok(bo, { type: 'VerifyOtp', otp: w.code() });
    const oldSeedRefs = (await w.sdk.store.readStream(`token-${w.serial}`)());
    const seedRef = E.isRight(oldSeedRefs) ? (oldSeedRefs.right.find((event) => event.type === 'DeviceEnrolled')?.data as { seedRef: string }).seedRef : '';
    const app = activateDevice({ serial: w.serial, activationCode: message?.activationCode ?? '', random: seededRandom(42) });
    if (E.isLeft(app)) throw new Error(app.left._tag);
    const oldCode = w.code();
    expect(output(await w.ok(bo, { type: 'EnrollDevice', serial: w.serial, registrationCode: app.right.registrationCode, otp: oldCode }))).toMatchObject({ status: 'active' });
    expect(await w.vault.get(seedRef)).toBeUndefined();
    w.clock.advance(STEP);
    expect(await w.fails(bo, { type: 'VerifyOtp', otp: w.app.code(w.clock.now()) })).toMatchObject({ _tag: 'OtpRejected' });
    await w.ok(bo, { type: 'VerifyOtp', otp: app.right.token.code(w.clock.now()) });
    expect(await w.statusOf(w.serial)).toMatchObject({ status: 'active' });
  });

  it('a lost token ends on a new phone: an admin starts it; the owner without a code may not', async () => {
    const w = await world();
    await w.ok(bo, { type: 'ReportTokenLost', serial: w.serial });
    expect(await w.fails(bo, { type: 'ReactivateToken', serial: w.serial })).toMatchObject({ _tag: 'Forbidden' });
    await w.ok(ada, { type: 'ReactivateToken', serial: w.serial });
    const app = activateDevice({ serial: w.serial, activationCode: w.deliveredCode(w.serial), random: seededRandom(7) });
    if (E.isLeft(app)) throw new Error(app.left._tag);
    await w.ok(bo, { type: 'EnrollDevice', serial: w.serial, registrationCode: app.right.registrationCode });
    expect(await w.statusOf(w.serial)).toMatchObject({ status: 'active' });
  });

  it('follows the company policy reactivationBy', async () => {
    const w = await world({ reactivationBy: ['bank'] });
    expect(await w.fails(ada, { type: 'ReactivateToken', serial: w.serial })).toMatchObject({ _tag: 'Forbidden' });
    expect(await w.fails(bo, { type: 'ReactivateToken', serial: w.serial, otp: w.code() })).toMatchObject({ _tag: 'Forbidden' });
    await w.ok(bank, { type: 'ReactivateToken', serial: w.serial });
  });
});

describe('a lost hardware token when the soft token activates', () => {
  it('stays the user\'s (lost, not disabled), so a second hardware token is refused until it is deleted', async () => {
    const w = harness(people);
    await configure(w, CO, 5);
    const seed = Uint8Array.from({ length: 20 }, (_, index) => index + 9);
    await w.ok(bank, { type: 'ImportPhysicalToken', companyId: CO, userId: 'cy', serial: 'HW1', seed: encodeBase32(seed) });
    await w.ok(cy, { type: 'ReportTokenLost', serial: 'HW1' });
    await activeToken(w, ada, cy);
    const table = await w.sdk.views.tokenTable(CO)();
    expect(E.isRight(table) && table.right.rows.find((row) => row.serial === 'HW1')?.status).toBe('lost');
    expect(await w.fails(bank, { type: 'ImportPhysicalToken', companyId: CO, userId: 'cy', serial: 'HW2', seed: encodeBase32(seed) })).toMatchObject({
      _tag: 'PreconditionFailed',
      precondition: 'no-live-physical-token',
    });
    await w.ok(bank, { type: 'DeleteToken', serial: 'HW1' });
    await w.ok(bank, { type: 'ImportPhysicalToken', companyId: CO, userId: 'cy', serial: 'HW2', seed: encodeBase32(seed) });
  });
});

describe('drift in the token table', () => {
  it('shows the drift a hardware token\'s codes record, and lists the tokens drifting beyond a threshold', async () => {
    const w = harness(people);
    await configure(w, CO, 5);
    const seed = Uint8Array.from({ length: 20 }, (_, index) => index + 1);
    await w.ok(bank, { type: 'ImportPhysicalToken', companyId: CO, userId: 'cy', serial: 'HW1', seed: encodeBase32(seed) });
    for (let offset = 0; offset <= 3; offset++) {
      w.clock.advance(STEP);
      await w.ok(cy, { type: 'VerifyOtp', otp: totp(seed, w.clock.now() + offset * STEP) });
    }
    const all = await w.sdk.views.tokenTable(CO)();
    expect(E.isRight(all) && all.right.rows.find((row) => row.serial === 'HW1')).toMatchObject({ drift: 3, mode: 'totp' });
    const beyond2 = await w.sdk.views.tokenTable(CO, { driftBeyond: 2 })();
    expect(E.isRight(beyond2) && beyond2.right.rows.map((row) => row.serial)).toEqual(['HW1']);
    const beyond3 = await w.sdk.views.tokenTable(CO, { driftBeyond: 3 })();
    expect(E.isRight(beyond3) && beyond3.right.rows).toEqual([]);
    expect(await w.sdk.views.tokenTable(CO, { driftBeyond: -1 })()).toMatchObject({ _tag: 'Left', left: { _tag: 'InvalidCommand' } });
  });
});
