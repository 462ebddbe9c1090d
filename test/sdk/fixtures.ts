import * as E from 'fp-ts/lib/Either.js';
import type { ActivationCodeOutput, RequestTokenAssignmentOutput } from '../../src/commands/token/index.js';
import { activateDevice, type DeviceToken } from '../../src/device/index.js';
import type { Actor } from '../../src/events/envelope.js';
import { seededRandom } from '../../src/ports/random.js';
import { bank, output, type harness } from './harness.js';

type World = ReturnType<typeof harness>;

/**
 * Takes a user from nothing to an active soft token under the default policy (admin confirms and
 * activates), with the admin's OTP whenever the admin is enrolled. Answers the user's app.
 */
export const activeToken = async (world: World, admin: Actor, owner: Actor & { kind: 'user' }, adminApp?: DeviceToken): Promise<{ serial: string; app: DeviceToken }> => {
  const { ok, clock } = world;
  const adminCode = (): Record<string, string> => {
    if (adminApp === undefined) return {};
    world.clock.advance(30_000);
    return { otp: adminApp.code(clock.now()) };
  };
  const requested = output<RequestTokenAssignmentOutput>(await ok(admin, { type: 'RequestTokenAssignment', userId: owner.userId }));
  const confirmed = output<ActivationCodeOutput>(await ok(admin, { type: 'ConfirmTokenAssignment', serial: requested.serial, ...adminCode() }));
  // In the output when the admin is the owner; otherwise only the owner's phone received it.
  const activationCode = confirmed.activation.activationCode ?? world.deliveredCode(requested.serial);
  const app = activateDevice({ serial: requested.serial, activationCode, random: seededRandom(requested.serial.length + clock.now()) });
  if (E.isLeft(app)) throw new Error(app.left._tag);
  await ok(owner, { type: 'EnrollDevice', serial: requested.serial, registrationCode: app.right.registrationCode });
  await ok(admin, { type: 'ActivateToken', serial: requested.serial, ...adminCode() });
  return { serial: requested.serial, app: app.right.token };
};

/** Configures the company with `quota` and default policy. */
export const configure = async (world: World, companyId: string, quota: number, policy: Record<string, unknown> = {}): Promise<void> => {
  await world.ok(bank, { type: 'ConfigureCompany', companyId, quota, policy });
};
