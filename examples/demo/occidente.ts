/**
 * Banco de Occidente (Administración / Token Virtual): a company with a quota, an admin and
 * secondary users. The admin enrols their phone online (protocol v2) and confirms each assignment
 * and activation through the app (a signed challenge, issue 15); a
 * user who holds a hardware token enrolls with its code; activating the soft token disables it.
 */
import * as E from 'fp-ts/lib/Either.js';
import { encodeBase32, restoreDeviceToken } from '../../src/device/index.js';
import {
  defaultOtpParameters,
  guessingRisk,
  MAX_GUESSING_SUCCESS_PER_DAY,
  type ActivateTokenOutput,
  type ActivationCodeOutput,
  type ConfigureCompanyOutput,
  type EnrollDeviceOutput,
  type GuessingRisk,
  type RequestTokenAssignmentOutput,
} from '../../src/index.js';
import { confirmThroughApp, enrolThroughApp } from './app-phone.js';
import { tokenTableScreen } from './screens.js';
import type { Stage } from './stage.js';
import { bankOperator, directoryEntry, personOf, type Person, type World } from './world.js';

export const OCCIDENTE = 'occidente-co';

/** The people of the Occidente company, as the bank's directory holds them. */
export const occidentePeople = [
  directoryEntry(OCCIDENTE, 'adqd1', 'ADQD1', { isCompanyAdmin: true }),
  directoryEntry(OCCIDENTE, 'victorp1', 'VictorP1'),
  directoryEntry(OCCIDENTE, 'luciag2', 'LuciaG2'),
  directoryEntry(OCCIDENTE, 'pedror3', 'PedroR3'),
] as const;

export const [admin, victor, lucia, pedro] = occidentePeople.map(personOf) as [Person, Person, Person, Person];

/** What the rest of the demo needs from this flow. */
export interface OccidenteTokens {
  readonly adminSerial: string;
  readonly victorSerial: string;
  readonly luciaSerial: string;
}

const PHYSICAL_SERIAL = 'FEF4900032';

/** A code as the demo prints it: the first and last groups only (activation and registration codes are secrets; the user sees them in full). */
export const masked = (code: string | undefined): string =>
  code === undefined ? '(not shown again)' : code.replace(/^(\d{4})-(.*)-(\d{4})$/u, (_all, first: string, middle: string, last: string) => `${first}-${middle.replace(/\d/gu, '•')}-${last}`);

/** A policy's guessing risk in one line: the inputs of RFC 4226's s·v/10^Digit, and the figure against the bound. */
export const describeRisk = (risk: GuessingRisk): string =>
  `${String(risk.acceptedCodes)} accepted codes per guess (${risk.successPerGuess.toExponential(0)}), ${String(risk.guessesPerDay)} guesses a day ` +
  `(${String(risk.guessesBeforeLock)} before the lock, ${String(risk.timedUnlocksPerDay)} timed unlocks) → ${risk.successPerDay.toExponential(0)} per day, ` +
  `1 in ${Math.round(1 / risk.successPerDay).toLocaleString('en-US')} (refused above ${MAX_GUESSING_SUCCESS_PER_DAY.toExponential(0)})`;

const assigned = (output: ActivationCodeOutput | RequestTokenAssignmentOutput): string =>
  `${output.status}; ${output.activation?.codeDelivery === 'sent-to-owner' ? 'activation code sent to the owner\'s phone only' : `activation code ${masked(output.activation?.activationCode)}`}, valid until ${output.activation?.activationCodeExpiresAt.slice(0, 16).replace('T', ' ') ?? '—'} UTC`;

export const occidenteFlow = async (stage: Stage, world: World): Promise<OccidenteTokens> => {
  const { ok, refused, check } = stage;
  stage.section('1. Banco de Occidente: an admin assigns virtual tokens to the company\'s users');

  const configured = await ok<ConfigureCompanyOutput>(bankOperator, `configures company ${OCCIDENTE}: quota 5; the admin confirms assignments with an OTP and activates tokens`, {
    type: 'ConfigureCompany',
    companyId: OCCIDENTE,
    quota: 5,
    policy: { assignmentConfirmation: 'admin-otp', activation: 'admin' },
  });
  const risk = guessingRisk(configured.policy);
  stage.note(`a blind guesser under this (the default) lock policy: ${E.isRight(risk) ? describeRisk(risk.right) : risk.left.message}`);
  await refused(
    bankOperator,
    'tries 100 failures before the lock, a 60-second timed unlock and a window of ±100 steps',
    { type: 'ConfigureCompany', companyId: OCCIDENTE, policy: { maxFailures: 100, timedUnlockSeconds: 60, otp: { past: 100, future: 100 } } },
    'INVALID_COMMAND',
  );
  // The hardware token VictorP1 already carries, imported from the vendor's seed file.
  const hardwareSeed = globalThis.crypto.getRandomValues(new Uint8Array(20));
  const restored = restoreDeviceToken({ serial: PHYSICAL_SERIAL, seed: hardwareSeed, parameters: defaultOtpParameters });
  if (restored._tag === 'Left') throw new Error(`the hardware token could not be built: ${restored.left._tag}`);
  const hardware = restored.right;
  await ok(bankOperator, `imports VictorP1's hardware token ${PHYSICAL_SERIAL}`, {
    type: 'ImportPhysicalToken',
    companyId: OCCIDENTE,
    userId: victor.userId,
    serial: PHYSICAL_SERIAL,
    seed: encodeBase32(hardwareSeed),
  });

  // The admin's own token first: not enrolled yet, so nothing asks them for a code.
  const own = await ok<RequestTokenAssignmentOutput>(admin, 'requests a virtual token for themself', { type: 'RequestTokenAssignment' }, (out) => `${out.serial} ${out.status}`);
  const ownCode = await ok<ActivationCodeOutput>(admin, `confirms ${own.serial} (not enrolled yet: no OTP asked)`, { type: 'ConfirmTokenAssignment', serial: own.serial }, assigned);
  const adminPhone = await enrolThroughApp(stage, world, admin, own.serial, ownCode.activation.activationCode);
  await ok<ActivateTokenOutput>(admin, `activates ${own.serial}`, { type: 'ActivateToken', serial: own.serial }, (out) => `${out.status}: ADQD1 is enrolled now, and the app holds a signing key`);

  // Asignar Token Virtual: select the users, continue.
  const forVictor = await ok<RequestTokenAssignmentOutput>(admin, 'assigns a virtual token to VictorP1', { type: 'RequestTokenAssignment', userId: victor.userId }, (out) => `${out.serial} ${out.status}`);
  const forLucia = await ok<RequestTokenAssignmentOutput>(admin, 'assigns a virtual token to LuciaG2', { type: 'RequestTokenAssignment', userId: lucia.userId }, (out) => `${out.serial} ${out.status}`);

  // "Confirme la asignación a través de la AppMovil".
  await refused(admin, `confirms ${forVictor.serial} without a code`, { type: 'ConfirmTokenAssignment', serial: forVictor.serial }, 'OTP_REQUIRED');
  const confirmVictor = { type: 'ConfirmTokenAssignment', serial: forVictor.serial };
  const victorCode = await ok<ActivationCodeOutput>(admin, `confirms ${forVictor.serial} through the app`, { ...confirmVictor, confirmation: await confirmThroughApp(stage, admin, adminPhone, confirmVictor) }, assigned);
  const confirmLucia = { type: 'ConfirmTokenAssignment', serial: forLucia.serial };
  const luciaApproval = await confirmThroughApp(stage, admin, adminPhone, confirmLucia);
  await refused(admin, `tries that approval on another command (a reissue for ${forVictor.serial})`, { type: 'ReissueActivationCode', serial: forVictor.serial, confirmation: luciaApproval }, 'OTP_REJECTED');
  const luciaCode = await ok<ActivationCodeOutput>(admin, `confirms ${forLucia.serial} through the app`, { ...confirmLucia, confirmation: luciaApproval }, assigned);

  // 8.2: VictorP1 signs into the app with their credentials and the hardware token's current code.
  const victorRegistration = world.activatePhone(victor, forVictor.serial, victorCode.activation);
  stage.note(`VictorP1's phone receives the activation code by SMS (the admin never sees it) and shows registration code ${masked(victorRegistration)}`);
  await ok<EnrollDeviceOutput>(
    victor,
    'enrolls the phone with their credentials and the hardware token\'s code',
    { type: 'EnrollDevice', serial: forVictor.serial, registrationCode: victorRegistration, method: 'credentials', otp: hardware.code(world.clock.now()) },
    (out) => `${out.status} (method ${out.method})`,
  );
  const luciaRegistration = world.activatePhone(lucia, forLucia.serial, luciaCode.activation);
  stage.note(`LuciaG2's phone receives the activation code by SMS and shows registration code ${masked(luciaRegistration)}`);
  await ok<EnrollDeviceOutput>(lucia, 'enrolls the phone with the activation code', { type: 'EnrollDevice', serial: forLucia.serial, registrationCode: luciaRegistration }, (out) => `${out.status} (method ${out.method})`);

  tokenTableScreen(stage.print, 'Token Virtual: Occidente, before activation', await stage.read('the token table', world.sdk.views.tokenTable(OCCIDENTE)));

  // "Pendiente Activación": the admin activates, confirming each through the app.
  const activateVictor = { type: 'ActivateToken', serial: forVictor.serial };
  const activated = await ok<ActivateTokenOutput>(
    admin,
    `activates ${forVictor.serial} through the app`,
    { ...activateVictor, confirmation: await confirmThroughApp(stage, admin, adminPhone, activateVictor) },
    (out) => `${out.status}; hardware token ${out.disabledPhysicalToken ?? '(none)'} disabled in the same commit`,
  );
  check(`VictorP1's hardware token ${PHYSICAL_SERIAL} was disabled`, activated.disabledPhysicalToken === PHYSICAL_SERIAL);
  const activateLucia = { type: 'ActivateToken', serial: forLucia.serial };
  await ok<ActivateTokenOutput>(admin, `activates ${forLucia.serial} through the app`, { ...activateLucia, confirmation: await confirmThroughApp(stage, admin, adminPhone, activateLucia) }, (out) => out.status);
  await refused(victor, 'confirms a step-up check with the old hardware token', { type: 'VerifyOtp', otp: hardware.code(world.clock.now()) }, 'OTP_REJECTED');
  await ok(victor, 'confirms a step-up check with the new app', { type: 'VerifyOtp', otp: world.nextCode(victor) }, () => 'accepted');

  const page = await stage.read('the token table', world.sdk.views.tokenTable(OCCIDENTE, { includeDeleted: true }));
  tokenTableScreen(stage.print, 'Token Virtual: Occidente (deleted and disabled tokens shown)', page);
  check('quota 5, 2 available', page.quota.total === 5 && page.quota.available === 2);
  check(
    'the hardware token reads as disabled ("inhabilitado"), not deleted',
    page.rows.some((row) => row.serial === PHYSICAL_SERIAL && row.status === 'disabled'),
  );
  return { adminSerial: own.serial, victorSerial: forVictor.serial, luciaSerial: forLucia.serial };
};
