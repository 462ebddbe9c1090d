/**
 * Banco Internacional (Perfil de Usuario / Mantenimiento SoftToken): the user creates their own
 * token; the portal shows the serial and the activation code at once, the app answers with a
 * registration code, and the security question activates the token.
 */
import type { ActivateTokenOutput, EnrollDeviceOutput, RequestTokenAssignmentOutput, VerifyOtpOutput } from '../../src/index.js';
import { masked } from './occidente.js';
import { tokenTableScreen } from './screens.js';
import type { Stage } from './stage.js';
import { bankOperator, directoryEntry, personOf, type Person, type World } from './world.js';

export const INTERNACIONAL = 'internacional-ec';

/** The answer to María's security question, as the bank's directory holds it. */
const SECURITY_ANSWER = 'Quito';

export const internacionalPeople = [directoryEntry(INTERNACIONAL, 'mperez', 'María Pérez', { securityAnswer: SECURITY_ANSWER })] as const;

export const [maria] = internacionalPeople.map(personOf) as [Person];

export const internacionalFlow = async (stage: Stage, world: World): Promise<{ readonly mariaSerial: string }> => {
  const { ok, refused } = stage;
  stage.section('2. Banco Internacional: a user creates their own soft token');

  await ok(bankOperator, `configures company ${INTERNACIONAL}: quota 3, self-service, activation by security question, lock after 5 wrong codes`, {
    type: 'ConfigureCompany',
    companyId: INTERNACIONAL,
    quota: 3,
    policy: { assignmentConfirmation: 'none', activation: 'security-question', maxFailures: 5 },
  });
  const created = await ok<RequestTokenAssignmentOutput>(
    maria,
    'Mantenimiento SoftToken → Activar',
    { type: 'RequestTokenAssignment' },
    (out) => `serial ${out.serial}, activation code ${masked(out.activation?.activationCode)} (${out.status})`,
  );
  const registration = world.activatePhone(maria, created.serial, created.activation);
  stage.note(`María's phone: serial + activation code typed into the app → registration code ${masked(registration)}`);
  await ok<EnrollDeviceOutput>(maria, 'types the registration code into the portal', { type: 'EnrollDevice', serial: created.serial, registrationCode: registration }, (out) => out.status);
  await refused(maria, 'answers the security question wrongly', { type: 'ActivateToken', serial: created.serial, securityAnswer: 'Guayaquil' }, 'FORBIDDEN');
  await ok<ActivateTokenOutput>(maria, 'answers the security question', { type: 'ActivateToken', serial: created.serial, securityAnswer: ` ${SECURITY_ANSWER.toLowerCase()} ` }, (out) => out.status);
  await ok<VerifyOtpOutput>(maria, '"the app starts generating codes": a code confirms a login', { type: 'VerifyOtp', otp: world.nextCode(maria) }, (out) => `accepted at step ${out.step}`);

  tokenTableScreen(stage.print, 'Mantenimiento SoftToken: Internacional', await stage.read('the token table', world.sdk.views.tokenTable(INTERNACIONAL)));
  return { mariaSerial: created.serial };
};
