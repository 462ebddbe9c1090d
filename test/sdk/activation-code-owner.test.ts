import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { parseActivationCode, type ActivationCode } from '../../src/activation/activation-code.js';
import { parseRegistrationCode } from '../../src/activation/registration-code.js';
import { deriveSeed } from '../../src/activation/seed.js';
import type { ActivationCodeOutput, RequestTokenAssignmentOutput } from '../../src/commands/token/index.js';
import { activateDevice } from '../../src/device/index.js';
import { totp } from '../../src/otp/totp.js';
import type { Actor } from '../../src/events/envelope.js';
import { inMemoryDirectory } from '../../src/ports/in-memory-directory.js';
import { seededRandom } from '../../src/ports/random.js';
import { createSdk } from '../../src/sdk/create-sdk.js';
import { configure } from './fixtures.js';
import { bank, harness, output, person, STEP, user } from './harness.js';

const CO = 'acme';
const admin = user(CO, 'ada');
const bo = user(CO, 'bo');
const people = [person(CO, 'ada', { isCompanyAdmin: true }), person(CO, 'bo')];

type World = ReturnType<typeof harness>;

/** Everything the admin (or a bank operator) can read: outputs, errors, every stored event, the audit trail, the token table. */
const everythingVisible = async (world: World, seen: readonly unknown[]): Promise<string> => {
  const events = await world.sdk.store.readAll({ fromPosition: 0, limit: 10_000 })();
  const audit = await world.sdk.views.audit({ pageSize: 500 })();
  const table = await world.sdk.views.tokenTable(CO)();
  return JSON.stringify([seen, events, audit, table]);
};

/** Every activation code (28 digits with a valid check digit) hidden in a text, dashes or not. */
const activationCodesIn = (text: string): ActivationCode[] =>
  [...text.matchAll(/(?<![0-9])(?:[0-9]{28}|(?:[0-9]{4}[- ]){6}[0-9]{4})(?![0-9])/g)]
    .map((match) => match[0])
    .flatMap((candidate) => {
      const parsed = parseActivationCode(candidate);
      return E.isRight(parsed) ? [parsed.right] : [];
    });

describe('the activation code reaches only the token\'s owner', () => {
  it('an admin-confirmed assignment: not in the output, the replay, the events or the audit trail; the owner\'s phone gets it', async () => {
    const world = harness(people);
    await configure(world, CO, 5);
    const requested = output<RequestTokenAssignmentOutput>(await world.ok(admin, { type: 'RequestTokenAssignment', userId: 'bo' }));
    const command = { type: 'ConfirmTokenAssignment', serial: requested.serial, commandId: 'confirm-1', actor: admin };
    const first = await world.sdk.dispatchJson(command)();
    const replay = await world.sdk.dispatchJson(command)();
    if (E.isLeft(first) || E.isLeft(replay)) throw new Error('dispatch failed');

    const delivered = world.outbox.latestFor({ companyId: CO, userId: 'bo', serial: requested.serial });
    expect(delivered).toMatchObject({ companyId: CO, userId: 'bo', serial: requested.serial, reason: 'assignment' });
    const code = delivered?.activationCode ?? 'none';
    expect(code).toMatch(/^([0-9]{4}-){6}[0-9]{4}$/);
    expect(output<ActivationCodeOutput>(first.right).activation).toMatchObject({ codeDelivery: 'sent-to-owner', activationCodeExpiresAt: delivered?.expiresAt });
    expect(output<ActivationCodeOutput>(replay.right).activation.codeDelivery).toBe('already-issued');
    const visible = await everythingVisible(world, [first.right, replay.right]);
    expect(visible).not.toContain(code);
    expect(visible).not.toContain(code.replaceAll('-', ''));
    expect(world.outbox.messages()).toHaveLength(1);

    // And the code the owner received works.
    const phone = activateDevice({ serial: requested.serial, activationCode: code, random: seededRandom(4) });
    if (E.isLeft(phone)) throw new Error(phone.left._tag);
    await world.ok(bo, { type: 'EnrollDevice', serial: requested.serial, registrationCode: phone.right.registrationCode });
  });

  it('a reissue by the admin or the bank, and an assignment at once for another user, go to the owner\'s phone only', async () => {
    const world = harness([...people, person(CO, 'cy')]);
    await configure(world, CO, 5);
    const requested = output<RequestTokenAssignmentOutput>(await world.ok(admin, { type: 'RequestTokenAssignment', userId: 'bo' }));
    const seen: unknown[] = [await world.ok(admin, { type: 'ConfirmTokenAssignment', serial: requested.serial })];
    seen.push(await world.ok(admin, { type: 'ReissueActivationCode', serial: requested.serial }));
    expect(world.outbox.latestFor({ companyId: CO, userId: 'bo' })?.reason).toBe('reissue');

    await world.ok(bank, { type: 'ConfigureCompany', companyId: CO, policy: { assignmentConfirmation: 'none' } });
    const atOnce = await world.ok(admin, { type: 'RequestTokenAssignment', userId: 'cy' });
    seen.push(atOnce);
    expect(output<RequestTokenAssignmentOutput>(atOnce).activation?.codeDelivery).toBe('sent-to-owner');
    const visible = await everythingVisible(world, seen);
    expect(world.outbox.messages()).toHaveLength(3);
    for (const message of world.outbox.messages()) expect(visible).not.toContain(message.activationCode.replaceAll('-', ''));
    expect(activationCodesIn(visible)).toEqual([]);
  });

  it('the owner acting for themself gets the code in their own output, and nothing is sent', async () => {
    const world = harness(people);
    await configure(world, CO, 5, { assignmentConfirmation: 'none' });
    const own = output<RequestTokenAssignmentOutput>(await world.ok(bo, { type: 'RequestTokenAssignment' }));
    expect(own.activation).toMatchObject({ codeDelivery: 'in-output', activationCode: expect.stringMatching(/^([0-9]{4}-){6}[0-9]{4}$/) as unknown });
    expect(world.outbox.messages()).toEqual([]);
  });

  it('without a delivery port an admin\'s confirmation is refused, naming the setting, and nothing is recorded', async () => {
    const sdk = createSdk({ directory: inMemoryDirectory(people), random: seededRandom(2) });
    const send = async (actor: Actor, command: Record<string, unknown>) => sdk.dispatchJson({ commandId: `c-${String(Math.random())}`, actor, ...command })();
    expect(E.isRight(await send(bank, { type: 'ConfigureCompany', companyId: CO, quota: 5 }))).toBe(true);
    const requested = await send(admin, { type: 'RequestTokenAssignment', userId: 'bo' });
    if (E.isLeft(requested)) throw new Error(requested.left.message);
    const { serial } = output<RequestTokenAssignmentOutput>(requested.right);
    const before = await sdk.store.readStream(`token-${serial}`)();
    expect(await send(admin, { type: 'ConfirmTokenAssignment', serial })).toMatchObject({
      left: { _tag: 'PreconditionFailed', precondition: 'activation-code-delivery', message: expect.stringContaining('activationCodeDelivery') as unknown },
    });
    expect(await sdk.store.readStream(`token-${serial}`)()).toEqual(before);
  });

  it('a delivery that fails fails the command: nothing recorded, the unused code destroyed', async () => {
    const world = harness(people, { activationCodeDelivery: { deliver: () => Promise.reject(new Error('SMS gateway down')) } });
    await configure(world, CO, 5);
    const requested = output<RequestTokenAssignmentOutput>(await world.ok(admin, { type: 'RequestTokenAssignment', userId: 'bo' }));
    expect(await world.fails(admin, { type: 'ConfirmTokenAssignment', serial: requested.serial })).toMatchObject({ _tag: 'Infrastructure' });
    const events = await world.sdk.store.readStream(`token-${requested.serial}`)();
    expect(E.isRight(events) && events.right.map((event) => event.type)).toEqual(['TokenRequested']);
    const putCodes = world.vault.everPut().map((bytes) => new TextDecoder().decode(bytes)).filter((text) => /^[0-9]{28}$/.test(text));
    expect(putCodes).toHaveLength(1);
  });

  it('an admin who sees everything they may see, even the owner\'s registration code, cannot produce a code the SDK accepts', async () => {
    const world = harness(people);
    await configure(world, CO, 5);
    const seen: unknown[] = [];
    const requested = output<RequestTokenAssignmentOutput>(await world.ok(admin, { type: 'RequestTokenAssignment', userId: 'bo' }));
    const confirmed = await world.ok(admin, { type: 'ConfirmTokenAssignment', serial: requested.serial });
    seen.push(confirmed);
    // The owner activates their phone with the code they got; the admin looks over their shoulder at the registration code.
    const ownerCode = output<ActivationCodeOutput>(confirmed).activation.activationCode ?? world.deliveredCode(requested.serial);
    const phone = activateDevice({ serial: requested.serial, activationCode: ownerCode, random: seededRandom(8) });
    if (E.isLeft(phone)) throw new Error(phone.left._tag);
    const registrationCode = phone.right.registrationCode;
    await world.ok(bo, { type: 'EnrollDevice', serial: requested.serial, registrationCode });
    seen.push(await world.ok(admin, { type: 'ActivateToken', serial: requested.serial }));

    // The admin's clone: every activation code they saw, with the nonce of the registration code.
    const parts = parseRegistrationCode(registrationCode);
    if (E.isLeft(parts)) throw new Error(parts.left._tag);
    const visible = await everythingVisible(world, seen);
    const clones = activationCodesIn(visible).map((candidate) => deriveSeed(candidate, requested.serial, parts.right.nonce));
    // No clone at all, or none whose codes pass as the owner's.
    for (const seed of clones.slice(0, 5)) {
      world.clock.advance(STEP);
      expect(await world.fails(bo, { type: 'VerifyOtp', otp: totp(seed, world.clock.now()) })).toMatchObject({ _tag: 'OtpRejected' });
    }
    expect(clones).toEqual([]);
    world.clock.advance(STEP);
    await world.ok(bo, { type: 'VerifyOtp', otp: phone.right.token.code(world.clock.now()) });
  });
});
