import * as E from 'fp-ts/lib/Either.js';
import type * as t from 'io-ts';
import { describe, expect, it } from 'vitest';
import { defaultCompanyPolicy } from '../../src/domain/company/policy.js';
import { requireUsableActivationCode } from '../../src/domain/token/admit.js';
import { tokenEventCodecs } from '../../src/domain/token/events.js';
import { evolveToken, initialTokenState, isLockedAt } from '../../src/domain/token/state.js';
import { refuseLockedOwner } from '../../src/domain/token/authorize.js';
import { decideToken, type TokenIntent, active, apply, asToken, assigned, facts, HOUR, identity, issue, pending, pendingActivation, physical, SERIAL, stateAfter, T0 } from './fixtures.js';

const enroll = (valid: boolean): TokenIntent => ({
  type: 'EnrollDevice',
  serial: SERIAL,
  method: 'activation-code',
  registration: valid ? { valid: true, seedRef: 'seed-1' } : { valid: false },
});

describe('requesting and confirming', () => {
  it('creates a pending soft token, or an assigned one when confirmation is not required', () => {
    expect(asToken(stateAfter(pending))).toMatchObject({ status: 'pending', kind: 'soft', userId: 'ana', locked: false });
    const { state, decision } = apply(initialTokenState, { type: 'RequestTokenAssignment', identity, assignAtOnce: issue() });
    expect(decision.events.map((event) => event.type)).toEqual(['TokenRequested', 'TokenAssignmentConfirmed']);
    expect(decision.events[1]!.data).toMatchObject({ confirmation: 'none', activationCodeRef: 'ac-1' });
    expect(state.status).toBe('assigned');
  });

  it('records the activation code by reference with its expiry, and the OATH parameters', () => {
    const { state, decision } = apply(stateAfter(pending), { type: 'ConfirmTokenAssignment', serial: SERIAL, issue: issue(T0, 72 * HOUR) });
    expect(decision.events).toEqual([
      {
        type: 'TokenAssignmentConfirmed',
        data: { activationCodeRef: 'ac-1', activationCodeExpiresAt: new Date(T0 + 72 * HOUR).toISOString(), parameters: defaultCompanyPolicy.otp, confirmation: 'admin-otp' },
      },
    ]);
    expect(asToken(state).activationCode).toEqual({ ref: 'ac-1', expiresAtMs: T0 + 72 * HOUR, failures: 0, void: false });
  });

  it('produces only events whose payloads pass their own codecs', () => {
    const { decision } = apply(stateAfter(pending), { type: 'ConfirmTokenAssignment', serial: SERIAL, issue: issue() });
    for (const event of decision.events) {
      const codec: t.Decoder<unknown, unknown> = tokenEventCodecs[event.type];
      expect(E.isRight(codec.decode(event.data))).toBe(true);
    }
  });
});

describe('enrolling a device', () => {
  it('moves to pending-activation with the seed reference and destroys the activation code', () => {
    const { decision } = apply(stateAfter(assigned), enroll(true));
    expect(decision.events).toEqual([{ type: 'DeviceEnrolled', data: { method: 'activation-code', seedRef: 'seed-1', destroyedSecretRefs: ['ac-1'] } }]);
    const token = asToken(stateAfter(pendingActivation));
    expect(token).toMatchObject({ status: 'pending-activation', seedRef: 'seed-1', enrollmentMethod: 'activation-code' });
    expect(token.activationCode).toBeUndefined();
  });

  it('counts wrong registration codes, voids the code at the limit, and a reissue restores it', () => {
    const policy = { ...defaultCompanyPolicy, registrationAttempts: 3 };
    let state = stateAfter(assigned);
    for (let attempt = 1; attempt <= 3; attempt++) {
      const step = apply(state, enroll(false), T0, policy);
      expect(step.decision.failure).toMatchObject({ _tag: 'RegistrationCodeInvalid', serial: SERIAL });
      expect(step.decision.events).toEqual([
        { type: 'RegistrationCodeRejected', data: { failures: attempt, attemptsLeft: 3 - attempt, destroyedSecretRefs: attempt === 3 ? ['ac-1'] : [] } },
      ]);
      state = step.state;
    }
    const refused = decideToken(enroll(true), state, facts(T0, policy));
    expect(E.isLeft(refused) && refused.left._tag).toBe('ActivationCodeExpired');
    expect(E.isLeft(refused) && refused.left.message).toContain('void');
    state = apply(state, { type: 'ReissueActivationCode', serial: SERIAL, issue: { ref: 'ac-2', expiresAtMs: T0 + HOUR } }, T0, policy).state;
    expect(asToken(state).activationCode).toEqual({ ref: 'ac-2', expiresAtMs: T0 + HOUR, failures: 0, void: false });
    expect(apply(state, enroll(true), T0, policy).state.status).toBe('pending-activation');
  });

  it('refuses an expired activation code without recording anything', () => {
    const state = stateAfter(assigned);
    expect(decideToken(enroll(true), state, facts(T0 + 72 * HOUR))).toEqual(E.left(expect.objectContaining({ _tag: 'ActivationCodeExpired', serial: SERIAL })));
    expect(E.isRight(requireUsableActivationCode(asToken(state), T0 + 72 * HOUR - 1))).toBe(true);
  });
});

describe('activating', () => {
  it('by an admin', () => {
    expect(asToken(stateAfter(active))).toMatchObject({ status: 'active', failures: 0 });
  });

  it('by the security question: wrong answers are recorded, and lock the token at the attempt limit', () => {
    const policy = { ...defaultCompanyPolicy, activation: 'security-question' as const, registrationAttempts: 2 };
    const wrong = { type: 'ActivateToken', serial: SERIAL, method: 'security-question', answerCorrect: false } as const;
    let state = stateAfter(pendingActivation);
    const first = apply(state, wrong, T0, policy);
    expect(first.decision.failure).toMatchObject({ _tag: 'Forbidden' });
    expect(first.decision.events).toEqual([{ type: 'SecurityAnswerRejected', data: { failures: 1 } }]);
    const second = apply(first.state, wrong, T0, policy);
    expect(second.decision.events.map((event) => event.type)).toEqual(['SecurityAnswerRejected', 'TokenLocked']);
    state = second.state;
    expect(isLockedAt(asToken(state), T0)).toBe(true);
    expect(decideToken({ ...wrong, answerCorrect: true }, state, facts(T0, policy))).toEqual(E.left(expect.objectContaining({ _tag: 'TokenLocked' })));
    expect(refuseLockedOwner(asToken(state), { role: 'owner', owner: true }, T0)).toEqual(E.left(expect.objectContaining({ _tag: 'TokenLocked' })));
    state = apply(state, { type: 'UnlockToken', serial: SERIAL }, T0, policy).state;
    expect(asToken(state)).toMatchObject({ locked: false, securityAnswerFailures: 0 });
    expect(apply(state, { ...wrong, answerCorrect: true }, T0, policy).state.status).toBe('active');
  });

  it('with a timed-unlock policy, a lock lifts by itself when its time comes', () => {
    const policy = { ...defaultCompanyPolicy, activation: 'security-question' as const, registrationAttempts: 1, timedUnlockSeconds: 900 };
    const wrong = { type: 'ActivateToken', serial: SERIAL, method: 'security-question', answerCorrect: false } as const;
    const { state, decision } = apply(stateAfter(pendingActivation), wrong, T0, policy);
    expect(decision.events[1]).toEqual({ type: 'TokenLocked', data: { reason: 'security-answer-failures', failures: 1, unlocksAt: new Date(T0 + 900_000).toISOString() } });
    expect(isLockedAt(asToken(state), T0 + 899_999)).toBe(true);
    expect(isLockedAt(asToken(state), T0 + 900_000)).toBe(false);
    expect(refuseLockedOwner(asToken(state), { role: 'owner', owner: true }, T0 + 900_000)).toEqual(E.right(undefined));
  });
});

describe('deleting and physical tokens', () => {
  it('deletes from every live state and drops the secret references', () => {
    const cases = [
      [pending, []],
      [assigned, ['ac-1']],
      [pendingActivation, ['seed-1']],
      [active, ['seed-1']],
      [physical, ['seed-p']],
    ] as const;
    for (const [intents, destroyed] of cases) {
      const serial = asToken(stateAfter(intents)).serial;
      const { state, decision } = apply(stateAfter(intents), { type: 'DeleteToken', serial });
      expect(decision.events).toEqual([{ type: 'TokenDeleted', data: { destroyedSecretRefs: destroyed } }]);
      expect(asToken(state).status).toBe('deleted');
      expect(asToken(state).seedRef).toBeUndefined();
      expect(asToken(state).activationCode).toBeUndefined();
    }
  });

  it('imports a physical token as active, and disables only a live physical one', () => {
    const state = stateAfter(physical);
    expect(asToken(state)).toMatchObject({ kind: 'physical', status: 'active', seedRef: 'seed-p', serial: 'FEF4900032' });
    const disabled = apply(state, { type: 'DisablePhysicalToken', replacedBy: SERIAL });
    expect(disabled.decision.events).toEqual([{ type: 'PhysicalTokenDisabled', data: { replacedBy: SERIAL, destroyedSecretRefs: ['seed-p'] } }]);
    expect(disabled.state.status).toBe('disabled');
    expect(apply(disabled.state, { type: 'DisablePhysicalToken', replacedBy: SERIAL }).decision.events).toEqual([]);
    expect(apply(stateAfter(active), { type: 'DisablePhysicalToken', replacedBy: SERIAL }).decision.events).toEqual([]);
    expect(apply(initialTokenState, { type: 'DisablePhysicalToken', replacedBy: SERIAL }).decision.events).toEqual([]);
  });

  it('ignores events that make no sense before the token exists', () => {
    expect(evolveToken(initialTokenState, { type: 'TokenDeleted', data: { destroyedSecretRefs: [] } })).toBe(initialTokenState);
  });
});
