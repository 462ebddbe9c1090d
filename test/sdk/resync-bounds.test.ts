import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { encodeBase32 } from '../../src/otp/base32.js';
import { totp } from '../../src/otp/totp.js';
import { activeToken, configure } from './fixtures.js';
import { bank, harness, person, STEP, user } from './harness.js';

/** Issue 11, defect 5: a resync moves a token only toward codes shown near now, and an admin's resync needs their code. */
const CO = 'acme';
const admin = user(CO, 'ada');
const bo = user(CO, 'bo');
const people = [person(CO, 'ada', { isCompanyAdmin: true }), person(CO, 'bo')];
const seed = Uint8Array.from({ length: 20 }, (_, index) => 90 + index);
const HOUR = 3_600_000;

/** A company where bo holds a hardware TOTP token whose clock is right. */
const withHardwareToken = async () => {
  const world = harness(people);
  await configure(world, CO, 5);
  await world.ok(bank, { type: 'ImportPhysicalToken', companyId: CO, userId: 'bo', serial: 'HW1', seed: encodeBase32(seed) });
  return world;
};

describe('ResyncToken near now', () => {
  it('three codes phished seven hours ago neither resync the token nor confirm a command, and the user keeps working', async () => {
    const world = await withHardwareToken();
    const phishedAt = world.clock.now();
    const phished = [0, 1, 2].map((step) => totp(seed, phishedAt + step * STEP));
    world.clock.advance(7 * HOUR);
    const resync = await world.send(bo, { type: 'ResyncToken', serial: 'HW1', codes: [phished[0], phished[1]] });
    expect(resync).toMatchObject({ _tag: 'Left', left: { _tag: 'OtpRejected', reason: 'mismatch' } });
    expect(await world.fails(bo, { type: 'VerifyOtp', otp: phished[2] })).toMatchObject({ _tag: 'OtpRejected' });
    // The user's genuinely current code still works.
    await world.ok(bo, { type: 'VerifyOtp', otp: totp(seed, world.clock.now()) });
  });

  it('an enrolled admin resyncs another user\'s token only with their own code', async () => {
    const world = await withHardwareToken();
    const ada = await activeToken(world, admin, admin);
    world.clock.advance(STEP);
    const codes = (): readonly [string, string] => [totp(seed, world.clock.now() - STEP), totp(seed, world.clock.now())];
    expect(await world.fails(admin, { type: 'ResyncToken', serial: 'HW1', codes: codes() })).toMatchObject({ _tag: 'OtpRequired' });
    expect(await world.fails(admin, { type: 'ResyncToken', serial: 'HW1', codes: codes(), otp: '000000' })).toMatchObject({ _tag: 'OtpRejected' });
    world.clock.advance(STEP);
    await world.ok(admin, { type: 'ResyncToken', serial: 'HW1', codes: codes(), otp: ada.app.code(world.clock.now()) });
  });

  it('a token whose clock runs fast is still found ahead, and follows its clock afterwards', async () => {
    const world = await withHardwareToken();
    const fast = (at: number): string => totp(seed, at + 200 * STEP);
    world.clock.advance(STEP);
    const now = world.clock.now();
    expect((await world.ok(bo, { type: 'ResyncToken', serial: 'HW1', codes: [fast(now - STEP), fast(now)] })).output).toMatchObject({ drift: 200 });
    world.clock.advance(STEP);
    await world.ok(bo, { type: 'VerifyOtp', otp: fast(world.clock.now()) });
  });

  it('whatever codes a correct clock showed before, after a resync that accepts them the user\'s current code is accepted', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: 2000 }), fc.integer({ min: 1, max: 20 }), async (ageInSteps, laterSteps) => {
        const world = await withHardwareToken();
        world.clock.advance(5000 * STEP);
        // Two codes the device showed `ageInSteps` steps ago (the second one), i.e. phished or typed late.
        const end = world.clock.now() - ageInSteps * STEP;
        const resync = await world.send(bo, { type: 'ResyncToken', serial: 'HW1', codes: [totp(seed, end - STEP), totp(seed, end)] });
        // From the next step on: a code of the step the pair ended at was just used, and is a replay.
        world.clock.advance(laterSteps * STEP);
        const current = await world.send(bo, { type: 'VerifyOtp', otp: totp(seed, world.clock.now()) });
        expect(current._tag).toBe('Right');
        return resync._tag === 'Left' || ageInSteps <= 1;
      }),
      { numRuns: 200 },
    );
  });
});
