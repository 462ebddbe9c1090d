import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { guessingRiskOf as guessingRisk } from '../../src/domain/company/guessing-risk.js';
import { defaultCompanyPolicy } from '../../src/domain/company/policy.js';
import { activeToken, configure } from './fixtures.js';
import { bank, harness, person, user } from './harness.js';

/** Issue 11, defect 6, through the SDK: a guessable policy is refused, and a timed unlock is capped per day. */
const CO = 'acme';
const admin = user(CO, 'ada');
const bo = user(CO, 'bo');
const people = [person(CO, 'ada', { isCompanyAdmin: true }), person(CO, 'bo')];

describe('ConfigureCompany and guessing', () => {
  it('refuses a guessable policy, naming its fields, and keeps the one in force', async () => {
    const world = harness(people);
    await configure(world, CO, 5, { maxFailures: 5 });
    const refused = await world.fails(bank, { type: 'ConfigureCompany', companyId: CO, policy: { maxFailures: 100, timedUnlockSeconds: 60, otp: { past: 100, future: 100 } } });
    expect(refused).toMatchObject({ _tag: 'InvalidCommand', code: 'INVALID_COMMAND' });
    expect(refused.message).toContain('policy.maxFailures');
    expect(refused.message).toContain('policy.timedUnlockSeconds');
    const reconfigured = await world.ok(bank, { type: 'ConfigureCompany', companyId: CO, quota: 6 });
    expect(reconfigured.output).toMatchObject({ quota: 6, policy: { maxFailures: 5, timedUnlockSeconds: null } });
  });

  it('a blind guesser at a 60-second timed unlock gets the guesses guessingRisk counts in a day, then needs an admin', async () => {
    const world = harness(people);
    const policy = { maxFailures: 4, timedUnlockSeconds: 60 };
    await configure(world, CO, 5, policy);
    await activeToken(world, admin, bo);
    let judged = 0;
    // One guess every 30 seconds for a day.
    for (let guess = 0; guess < 2880; guess++) {
      world.clock.advance(30_000);
      const result = await world.send(bo, { type: 'VerifyOtp', otp: '000000' });
      if (E.isLeft(result) && result.left._tag === 'OtpRejected') judged++;
      else expect(result).toMatchObject({ _tag: 'Left', left: { _tag: 'TokenLocked' } });
    }
    expect(judged).toBe(guessingRisk({ ...defaultCompanyPolicy, ...policy }).guessesPerDay);
    expect(judged).toBe(16);
    const table = await world.sdk.views.tokenTable(CO)();
    expect(E.isRight(table) && table.right.rows.find((row) => row.userId === 'bo')?.locked).toBe(true);
  });
});
