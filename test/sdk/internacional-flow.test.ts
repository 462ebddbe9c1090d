import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { activateDevice } from '../../src/device/index.js';
import type { ActivationOutput, RequestTokenAssignmentOutput } from '../../src/commands/token/index.js';
import { seededRandom } from '../../src/ports/random.js';
import { bank, harness, output, person, STEP, user } from './harness.js';

const COMPANY = 'internacional-ec';
const maria = user(COMPANY, 'maria');

describe('Banco Internacional: a user creates their own soft token', () => {
  it('runs from the serial and activation code to codes that confirm operations, then deletion', async () => {
    const world = harness([{ ...person(COMPANY, 'maria', { displayName: 'María Pérez' }), securityAnswer: 'Quito' }]);
    const { ok, fails, clock, sdk } = world;
    await ok(bank, { type: 'ConfigureCompany', companyId: COMPANY, quota: 3, policy: { assignmentConfirmation: 'none', activation: 'security-question' } });

    // Perfil de Usuario / Mantenimiento SoftToken / Activar: serial and activation code at once.
    const created = output<RequestTokenAssignmentOutput>(await ok(maria, { type: 'RequestTokenAssignment' }));
    expect(created.status).toBe('assigned');
    const activation = created.activation as ActivationOutput;

    // The app turns them into a registration code, typed into the portal.
    const app = activateDevice({ serial: created.serial, activationCode: activation.activationCode, parameters: activation.otpParameters, random: seededRandom(5) });
    if (E.isLeft(app)) throw new Error(app.left._tag);
    await ok(maria, { type: 'EnrollDevice', serial: created.serial, registrationCode: app.right.registrationCode });

    // The security question.
    expect(await fails(maria, { type: 'ActivateToken', serial: created.serial, securityAnswer: 'Guayaquil' })).toMatchObject({ _tag: 'Forbidden' });
    await ok(maria, { type: 'ActivateToken', serial: created.serial, securityAnswer: ' quito ' });

    // "El aplicativo empieza a generar códigos": a code confirms an operation.
    clock.advance(STEP);
    const code = app.right.token.code(clock.now());
    await ok(maria, { type: 'VerifyOtp', otp: code });
    expect(await fails(maria, { type: 'VerifyOtp', otp: code })).toMatchObject({ _tag: 'OtpRejected', reason: 'replay' });

    // Eliminación SoftToken: enrolled, so the deletion is confirmed with a code.
    expect(await fails(maria, { type: 'DeleteToken', serial: created.serial })).toMatchObject({ _tag: 'OtpRequired' });
    clock.advance(STEP);
    await ok(maria, { type: 'DeleteToken', serial: created.serial, otp: app.right.token.code(clock.now()) });

    const table = await sdk.views.tokenTable(COMPANY, { includeDeleted: true })();
    if (E.isLeft(table)) throw new Error(table.left.message);
    expect(table.right.quota).toEqual({ total: 3, available: 3 });
    expect(table.right.rows.map((row) => [row.userName, row.status])).toEqual([['María Pérez', 'deleted']]);

    // Deleting destroyed the seed: nothing in the vault can produce the token's codes any more.
    const stream = await sdk.store.readStream(`token-${created.serial}`)();
    if (E.isLeft(stream)) throw new Error(stream.left.message);
    const enrolled = stream.right.find((event) => event.type === 'DeviceEnrolled');
    expect(await world.vault.get(enrolled?.data.seedRef as string)).toBeUndefined();

    const audit = await sdk.views.audit({ companyId: COMPANY })();
    if (E.isLeft(audit)) throw new Error(audit.left.message);
    expect(audit.right.entries.map((entry) => [entry.action, entry.outcome, entry.factor.kind])).toEqual([
      ['DeleteToken', 'succeeded', 'otp'],
      ['VerifyOtp', 'failed', 'none'],
      ['VerifyOtp', 'succeeded', 'otp'],
      ['ActivateToken', 'succeeded', 'none'],
      ['ActivateToken', 'failed', 'none'],
      ['EnrollDevice', 'succeeded', 'none'],
      ['RequestTokenAssignment', 'succeeded', 'none'],
      ['ConfigureCompany', 'succeeded', 'none'],
    ]);
  });
});
