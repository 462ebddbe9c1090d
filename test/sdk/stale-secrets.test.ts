import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { RequestTokenAssignmentOutput } from '../../src/commands/token/index.js';
import { activateDevice } from '../../src/device/index.js';
import { inMemorySecretVault } from '../../src/ports/in-memory-secret-vault.js';
import { seededRandom } from '../../src/ports/random.js';
import type { SecretVault } from '../../src/ports/secret-vault.js';
import { activeToken, configure } from './fixtures.js';
import { bank, harness, output, person, STEP, user } from './harness.js';

/**
 * A command reads a token, then reads one of its secrets from the vault. When another command
 * (another instance, in production) commits in between and retires that secret, the shredder
 * destroys it: the first command then finds a secret missing that the state it read still names.
 * That state is stale; the command must be answered from the new one, not with a missing secret.
 */
const CO = 'acme';
const admin = user(CO, 'ada');
const bo = user(CO, 'bo');
const people = [person(CO, 'ada', { isCompanyAdmin: true }), person(CO, 'bo'), person(CO, 'cy')];
const noWait = { retry: { maxAttempts: 5, sleep: () => Promise.resolve() } };

/** A vault whose next read of one reference waits until the test lets it go on. */
const holdingVault = () => {
  const inner = inMemorySecretVault();
  let held: { readonly ref: string; readonly reached: () => void; readonly released: Promise<void> } | undefined;
  const vault: SecretVault = {
    put: (ref, secret) => inner.put(ref, secret),
    destroy: (ref) => inner.destroy(ref),
    get: async (ref) => {
      const hold = held;
      if (hold?.ref === ref) {
        held = undefined;
        hold.reached();
        await hold.released;
      }
      return inner.get(ref);
    },
  };
  /** Holds the next read of `ref`: `reached` resolves once a command waits on it, `release` lets it read. */
  const hold = (ref: string) => {
    let reached = (): void => undefined;
    let release = (): void => undefined;
    const reading = new Promise<void>((resolve) => (reached = resolve));
    const released = new Promise<void>((resolve) => (release = resolve));
    held = { ref, reached, released };
    return { reading, release };
  };
  return { vault, hold };
};

const setUp = async () => {
  const { vault, hold } = holdingVault();
  const world = harness(people, { vault, ...noWait });
  await configure(world, CO, 5);
  const refOf = async (serial: string, type: string, field: 'seedRef' | 'activationCodeRef'): Promise<string> => {
    const events = await world.sdk.store.readStream(`token-${serial}`)();
    const event = E.isRight(events) ? events.right.find((each) => each.type === type) : undefined;
    return (event?.data as Record<string, string> | undefined)?.[field] ?? '';
  };
  return { world, vault, hold, refOf };
};

/** A token assigned to a user, and the registration code the user's phone shows for it. */
const assignedWithPhone = async (world: ReturnType<typeof harness>, userId = 'bo'): Promise<{ serial: string; registrationCode: string }> => {
  const requested = output<RequestTokenAssignmentOutput>(await world.ok(admin, { type: 'RequestTokenAssignment', userId }));
  await world.ok(admin, { type: 'ConfirmTokenAssignment', serial: requested.serial });
  const app = activateDevice({ serial: requested.serial, activationCode: world.deliveredCode(requested.serial), random: seededRandom(3) });
  if (E.isLeft(app)) throw new Error(app.left._tag);
  return { serial: requested.serial, registrationCode: app.right.registrationCode };
};

/** Runs `first` up to its read of `ref`, runs `meanwhile` to its end, then lets `first` finish. */
const interleave = async <A>(hold: (ref: string) => { reading: Promise<void>; release: () => void }, ref: string, first: () => Promise<A>, meanwhile: () => Promise<unknown>): Promise<A> => {
  const { reading, release } = hold(ref);
  const running = first();
  await reading;
  await meanwhile();
  release();
  return running;
};

describe('a secret retired by a command that commits meanwhile', () => {
  it("an owner deleting their token while the bank deletes it is told it is deleted, not that the verifier failed", async () => {
    const { world, hold, refOf } = await setUp();
    const token = await activeToken(world, admin, bo);
    world.clock.advance(STEP);
    const code = token.app.code(world.clock.now());
    const result = await interleave(
      hold,
      await refOf(token.serial, 'DeviceEnrolled', 'seedRef'),
      () => world.send(bo, { type: 'DeleteToken', serial: token.serial, otp: code }),
      () => world.ok(bank, { type: 'DeleteToken', serial: token.serial }),
    );
    expect(result).toEqual(E.left(expect.objectContaining({ _tag: 'InvalidTransition', from: 'deleted' })));
  });

  it('an owner resyncing a token the bank deletes meanwhile is told it is deleted', async () => {
    const { world, hold, refOf } = await setUp();
    const token = await activeToken(world, admin, bo);
    const now = world.clock.now();
    const codes = [token.app.code(now + 200 * STEP), token.app.code(now + 201 * STEP)];
    const result = await interleave(
      hold,
      await refOf(token.serial, 'DeviceEnrolled', 'seedRef'),
      () => world.send(bo, { type: 'ResyncToken', serial: token.serial, codes }),
      () => world.ok(bank, { type: 'DeleteToken', serial: token.serial }),
    );
    expect(result).toEqual(E.left(expect.objectContaining({ _tag: 'InvalidTransition', from: 'deleted' })));
  });

  it('an owner enrolling a token the bank deletes meanwhile is told it is deleted, not to ask for a new code', async () => {
    const { world, hold, refOf } = await setUp();
    const { serial, registrationCode } = await assignedWithPhone(world);
    const result = await interleave(
      hold,
      await refOf(serial, 'TokenAssignmentConfirmed', 'activationCodeRef'),
      () => world.send(bo, { type: 'EnrollDevice', serial, registrationCode }),
      () => world.ok(bank, { type: 'DeleteToken', serial }),
    );
    expect(result).toEqual(E.left(expect.objectContaining({ _tag: 'InvalidTransition', from: 'deleted' })));
  });

  it('an enrolment sent twice at once enrols once; the second is told the token is enrolled already', async () => {
    const { world, hold, refOf } = await setUp();
    const { serial, registrationCode } = await assignedWithPhone(world);
    const enroll = () => world.send(bo, { type: 'EnrollDevice', serial, registrationCode });
    const second = await interleave(hold, await refOf(serial, 'TokenAssignmentConfirmed', 'activationCodeRef'), enroll, async () => {
      expect(E.isRight(await enroll())).toBe(true);
    });
    expect(second).toEqual(E.left(expect.objectContaining({ _tag: 'InvalidTransition', from: 'pending-activation' })));
  });

  it('a secret missing while its token has not moved is still reported as missing, without retrying for ever', async () => {
    const { world, vault, refOf } = await setUp();
    const token = await activeToken(world, admin, bo);
    // An operator's mistake: the seed destroyed behind the SDK's back.
    await vault.destroy(await refOf(token.serial, 'DeviceEnrolled', 'seedRef'));
    world.clock.advance(STEP);
    expect(await world.fails(bo, { type: 'VerifyOtp', otp: token.app.code(world.clock.now()) })).toMatchObject({ _tag: 'Infrastructure' });
    const { serial, registrationCode } = await assignedWithPhone(world, 'cy');
    await vault.destroy(await refOf(serial, 'TokenAssignmentConfirmed', 'activationCodeRef'));
    expect(await world.fails(user(CO, 'cy'), { type: 'EnrollDevice', serial, registrationCode })).toMatchObject({ _tag: 'ActivationCodeExpired' });
  });
});
