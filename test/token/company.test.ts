import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  availableSlots,
  CompanyPolicyPatchCodec,
  decideConfigureCompany,
  decideRegisterPhysical,
  decideReleaseSlot,
  decideReserveSlot,
  decideRetirePhysical,
  defaultCompanyPolicy,
  evolveCompany,
  initialCompanyState,
  requireConfigured,
  type CompanyEvent,
  type CompanyState,
} from '../../src/domain/company/index.js';

const fold = (state: CompanyState, events: readonly CompanyEvent[]): CompanyState => events.reduce(evolveCompany, state);
const must = <A>(result: E.Either<unknown, A>): A => {
  if (E.isLeft(result)) throw new Error(JSON.stringify(result.left));
  return result.right;
};
const configured = (quota: number) => fold(initialCompanyState, must(decideConfigureCompany(initialCompanyState, { quota })));

describe('configuring a company', () => {
  it('needs a quota the first time and fills the policy with the defaults', () => {
    expect(decideConfigureCompany(initialCompanyState, {})).toEqual(E.left(expect.objectContaining({ _tag: 'InvalidCommand', issues: [expect.objectContaining({ path: 'quota' })] })));
    const state = configured(5);
    expect(state).toMatchObject({ configured: true, quota: 5, policy: defaultCompanyPolicy, slotsInUse: 0 });
    expect(defaultCompanyPolicy).toMatchObject({
      assignmentConfirmation: 'admin-otp',
      activation: 'admin',
      maxFailures: 10,
      makerChecker: true,
      activationCodeTtlSeconds: 72 * 3600,
      registrationAttempts: 5,
      timedUnlockSeconds: null,
      otp: { mode: 'totp', algorithm: 'SHA1', digits: 6, period: 30, past: 1, future: 1 },
    });
  });

  it('keeps the settings a reconfiguration leaves out', () => {
    let state = configured(5);
    state = fold(state, must(decideConfigureCompany(state, { policy: { activation: 'security-question', otp: { digits: 8 } } })));
    state = fold(state, must(decideConfigureCompany(state, { quota: 7, policy: { maxFailures: 3 } })));
    expect(state.quota).toBe(7);
    expect(state.policy).toMatchObject({ activation: 'security-question', maxFailures: 3, otp: { digits: 8, algorithm: 'SHA1' } });
  });

  it('refuses a quota below the slots in use', () => {
    let state = configured(2);
    state = fold(state, must(decideReserveSlot(state, { companyId: 'acme', userId: 'ana', serial: 'S1' })));
    state = fold(state, must(decideReserveSlot(state, { companyId: 'acme', userId: 'bo', serial: 'S2' })));
    expect(decideConfigureCompany(state, { quota: 1 })).toEqual(E.left(expect.objectContaining({ _tag: 'PreconditionFailed', precondition: 'quota-in-use' })));
    expect(E.isRight(decideConfigureCompany(state, { quota: 2 }))).toBe(true);
  });

  it('validates policy patches field by field', () => {
    expect(E.isRight(CompanyPolicyPatchCodec.decode({ maxFailures: 100, otp: { digits: 7 } }))).toBe(true);
    for (const bad of [{ maxFailures: 0 }, { maxFailures: 101 }, { maxFailures: 2.5 }, { otp: { digits: 9 } }, { activation: 'sms' }, { timedUnlockSeconds: 1 }]) {
      expect(E.isLeft(CompanyPolicyPatchCodec.decode(bad))).toBe(true);
    }
  });
});

describe('quota slots', () => {
  it('refuse an unconfigured company, a second live soft token, and a full quota', () => {
    expect(decideReserveSlot(initialCompanyState, { companyId: 'acme', userId: 'ana', serial: 'S1' })).toEqual(E.left(expect.objectContaining({ _tag: 'NotFound', entity: 'company' })));
    expect(requireConfigured(initialCompanyState, 'acme')).toEqual(E.left(expect.objectContaining({ _tag: 'NotFound' })));
    let state = configured(1);
    state = fold(state, must(decideReserveSlot(state, { companyId: 'acme', userId: 'ana', serial: 'S1' })));
    expect(decideReserveSlot(state, { companyId: 'acme', userId: 'ana', serial: 'S2' })).toEqual(
      E.left(expect.objectContaining({ _tag: 'PreconditionFailed', precondition: 'no-live-soft-token' })),
    );
    expect(decideReserveSlot(state, { companyId: 'acme', userId: 'bo', serial: 'S2' })).toEqual(E.left(expect.objectContaining({ _tag: 'QuotaExhausted', companyId: 'acme' })));
    state = fold(state, decideReleaseSlot(state, 'ana', 'S1'));
    expect(availableSlots(state)).toBe(1);
    expect(state.holdings.has('ana')).toBe(false);
  });

  it('release only the slot the index holds', () => {
    const state = configured(1);
    expect(decideReleaseSlot(state, 'ana', 'S1')).toEqual([]);
  });

  it('keep used + available = quota through any sequence of reservations and releases', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 6 }),
        fc.array(fc.tuple(fc.boolean(), fc.constantFrom('ana', 'bo', 'cy', '__proto__', 'constructor')), { maxLength: 40 }),
        (quota, operations) => {
          let state = configured(quota);
          let serial = 0;
          const model = new Map<string, string>();
          for (const [reserve, userId] of operations) {
            if (reserve) {
              const result = decideReserveSlot(state, { companyId: 'acme', userId, serial: `S${++serial}` });
              const expectedOk = !model.has(userId) && model.size < quota;
              expect(E.isRight(result)).toBe(expectedOk);
              if (E.isRight(result)) {
                state = fold(state, result.right);
                model.set(userId, `S${serial}`);
              }
            } else {
              const held = model.get(userId);
              state = fold(state, decideReleaseSlot(state, userId, held ?? 'nothing'));
              model.delete(userId);
            }
            expect(state.slotsInUse).toBe(model.size);
            expect(availableSlots(state)).toBe(quota - model.size);
            expect(new Map([...state.holdings].map(([user, tokens]) => [user, tokens.soft]))).toEqual(model);
          }
        },
      ),
      { numRuns: 500 },
    );
  });
});

describe('physical tokens in the index', () => {
  it('allow one live physical token per user', () => {
    let state = configured(0);
    expect(decideRegisterPhysical(initialCompanyState, { companyId: 'acme', userId: 'ana', serial: 'P1' })).toEqual(E.left(expect.objectContaining({ _tag: 'NotFound' })));
    state = fold(state, must(decideRegisterPhysical(state, { companyId: 'acme', userId: 'ana', serial: 'P1' })));
    expect(state.holdings.get('ana')).toEqual({ physical: 'P1' });
    expect(decideRegisterPhysical(state, { companyId: 'acme', userId: 'ana', serial: 'P2' })).toEqual(
      E.left(expect.objectContaining({ precondition: 'no-live-physical-token' })),
    );
    expect(decideRetirePhysical(state, 'ana', 'P2')).toEqual([]);
    state = fold(state, decideRetirePhysical(state, 'ana', 'P1'));
    expect(state.holdings.size).toBe(0);
  });
});
