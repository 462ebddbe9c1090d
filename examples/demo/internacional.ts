/**
 * Banco Internacional (Perfil de Usuario / Mantenimiento SoftToken): the user creates their own
 * token; the portal shows the serial and the activation code at once, the app answers with a
 * registration code, and the security question activates the token.
 */
import * as E from 'fp-ts/lib/Either.js';
import { activationQr, type ActivateTokenOutput, type EnrollDeviceOutput, type RequestTokenAssignmentOutput, type VerifyOtpOutput } from '../../src/index.js';
import { masked } from './occidente.js';
import { tokenTableScreen } from './screens.js';
import { UnexpectedOutcome, type Stage } from './stage.js';
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
  // The portal shows María the activation QR code beside the serial and the code; her app scans it.
  const qr = activationQr({ serial: created.serial, activationCode: created.activation?.activationCode ?? '', ...(created.activation === undefined ? {} : { otpParameters: created.activation.otpParameters }) });
  if (E.isLeft(qr)) throw new UnexpectedOutcome(`the activation QR code could not be drawn (${qr.left._tag})`);
  stage.note('the activation QR code the portal shows María (it holds her activation code: shown to her only):');
  for (const line of qr.right.terminal.split('\n')) stage.note(`  ${line}`);
  const registration = world.scanActivationQr(maria, qr.right.text);
  stage.note(`María's phone scans the QR code (softtoken:1?s=…&a=…&c=…) → registration code ${masked(registration)}`);
  await ok<EnrollDeviceOutput>(maria, 'types the registration code into the portal', { type: 'EnrollDevice', serial: created.serial, registrationCode: registration }, (out) => out.status);
  await refused(maria, 'answers the security question wrongly', { type: 'ActivateToken', serial: created.serial, securityAnswer: 'Guayaquil' }, 'FORBIDDEN');
  await ok<ActivateTokenOutput>(maria, 'answers the security question', { type: 'ActivateToken', serial: created.serial, securityAnswer: ` ${SECURITY_ANSWER.toLowerCase()} ` }, (out) => out.status);
  await ok<VerifyOtpOutput>(maria, '"the app starts generating codes": a code confirms a login', { type: 'VerifyOtp', otp: world.nextCode(maria) }, (out) => `accepted at step ${out.step}`);

  tokenTableScreen(stage.print, 'Mantenimiento SoftToken: Internacional', await stage.read('the token table', world.sdk.views.tokenTable(INTERNACIONAL)));
  return { mariaSerial: created.serial };
};
