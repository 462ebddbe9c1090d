import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { approveConfirmation, rejectConfirmation } from '../../src/device/index.js';
import { bank, output, user } from '../sdk/harness.js';
import { admin, ana, appWorld, confirmByApp } from './app-world.js';

const streamTypes = async (world: Awaited<ReturnType<typeof appWorld>>, serial: string): Promise<readonly string[]> => {
  const events = await world.sdk.store.readStream(`token-${serial}`)();
  if (E.isLeft(events)) throw new Error('read');
  return events.right.map((event) => event.type);
};

describe('confirming through the app (issue 15)', () => {
  it('enrols with protocol v2, records the public signing key, and confirms an assignment and an activation by app signature', async () => {
    const world = await appWorld();
    const types = await streamTypes(world, world.adminSerial);
    expect(types.filter((type) => type === 'ConfirmationAccepted')).toHaveLength(2);
    expect(types.filter((type) => type === 'ConfirmationRequested')).toHaveLength(2);
    const table = await world.sdk.views.tokenTable('acme')();
    expect(E.isRight(table)).toBe(true);
    // The app's codes are the server's: ana's TOTP passes VerifyOtp.
    const code = world.anaPhone.token.code(world.clock.now());
    expect(E.isRight(await world.send(ana, { type: 'VerifyOtp', otp: code }))).toBe(true);
  });

  it('refuses a replayed signature, and counts it as a wrong code', async () => {
    const world = await appWorld();
    const { serial: bobSerial } = output<{ readonly serial: string }>(await world.ok(user('acme', 'bob'), { type: 'RequestTokenAssignment' }));
    const assign = { type: 'ConfirmTokenAssignment', serial: bobSerial };
    await world.ok(admin, { ...assign, confirmation: (await confirmByApp(world.send, admin, world.adminPhone, assign)).confirmation });
    const reissue = { type: 'ReissueActivationCode', serial: bobSerial };
    const { confirmation } = await confirmByApp(world.send, admin, world.adminPhone, reissue);
    expect(E.isRight(await world.send(admin, { ...reissue, confirmation }))).toBe(true);
    expect(await world.send(admin, { ...reissue, confirmation })).toMatchObject(E.left({ _tag: 'OtpRejected', reason: 'replay' }));
    const types = await streamTypes(world, world.adminSerial);
    expect(types.at(-1)).toBe('ConfirmationRefused');
  });

  it('refuses a signature for another command, another digest, expired, or from another token\'s key', async () => {
    const world = await appWorld();
    const { adminSerial } = world;
    const refused = async (confirmation: unknown, command: Record<string, unknown>) => {
      const result = await world.send(admin, { ...command, confirmation });
      return E.isLeft(result) ? result.left : undefined;
    };
    const remove = { type: 'DeleteToken', serial: world.anaSerial };
    // Another digest: a challenge for deleting ana's token used to delete the admin's own.
    const forAna = await confirmByApp(world.send, admin, world.adminPhone, remove);
    expect(await refused(forAna.confirmation, { type: 'DeleteToken', serial: adminSerial })).toMatchObject({ _tag: 'OtpRejected', message: expect.stringContaining('other-command') as unknown });
    // Another token's key: ana's phone signs the admin's challenge.
    const anaSigned = await approveConfirmation(world.anaPhone.signingKey, forAna.challenge);
    if (E.isLeft(anaSigned)) throw new Error('sign');
    expect(await refused(anaSigned.right, remove)).toMatchObject({ _tag: 'OtpRejected', message: expect.stringContaining('bad-signature') as unknown });
    // Expired: the clock moves past the challenge's expiry.
    world.clock.advance(121_000);
    expect(await refused(forAna.confirmation, remove)).toMatchObject({ _tag: 'OtpRejected', message: expect.stringContaining('expired') as unknown });
    const types = await streamTypes(world, adminSerial);
    expect(types.filter((type) => type === 'ConfirmationRefused')).toHaveLength(3);
  });

  it('locks the token after maxFailures refused signatures, exactly as wrong codes do; a locked token confirms nothing', async () => {
    const world = await appWorld();
    const remove = { type: 'DeleteToken', serial: world.anaSerial };
    const { confirmation } = await confirmByApp(world.send, admin, world.adminPhone, remove);
    const forged = { ...confirmation, signature: confirmation.signature.replace(/^./u, (first) => (first === 'A' ? 'B' : 'A')) };
    for (let attempt = 0; attempt < 5; attempt++) await world.send(admin, { ...remove, confirmation: forged });
    expect(await streamTypes(world, world.adminSerial)).toContain('TokenLocked');
    expect(await world.send(admin, { ...remove, confirmation })).toMatchObject(E.left({ _tag: 'TokenLocked' }));
    expect(await world.send(admin, { type: 'RequestConfirmation', target: { commandId: 't', actor: admin, ...remove } })).toMatchObject(E.left({ _tag: 'TokenLocked' }));
  });

  it('a deleted token issues no challenge and its old challenge confirms nothing', async () => {
    const world = await appWorld();
    const target = { type: 'DeleteToken', serial: world.adminSerial };
    const { confirmation } = await confirmByApp(world.send, ana, world.anaPhone, { type: 'DeleteToken', serial: world.anaSerial });
    expect(E.isRight(await world.send(bank, { type: 'DeleteToken', serial: world.anaSerial }))).toBe(true);
    expect(await world.send(ana, { type: 'RequestConfirmation', target: { commandId: 't', actor: ana, ...target } })).toMatchObject(E.left({ _tag: 'PreconditionFailed' }));
    expect(await streamTypes(world, world.anaSerial)).not.toContain('ConfirmationAccepted');
    expect(confirmation.challengeId).toMatch(/^challenge-/u);
  });

  it('records a rejection on the phone; the rejected challenge then confirms nothing', async () => {
    const world = await appWorld();
    const remove = { type: 'DeleteToken', serial: world.anaSerial };
    const { confirmation, challenge } = await confirmByApp(world.send, admin, world.adminPhone, remove);
    const rejected = await rejectConfirmation(world.adminPhone.signingKey, challenge);
    if (E.isLeft(rejected)) throw new Error('reject');
    expect(await world.send(admin, { type: 'RejectConfirmation', ...rejected.right })).toMatchObject(E.right({ output: { status: 'rejected' } }));
    expect(await world.send(admin, { ...remove, confirmation })).toMatchObject(E.left({ _tag: 'OtpRejected', reason: 'replay' }));
    // An approval cannot pass for a rejection: the labels differ.
    expect(await world.send(admin, { type: 'RejectConfirmation', ...confirmation })).toMatchObject(E.left({ _tag: 'OtpRejected' }));
  });

  it('follows the company policy: code only, app only, either', async () => {
    const world = await appWorld();
    const remove = { type: 'DeleteToken', serial: world.anaSerial };
    await world.ok(bank, { type: 'ConfigureCompany', companyId: 'acme', policy: { confirmationFactors: { DeleteToken: 'code' } } });
    expect(await world.send(admin, { type: 'RequestConfirmation', target: { commandId: 't', actor: admin, ...remove } })).toMatchObject(E.left({ precondition: 'confirmation-factor' }));
    await world.ok(bank, { type: 'ConfigureCompany', companyId: 'acme', policy: { confirmationFactors: { DeleteToken: 'app' } } });
    expect(await world.send(admin, { ...remove, otp: world.adminPhone.token.code(world.clock.now()) })).toMatchObject(E.left({ precondition: 'confirmation-factor' }));
    expect(await world.send(admin, remove)).toMatchObject(E.left({ _tag: 'OtpRequired' }));
    const { confirmation } = await confirmByApp(world.send, admin, world.adminPhone, remove);
    expect(E.isRight(await world.send(admin, { ...remove, confirmation }))).toBe(true);
  });

  it('any bytes as a confirmation: never a throw, never accepted, always a typed error', async () => {
    const world = await appWorld();
    await world.ok(bank, { type: 'ConfigureCompany', companyId: 'acme', policy: { maxFailures: 30 } });
    let runs = 0;
    const remove = { type: 'DeleteToken', serial: world.anaSerial };
    const signed = await confirmByApp(world.send, admin, world.adminPhone, remove);
    const confirmations = fc.oneof(
      fc.anything(),
      fc.record({ challengeId: fc.oneof(fc.string(), fc.constant(signed.confirmation.challengeId)), signature: fc.oneof(fc.string(), fc.base64String(), fc.uint8Array({ minLength: 64, maxLength: 64 }).map((bytes) => Buffer.from(bytes).toString('base64url'))) }),
    );
    await fc.assert(
      fc.asyncProperty(confirmations, async (confirmation) => {
        if (confirmation === undefined || confirmation === null) return;
        // The bank lifts the lock now and then, so every run reaches the signature check.
        if (++runs % 25 === 0) await world.send(bank, { type: 'UnlockToken', serial: world.adminSerial });
        const result = await world.send(admin, { ...remove, confirmation });
        expect(E.isLeft(result)).toBe(true);
        if (E.isLeft(result)) expect(['OtpRejected', 'TokenLocked', 'InvalidCommand']).toContain(result.left._tag);
      }),
      { numRuns: 300 },
    );
  });
});
