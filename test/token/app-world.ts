import * as E from 'fp-ts/lib/Either.js';
import type { DispatchResult } from '../../src/commands/command-handler.js';
import type { SdkConfig } from '../../src/sdk/create-sdk.js';
import { approveConfirmation, startActivationV2, type DeviceTokenV2 } from '../../src/device/index.js';
import type { SdkError } from '../../src/errors/sdk-error.js';
import type { Actor } from '../../src/events/envelope.js';
import { bank, harness, person, user } from '../sdk/harness.js';

// A company whose admin and user confirm through their apps (protocol v2), for the tests of
// issue 15: `adm` is the company admin, `ana` a user; both phones hold a signing key.

export const COMPANY = 'acme';
export const admin = user(COMPANY, 'adm');
export const ana = user(COMPANY, 'ana');

type Send = (actor: Actor, command: Record<string, unknown>) => Promise<E.Either<SdkError, DispatchResult>>;

const right = <A>(result: E.Either<SdkError, A>, what: string): A => {
  if (E.isLeft(result)) throw new Error(`${what} failed: ${result.left.code} ${result.left.message}`);
  return result.right;
};

const fields = (result: DispatchResult): Readonly<Record<string, unknown>> => result.output as Readonly<Record<string, unknown>>;

/** The owner's app activates with protocol v2 through EnrollDeviceV2. */
export const enrolV2 = async (send: Send, owner: Actor, serial: string, activationCode: string): Promise<DeviceTokenV2> => {
  const pending = await startActivationV2({ serial, activationCode });
  if (E.isLeft(pending)) throw new Error(`the app refused: ${pending.left._tag}`);
  const enrolled = right(await send(owner, { type: 'EnrollDeviceV2', ...pending.right.offer }), 'EnrollDeviceV2');
  const finished = await pending.right.finish(enrolled.output);
  if (E.isLeft(finished)) throw new Error(`the app could not finish: ${finished.left._tag}`);
  return finished.right;
};

/**
 * A signed confirmation of `target` by `actor`'s app: RequestConfirmation, then the phone approves
 * the challenge it was handed. Answers the `confirmation` field and the challenge.
 */
export const confirmByApp = async (send: Send, actor: Actor, phone: DeviceTokenV2, target: Record<string, unknown>) => {
  const requested = right(await send(actor, { type: 'RequestConfirmation', target: { commandId: 'target', actor, ...target } }), 'RequestConfirmation');
  const challenge = fields(requested);
  const approved = await approveConfirmation(phone.signingKey, challenge);
  if (E.isLeft(approved)) throw new Error('the phone could not sign');
  return { confirmation: approved.right, challenge };
};

/** What `enrolCompany` needs of a harness. */
interface Sending {
  readonly send: Send;
  readonly ok: (actor: Actor, command: Record<string, unknown>) => Promise<DispatchResult>;
  readonly deliveredCode: (serial: string) => string;
}

/**
 * A company's admin `adm` and user `ana` enrolled and active through protocol v2: the admin's
 * own token first (nobody confirms yet), then ana's assignment and activation confirmed by the
 * admin's app. `bob` is left for the tests.
 */
export const enrolCompany = async ({ send, ok, deliveredCode }: Sending, company = COMPANY) => {
  const adm = user(company, 'adm');
  const owner = user(company, 'ana');
  await ok(bank, { type: 'ConfigureCompany', companyId: company, quota: 5, policy: { maxFailures: 5 } });
  const adminSerial = String(fields(await ok(adm, { type: 'RequestTokenAssignment' })).serial);
  const adminCode = String((fields(await ok(adm, { type: 'ConfirmTokenAssignment', serial: adminSerial })).activation as { readonly activationCode?: string } | undefined)?.activationCode);
  const adminPhone = await enrolV2(send, adm, adminSerial, adminCode);
  await ok(adm, { type: 'ActivateToken', serial: adminSerial });
  const anaSerial = String(fields(await ok(owner, { type: 'RequestTokenAssignment' })).serial);
  const assign = { type: 'ConfirmTokenAssignment', serial: anaSerial };
  await ok(adm, { ...assign, confirmation: (await confirmByApp(send, adm, adminPhone, assign)).confirmation });
  const anaPhone = await enrolV2(send, owner, anaSerial, deliveredCode(anaSerial));
  const activate = { type: 'ActivateToken', serial: anaSerial };
  await ok(adm, { ...activate, confirmation: (await confirmByApp(send, adm, adminPhone, activate)).confirmation });
  return { adminSerial, adminPhone, anaSerial, anaPhone };
};

/** The people of a company of this world. */
export const people = (company = COMPANY) => [person(company, 'adm', { isCompanyAdmin: true }), person(company, 'ana'), person(company, 'bob')];

/** The harness with one company enrolled (`enrolCompany`). */
export const appWorld = async (config: Partial<SdkConfig> = {}) => {
  const world = harness(people(), config);
  return { ...world, ...(await enrolCompany(world)) };
};
