import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { decideConfigureCompany } from '../../src/domain/company/decide.js';
import { guessingRisk as guessingRiskEither, guessingRiskOf as guessingRisk, MAX_GUESSING_SUCCESS_PER_DAY, type GuessablePolicy } from '../../src/domain/company/guessing-risk.js';
import { defaultCompanyPolicy, type CompanyPolicyPatch } from '../../src/domain/company/policy.js';
import { initialCompanyState } from '../../src/domain/company/state.js';
import { judgeOtp, requireOtp, type OtpRulePolicy } from '../../src/domain/otp-rule/index.js';
import { evolveToken, isLockedAt, type Token, type TokenState } from '../../src/domain/token/state.js';
import { DAY_MS, TIMED_UNLOCKS_PER_DAY } from '../../src/domain/token/timed-unlock.js';
import type { OtpMatch } from '../../src/otp/engine.js';
import type { OtpRejection } from '../../src/otp/rejection.js';
import { active, asToken, stateAfter, T0 } from './fixtures.js';

/** Issue 11, defect 6: policies that invite online guessing are refused, and a timed unlock is capped per day. */
const configure = (policy: CompanyPolicyPatch) => decideConfigureCompany(initialCompanyState, { quota: 5, policy });

const policyArbitrary: fc.Arbitrary<GuessablePolicy> = fc.record({
  otp: fc.record({
    mode: fc.constantFrom('totp' as const, 'hotp' as const),
    digits: fc.integer({ min: 6, max: 8 }),
    past: fc.integer({ min: 0, max: 100 }),
    future: fc.integer({ min: 0, max: 100 }),
    lookAhead: fc.integer({ min: 0, max: 1000 }),
  }),
  maxFailures: fc.integer({ min: 1, max: 100 }),
  timedUnlockSeconds: fc.option(fc.integer({ min: 60, max: 30 * 86_400 }), { nil: null }),
});

describe('guessingRisk', () => {
  it('as exported, answers the same figures for a policy, and an InvalidCommand naming the policy for anything else', () => {
    expect(guessingRiskEither(defaultCompanyPolicy)).toEqual(E.right(guessingRisk(defaultCompanyPolicy)));
    for (const bad of [null, undefined, 7, 'x', {}, { ...defaultCompanyPolicy, maxFailures: -1 }, { ...defaultCompanyPolicy, otp: null }]) {
      expect(guessingRiskEither(bad)).toMatchObject({ _tag: 'Left', left: { _tag: 'InvalidCommand', issues: [{ path: 'policy' }] } });
    }
  });

  it('gives the defaults 3 accepted codes in a million, 10 guesses a day: 3 in 100,000', () => {
    expect(guessingRisk(defaultCompanyPolicy)).toEqual({
      acceptedCodes: 3,
      successPerGuess: 3e-6,
      guessesBeforeLock: 10,
      timedUnlocksPerDay: 0,
      guessesPerDay: 10,
      successPerDay: 3e-5,
    });
    expect(guessingRisk(defaultCompanyPolicy).successPerDay).toBeLessThanOrEqual(MAX_GUESSING_SUCCESS_PER_DAY);
  });

  it('never falls when a setting gives the guesser more: more failures, a wider window, a shorter timer, fewer digits', () => {
    const risk = (policy: GuessablePolicy) => guessingRisk(policy).successPerDay;
    fc.assert(
      fc.property(policyArbitrary, fc.integer({ min: 1, max: 100 }), fc.integer({ min: 1, max: 1000 }), (policy, more, wider) => {
        const base = risk(policy);
        expect(risk({ ...policy, maxFailures: Math.min(100, policy.maxFailures + more) })).toBeGreaterThanOrEqual(base);
        expect(risk({ ...policy, otp: { ...policy.otp, past: policy.otp.past + wider } })).toBeGreaterThanOrEqual(base);
        expect(risk({ ...policy, otp: { ...policy.otp, future: policy.otp.future + wider } })).toBeGreaterThanOrEqual(base);
        expect(risk({ ...policy, otp: { ...policy.otp, lookAhead: policy.otp.lookAhead + wider } })).toBeGreaterThanOrEqual(base);
        if (policy.otp.digits > 6) expect(risk({ ...policy, otp: { ...policy.otp, digits: policy.otp.digits - 1 } })).toBeGreaterThanOrEqual(base);
        // Any timer gives at least as much as none; a shorter one at least as much as a longer one.
        expect(risk({ ...policy, timedUnlockSeconds: 60 })).toBeGreaterThanOrEqual(base);
        if (policy.timedUnlockSeconds !== null) {
          expect(base).toBeGreaterThanOrEqual(risk({ ...policy, timedUnlockSeconds: null }));
          expect(risk({ ...policy, timedUnlockSeconds: Math.max(60, policy.timedUnlockSeconds - wider) })).toBeGreaterThanOrEqual(base);
        }
        expect(base).toBeGreaterThan(0);
        expect(base).toBeLessThanOrEqual(1);
      }),
      { numRuns: 2000 },
    );
  });
});

describe('ConfigureCompany refuses policies above the bound', () => {
  it('accepts the defaults, and refuses the issue\'s policy naming every field that adds to the risk', () => {
    expect(E.isRight(configure({}))).toBe(true);
    const refused = configure({ maxFailures: 100, timedUnlockSeconds: 60, otp: { past: 100, future: 100 } });
    expect(refused).toEqual(E.left(expect.objectContaining({ _tag: 'InvalidCommand' })));
    if (E.isLeft(refused) && refused.left._tag === 'InvalidCommand') {
      expect(refused.left.issues.map((issue) => issue.path)).toEqual(['policy.maxFailures', 'policy.timedUnlockSeconds', 'policy.otp.past', 'policy.otp.future', 'policy.otp.digits']);
      expect(refused.left.message).toContain('8.04e-2 per day');
    }
  });

  it('refuses exactly the policies whose risk is above the bound', () => {
    fc.assert(
      fc.property(policyArbitrary, ({ otp, maxFailures, timedUnlockSeconds }) => {
        const result = configure({ otp, maxFailures, timedUnlockSeconds });
        const above = guessingRisk({ otp, maxFailures, timedUnlockSeconds }).successPerDay > MAX_GUESSING_SUCCESS_PER_DAY * (1 + 1e-9);
        expect(E.isLeft(result)).toBe(above);
        if (E.isLeft(result)) expect(result.left._tag === 'InvalidCommand' && result.left.issues.map((issue) => issue.path)).toContain('policy.maxFailures');
      }),
      { numRuns: 2000 },
    );
  });

  it('takes the NIST figure as the bound: 100 guesses at one code of six digits pass, one more guess does not', () => {
    expect(E.isRight(configure({ maxFailures: 100, otp: { past: 0, future: 0 } }))).toBe(true);
    expect(E.isLeft(configure({ maxFailures: 34 }))).toBe(true);
    expect(E.isRight(configure({ maxFailures: 33 }))).toBe(true);
    // A timed unlock multiplies the day's budget by at most 1 + TIMED_UNLOCKS_PER_DAY.
    expect(E.isRight(configure({ maxFailures: 8, timedUnlockSeconds: 60 }))).toBe(true);
    expect(E.isLeft(configure({ maxFailures: 9, timedUnlockSeconds: 60 }))).toBe(true);
    expect(E.isRight(configure({ maxFailures: 16, timedUnlockSeconds: 172_800 }))).toBe(true);
    expect(E.isLeft(configure({ maxFailures: 16, timedUnlockSeconds: 86_400 }))).toBe(true);
    expect(E.isRight(configure({ maxFailures: 100, timedUnlockSeconds: 60, otp: { digits: 8, past: 1, future: 1 } }))).toBe(true);
  });
});

describe('the timed unlock', () => {
  const mismatch = E.left<OtpRejection, OtpMatch>({ _tag: 'mismatch' });

  /** A blind guesser who tries a code every `everyMs` for `days` days; returns when each guess was judged (not refused as locked). */
  const guessFor = (policy: OtpRulePolicy, everyMs: number, days: number): number[] => {
    let token: Token = asToken(stateAfter(active));
    const judged: number[] = [];
    for (let nowMs = T0; nowMs < T0 + days * DAY_MS; nowMs += everyMs) {
      if (E.isLeft(requireOtp(token, '000000', nowMs))) continue;
      const judgement = judgeOtp(token, mismatch, { command: 'VerifyOtp', nowMs, policy });
      if (E.isLeft(judgement)) throw new Error(judgement.left.message);
      token = asToken(judgement.right.events.reduce<TokenState>(evolveToken, token));
      judged.push(nowMs);
    }
    return judged;
  };

  /** The most guesses within any 24 hours. */
  const mostInADay = (times: readonly number[]): number => {
    let most = 0;
    let start = 0;
    times.forEach((time, end) => {
      while ((times[start] ?? time) <= time - DAY_MS) start++;
      most = Math.max(most, end - start + 1);
    });
    return most;
  };

  it('gives a guesser at most maxFailures × (1 + TIMED_UNLOCKS_PER_DAY) guesses a day, then waits for an admin or the bank', () => {
    const policy = { maxFailures: 5, timedUnlockSeconds: 60 };
    const judged = guessFor(policy, 5_000, 1);
    expect(judged).toHaveLength(5 * (1 + TIMED_UNLOCKS_PER_DAY));
    expect(guessingRisk({ ...defaultCompanyPolicy, ...policy }).guessesPerDay).toBe(judged.length);
  });

  it('never lets a guesser make more guesses in any 24 hours than guessingRisk counts', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 20 }), fc.integer({ min: 60, max: 3 * 86_400 }), fc.integer({ min: 1, max: 3600 }), (maxFailures, timedUnlockSeconds, everySeconds) => {
        const policy = { maxFailures, timedUnlockSeconds };
        const judged = guessFor(policy, everySeconds * 1000, 3);
        expect(mostInADay(judged)).toBeLessThanOrEqual(guessingRisk({ ...defaultCompanyPolicy, ...policy }).guessesPerDay);
      }),
      { numRuns: 300 },
    );
  });

  it('after a day with no timed unlock, the next lock is timed again', () => {
    const policy = { maxFailures: 1, timedUnlockSeconds: 60 };
    let token: Token = asToken(stateAfter(active));
    const lockAt = (nowMs: number) => {
      const judgement = judgeOtp(token, mismatch, { command: 'VerifyOtp', nowMs, policy });
      if (E.isLeft(judgement)) throw new Error(judgement.left.message);
      token = asToken(judgement.right.events.reduce<TokenState>(evolveToken, token));
      return judgement.right.events.find((event) => event.type === 'TokenLocked')?.data;
    };
    for (let lock = 0; lock < TIMED_UNLOCKS_PER_DAY; lock++) expect(lockAt(T0 + lock * 120_000)).toMatchObject({ unlocksAt: expect.any(String) as string });
    expect(lockAt(T0 + TIMED_UNLOCKS_PER_DAY * 120_000)).toMatchObject({ unlocksAt: null });
    expect(isLockedAt(token, T0 + 2 * DAY_MS)).toBe(true);
    // An admin unlocks; a day after the last timed unlock, the timer works again.
    token = asToken(evolveToken(token, { type: 'TokenUnlocked', data: { by: 'admin' } }));
    expect(lockAt(T0 + 2 * DAY_MS)).toMatchObject({ unlocksAt: new Date(T0 + 2 * DAY_MS + 60_000).toISOString() });
  });
});
