import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { chooseFactor, isMissingCode, judgeOtp, judgeResync, requireOtp, timerUnlock, type OtpRulePolicy } from '../../src/domain/otp-rule/index.js';
import { evolveToken, isLockedAt, type Token, type TokenState } from '../../src/domain/token/state.js';
import type { OtpMatch } from '../../src/otp/engine.js';
import type { OtpRejection } from '../../src/otp/rejection.js';
import { active, asToken, pendingActivation, physical, stateAfter, T0 } from './fixtures.js';

const policy: OtpRulePolicy = { maxFailures: 10, timedUnlockSeconds: null };
const context: { command: string; nowMs: number; policy: OtpRulePolicy } = { command: 'DeleteToken', nowMs: T0, policy };
const mismatch = E.left<OtpRejection, OtpMatch>({ _tag: 'mismatch' });
const match = (step: bigint, drift = 0) => E.right<OtpRejection, OtpMatch>({ step, drift });

const judge = (token: Token, verdict: E.Either<OtpRejection, OtpMatch>, ctx = context) => {
  const result = judgeOtp(token, verdict, ctx);
  if (E.isLeft(result)) throw new Error(result.left.message);
  return { judgement: result.right, next: asToken(result.right.events.reduce<TokenState>(evolveToken, token)) };
};

describe('the factor', () => {
  it('is the active soft token, else the active physical token, else none', () => {
    const soft = stateAfter(active);
    const phys = stateAfter(physical);
    expect(chooseFactor({ soft, physical: phys })?.kind).toBe('soft');
    expect(chooseFactor({ soft: stateAfter(pendingActivation), physical: phys })?.kind).toBe('physical');
    expect(chooseFactor({ soft: stateAfter(pendingActivation) })).toBeUndefined();
    expect(chooseFactor({})).toBeUndefined();
  });
});

describe('step 1: what the rule requires', () => {
  const token = asToken(stateAfter(active));

  it('nothing from an actor who is not enrolled', () => {
    expect(requireOtp(undefined, undefined, T0)).toEqual(E.right({ _tag: 'NotEnrolled' }));
  });

  it('a code from an enrolled actor', () => {
    for (const missing of [undefined, null, '', '   ']) {
      expect(isMissingCode(missing)).toBe(true);
      expect(requireOtp(token, missing, T0)).toEqual(E.left(expect.objectContaining({ _tag: 'OtpRequired' })));
    }
  });

  it('a verification of the code against the token, after the last accepted step and around the observed drift', () => {
    const used = judge(token, match(55_000_000n, -1)).next;
    expect(requireOtp(used, '123456', T0)).toEqual(
      E.right({
        _tag: 'Verify',
        token: used,
        request: { serial: token.serial, seedRef: 'seed-1', parameters: token.parameters, code: '123456', timeMs: T0, lastAccepted: 55_000_000n, drift: -1 },
      }),
    );
    const driftOf = (candidate: Token): unknown => {
      const requirement = requireOtp(candidate, '123456', T0);
      return E.isRight(requirement) && requirement.right._tag === 'Verify' ? requirement.right.request.drift : 'no request';
    };
    expect(driftOf(token)).toBeUndefined();
    expect(driftOf({ ...used, parameters: { ...used.parameters, mode: 'hotp' } })).toBeUndefined();
  });

  it('refuses a locked factor before looking at the code', () => {
    const locked: Token = { ...token, locked: true };
    expect(requireOtp(locked, '123456', T0)).toEqual(E.left(expect.objectContaining({ _tag: 'TokenLocked', serial: token.serial })));
  });
});

describe('step 2: the verdict as events', () => {
  const token = asToken(stateAfter(active));

  it('an accepted code records its step and drift for the command, and resets the failures', () => {
    const afterFailure = judge(token, mismatch).next;
    expect(afterFailure.failures).toBe(1);
    const { judgement, next } = judge(afterFailure, match(12345678901234567890n, -1));
    expect(judgement).toEqual({
      _tag: 'Accepted',
      serial: token.serial,
      match: { step: 12345678901234567890n, drift: -1 },
      events: [{ type: 'OtpAccepted', data: { step: '12345678901234567890', drift: -1, command: 'DeleteToken' } }],
    });
    expect(next.failures).toBe(0);
    expect(next.lastAccepted).toBe(12345678901234567890n);
  });

  it('mismatch, replay and malformed codes are recorded and fail the command with their reason', () => {
    for (const reason of ['mismatch', 'replay', 'malformed'] as const) {
      const rejection: OtpRejection = reason === 'malformed' ? { _tag: reason, detail: 'too short' } : { _tag: reason };
      const { judgement } = judge(token, E.left(rejection));
      expect(judgement).toMatchObject({
        _tag: 'Rejected',
        events: [{ type: 'OtpRejected', data: { reason, failures: 1, command: 'DeleteToken' } }],
        error: { _tag: 'OtpRejected', reason },
      });
    }
  });

  it('locks exactly at maxFailures consecutive failures', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 100 }), (maxFailures) => {
        let current = token;
        for (let failure = 1; failure <= maxFailures; failure++) {
          expect(isLockedAt(current, T0)).toBe(false);
          const { judgement, next } = judge(current, mismatch, { ...context, policy: { maxFailures, timedUnlockSeconds: null } });
          expect(judgement.events.some((event) => event.type === 'TokenLocked')).toBe(failure === maxFailures);
          current = next;
        }
        expect(isLockedAt(current, T0)).toBe(true);
        expect(requireOtp(current, '000000', T0)).toEqual(E.left(expect.objectContaining({ _tag: 'TokenLocked' })));
      }),
      { numRuns: 100 },
    );
  });

  it('under a timed-unlock policy, the next use after the timer records the unlock and starts counting afresh', () => {
    const timed = { maxFailures: 2, timedUnlockSeconds: 600 };
    let current = judge(token, mismatch, { ...context, policy: timed }).next;
    const locking = judge(current, mismatch, { ...context, policy: timed });
    expect(locking.judgement.events.at(-1)).toEqual({ type: 'TokenLocked', data: { reason: 'otp-failures', failures: 2, unlocksAt: new Date(T0 + 600_000).toISOString() } });
    current = locking.next;
    expect(requireOtp(current, '000000', T0 + 599_999)).toEqual(E.left(expect.objectContaining({ _tag: 'TokenLocked' })));
    const later = T0 + 600_000;
    expect(timerUnlock(current, later)).toEqual([{ type: 'TokenUnlocked', data: { by: 'timer' } }]);
    const retry = judge(current, mismatch, { ...context, nowMs: later, policy: timed });
    expect(retry.judgement.events.map((event) => event.type)).toEqual(['TokenUnlocked', 'OtpRejected']);
    expect(retry.next).toMatchObject({ locked: false, failures: 1 });
  });

  it('a verifier that cannot answer is an infrastructure error, and nothing is recorded', () => {
    for (const rejection of [{ _tag: 'unavailable', detail: 'down' }, { _tag: 'weak-secret' }, { _tag: 'invalid-options', detail: 'x' }] as const) {
      expect(judgeOtp(token, E.left(rejection), context)).toEqual(E.left(expect.objectContaining({ _tag: 'Infrastructure' })));
    }
  });

  it('a resync records TokenResynced instead of OtpAccepted', () => {
    const ahead = BigInt(Math.floor(T0 / 30_000) + 40);
    const result = judgeResync(token, match(ahead, 40), { nowMs: T0, policy });
    expect(result).toEqual(E.right(expect.objectContaining({ _tag: 'Accepted', events: [{ type: 'TokenResynced', data: { step: ahead.toString(), drift: 40 } }] })));
    expect(judgeResync(token, mismatch, { nowMs: T0, policy })).toEqual(
      E.right(expect.objectContaining({ _tag: 'Rejected', events: [{ type: 'OtpRejected', data: { reason: 'mismatch', failures: 1, command: 'ResyncToken' } }] })),
    );
  });

  it('a resync that an engine found further back than the window\'s future steps is a counted mismatch', () => {
    const now = Math.floor(T0 / 30_000);
    expect(token.parameters.future).toBe(1);
    expect(judgeResync(token, match(BigInt(now - 1), -1), { nowMs: T0, policy })).toEqual(E.right(expect.objectContaining({ _tag: 'Accepted' })));
    for (const back of [2, 3, 840]) {
      expect(judgeResync(token, match(BigInt(now - back), -back), { nowMs: T0, policy })).toEqual(
        E.right(expect.objectContaining({ _tag: 'Rejected', events: [{ type: 'OtpRejected', data: { reason: 'mismatch', failures: 1, command: 'ResyncToken' } }] })),
      );
    }
  });
});
