/**
 * The OTP rule's refusals: five wrong codes lock the token (the Internacional policy sets
 * `maxFailures: 5`), a locked token's owner cannot act until the bank unlocks it, and a code that
 * was accepted once is refused when it comes again.
 */
import { tokenTableScreen } from './screens.js';
import type { Stage } from './stage.js';
import { INTERNACIONAL, maria } from './internacional.js';
import { bankOperator, STEP_MS, type World } from './world.js';

/** A six-digit code that matches none of the steps the server accepts now (one back, one ahead). */
const wrongCode = (world: World): string => {
  const phone = world.phones.get(`${maria.companyId}/${maria.userId}`);
  const now = world.clock.now();
  const valid = new Set(phone === undefined ? [] : [-1, 0, 1].map((steps) => phone.code(now + steps * STEP_MS)));
  let candidate = 0;
  while (valid.has(String(candidate).padStart(6, '0'))) candidate++;
  return String(candidate).padStart(6, '0');
};

export const refusalsFlow = async (stage: Stage, world: World, mariaSerial: string): Promise<void> => {
  const { ok, refused, check } = stage;
  stage.section('5. Refusals: wrong codes, a locked token, a replayed code');

  for (let attempt = 1; attempt <= 5; attempt++) {
    await refused(maria, `types a wrong code (attempt ${attempt} of 5)`, { type: 'VerifyOtp', otp: wrongCode(world) }, 'OTP_REJECTED', 'mismatch');
  }
  const afterFailures = await stage.read('the token table', world.sdk.views.tokenTable(INTERNACIONAL));
  check(`the fifth failure locked ${mariaSerial}`, afterFailures.rows.some((row) => row.serial === mariaSerial && row.locked));
  await refused(maria, 'types the right code on the locked token', { type: 'VerifyOtp', otp: world.nextCode(maria) }, 'TOKEN_LOCKED');
  tokenTableScreen(stage.print, 'Mantenimiento SoftToken: Internacional, locked', afterFailures);

  await ok(bankOperator, `unlocks ${mariaSerial} (help desk)`, { type: 'UnlockToken', serial: mariaSerial }, () => 'unlocked, failures cleared');
  const code = world.nextCode(maria);
  await ok(maria, 'confirms a payment with a fresh code', { type: 'VerifyOtp', otp: code }, () => 'accepted');
  await refused(maria, 'sends the same code again (a replay)', { type: 'VerifyOtp', otp: code }, 'OTP_REJECTED', 'replay');
  await refused(maria, 'sends something that is not a code', { type: 'VerifyOtp', otp: '12ab56' }, 'OTP_REJECTED', 'malformed');
};
