import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
// The phones and the hardware token are played by the device module alone.
import { activateDevice, encodeBase32, totp, type DeviceToken } from '../../src/device/index.js';
import type { ActivationCodeOutput, ActivateTokenOutput, EnrollDeviceOutput, RequestTokenAssignmentOutput } from '../../src/commands/token/index.js';
import { seededRandom } from '../../src/ports/random.js';
import { bank, harness, output, person, STEP, user } from './harness.js';

const COMPANY = 'occidente-co';
const admin = user(COMPANY, 'adqd1');
const victor = user(COMPANY, 'victorp1');
const physicalSeed = Uint8Array.from({ length: 20 }, (_, index) => index + 1);

const setUp = async () => {
  const world = harness([
    person(COMPANY, 'adqd1', { displayName: 'ADQD1', isCompanyAdmin: true }),
    person(COMPANY, 'victorp1', { displayName: 'VictorP1' }),
  ]);
  await world.ok(bank, { type: 'ConfigureCompany', companyId: COMPANY, quota: 5 });
  await world.ok(bank, { type: 'ImportPhysicalToken', companyId: COMPANY, userId: 'victorp1', serial: 'FEF4900032', seed: encodeBase32(physicalSeed) });
  return world;
};

/** The phone: serial + activation code in, registration code out, then codes. */
const phone = (serial: string, activation: ActivationCodeOutput['activation'], activationCode: string | undefined, seed: number): { registrationCode: string; token: DeviceToken } => {
  const activated = activateDevice({ serial, activationCode, parameters: activation.otpParameters, random: seededRandom(seed) });
  if (E.isLeft(activated)) throw new Error(activated.left._tag);
  return activated.right;
};

describe('Banco de Occidente: an admin assigns a virtual token to a secondary user', () => {
  it('runs from assignment to an active token that replaces the physical one', async () => {
    const world = await setUp();
    const { ok, fails, clock } = world;

    // The admin gets their own token first: not enrolled yet, so no OTP is asked of them.
    const own = output<RequestTokenAssignmentOutput>(await ok(admin, { type: 'RequestTokenAssignment' }));
    const ownCode = output<ActivationCodeOutput>(await ok(admin, { type: 'ConfirmTokenAssignment', serial: own.serial }));
    // The admin is the owner of this one: the code is in their own output.
    const adminApp = phone(own.serial, ownCode.activation, ownCode.activation.activationCode, 11);
    await ok(admin, { type: 'EnrollDevice', serial: own.serial, registrationCode: adminApp.registrationCode });
    await ok(admin, { type: 'ActivateToken', serial: own.serial });

    // Administración / Token Virtual / Asignar Token Virtual: select the user, continue.
    const requested = output<RequestTokenAssignmentOutput>(await ok(admin, { type: 'RequestTokenAssignment', userId: 'victorp1' }));
    expect(requested.status).toBe('pending');

    // "Confirme la asignación a través de la AppMovil": the admin is enrolled now.
    expect(await fails(admin, { type: 'ConfirmTokenAssignment', serial: requested.serial })).toMatchObject({ _tag: 'OtpRequired' });
    clock.advance(STEP);
    const confirmed = output<ActivationCodeOutput>(
      await ok(admin, { type: 'ConfirmTokenAssignment', serial: requested.serial, otp: adminApp.token.code(clock.now()) }),
    );
    expect(confirmed.status).toBe('assigned');
    // The code reaches only Victor's phone, never the admin's screen.
    expect(confirmed.activation).not.toHaveProperty('activationCode');
    expect(confirmed.activation.codeDelivery).toBe('sent-to-owner');
    expect(world.deliveredCode(requested.serial)).toMatch(/^([0-9]{4}-){6}[0-9]{4}$/);

    // 8.2: the secondary user signs into the app with their credentials and their physical token's code.
    const victorApp = phone(requested.serial, confirmed.activation, world.deliveredCode(requested.serial), 12);
    expect(await fails(victor, { type: 'EnrollDevice', serial: requested.serial, registrationCode: victorApp.registrationCode, method: 'credentials' })).toMatchObject({
      _tag: 'OtpRequired',
    });
    const enrolled = output<EnrollDeviceOutput>(
      await ok(victor, {
        type: 'EnrollDevice',
        serial: requested.serial,
        registrationCode: victorApp.registrationCode,
        method: 'credentials',
        otp: totp(physicalSeed, clock.now()),
      }),
    );
    expect(enrolled).toEqual({ serial: requested.serial, status: 'pending-activation', method: 'credentials+physical-token' });

    // "Pendiente Activación" on the admin's screen; the admin activates, confirming with the app again.
    const pendingRow = await world.sdk.views.tokenTable(COMPANY)();
    expect(E.isRight(pendingRow) && pendingRow.right.rows.find((row) => row.serial === requested.serial)?.status).toBe('pending-activation');
    clock.advance(STEP);
    const activated = output<ActivateTokenOutput>(await ok(admin, { type: 'ActivateToken', serial: requested.serial, otp: adminApp.token.code(clock.now()) }));
    expect(activated).toEqual({ serial: requested.serial, status: 'active', disabledPhysicalToken: 'FEF4900032' });

    // The screen: both users active, the physical token gone, quota 5 with 3 free.
    const table = await world.sdk.views.tokenTable(COMPANY)();
    if (E.isLeft(table)) throw new Error(table.left.message);
    expect(table.right.quota).toEqual({ total: 5, available: 3 });
    expect(table.right.rows.map((row) => [row.userName, row.serial, row.status, row.kind, row.locked])).toEqual([
      ['ADQD1', own.serial, 'active', 'soft', false],
      ['VictorP1', requested.serial, 'active', 'soft', false],
    ]);
    expect(table.right.summary).toBe('showing 1 to 2 of 2');

    // The manual: the physical token is "inhabilitado", not deleted, in the table and in the audit trail.
    const all = await world.sdk.views.tokenTable(COMPANY, { includeDeleted: true })();
    expect(E.isRight(all) && all.right.rows.find((row) => row.serial === 'FEF4900032')?.status).toBe('disabled');
    const trail = await world.sdk.views.audit({ serial: 'FEF4900032' })();
    if (E.isLeft(trail)) throw new Error(trail.left.message);
    expect(trail.right.entries[0]).toMatchObject({
      action: 'ActivateToken',
      tokenStatuses: [
        { serial: requested.serial, status: 'active' },
        { serial: 'FEF4900032', status: 'disabled' },
      ],
    });

    // The physical token no longer confirms anything; the new app does.
    clock.advance(STEP);
    expect(await fails(victor, { type: 'VerifyOtp', otp: totp(physicalSeed, clock.now()) })).toMatchObject({ _tag: 'OtpRejected' });
    clock.advance(STEP);
    expect(output<{ serial: string }>(await ok(victor, { type: 'VerifyOtp', otp: victorApp.token.code(clock.now()) })).serial).toBe(requested.serial);

    const verified = await world.sdk.verify()();
    expect(E.isRight(verified) && verified.right.ok).toBe(true);
  });
});
