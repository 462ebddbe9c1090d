/**
 * The phone app of protocol v2 (issue 15): it activates online (its own keys, the server's
 * ephemeral key) and confirms commands by signing the challenge the bank's app receives.
 */
import * as E from 'fp-ts/lib/Either.js';
import { approveConfirmation, startActivationV2, type AppConfirmation, type DeviceTokenV2 } from '../../src/device/index.js';
import type { EnrollDeviceV2Output, RequestConfirmationOutput } from '../../src/index.js';
import { UnexpectedOutcome, type Stage } from './stage.js';
import type { Person, World } from './world.js';

/** The person's app activates with protocol v2 (`EnrollDeviceV2`); its codes and its signing key are then on the phone. */
export const enrolThroughApp = async (stage: Stage, world: World, who: Person, serial: string, activationCode: string | undefined): Promise<DeviceTokenV2> => {
  const pending = await startActivationV2({ serial, activationCode });
  if (E.isLeft(pending)) throw new UnexpectedOutcome(`${who.label}'s app refused the activation code (${pending.left._tag})`);
  const enrolled = await stage.ok<EnrollDeviceV2Output>(
    who,
    'logs into the bank\'s app, which sends its fresh public keys and the proof of the activation code (protocol v2)',
    { type: 'EnrollDeviceV2', ...pending.right.offer },
    (out) => `${out.status}; the server answered its ephemeral key, and both derived the seed: it never travelled, and the codes alone do not give it`,
  );
  const finished = await pending.right.finish(enrolled);
  if (E.isLeft(finished)) throw new UnexpectedOutcome(`${who.label}'s app could not finish the activation (${finished.left._tag})`);
  world.phones.set(`${who.companyId}/${who.userId}`, finished.right.token);
  return finished.right;
};

/**
 * "Confirme … a través de la AppMovil": the SDK issues a challenge for this very command, the
 * phone shows its summary and the user approves; the signature then goes with the command.
 */
export const confirmThroughApp = async (stage: Stage, who: Person, phone: DeviceTokenV2, target: Readonly<Record<string, unknown>>): Promise<AppConfirmation> => {
  const challenge = await stage.ok<RequestConfirmationOutput>(
    who,
    `asks for a confirmation of ${String(target.type)} on the phone`,
    { type: 'RequestConfirmation', target: { commandId: 'to-confirm', actor: who.actor, ...target } },
    (out) => `challenge sent to the app, valid until ${out.expiresAt.slice(11, 19)} UTC`,
  );
  stage.note(`${who.label}'s phone shows "${challenge.summary}" and ${who.label} taps Approve: the app signs the challenge and the command's digest`);
  const approved = await approveConfirmation(phone.signingKey, challenge);
  if (E.isLeft(approved)) throw new UnexpectedOutcome(`${who.label}'s app could not sign (${approved.left._tag})`);
  return approved.right;
};
