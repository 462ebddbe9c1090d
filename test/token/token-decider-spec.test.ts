import { describe, expect, it } from 'vitest';
import type { ActorFacts } from '../../src/domain/actor/actor-facts.js';
import { companyDecider } from '../../src/domain/company/decide.js';
import { defaultCompanyPolicy } from '../../src/domain/company/policy.js';
import { tokenDecider } from '../../src/domain/token/decide.js';
import type { TokenEvent } from '../../src/domain/token/events.js';
import { deciderSpec } from '../../src/testing/decider-spec.js';
import { defaultOtpParameters } from '../../src/otp/engine.js';
import { identity, SERIAL, T0 } from './fixtures.js';

const owner: ActorFacts = { kind: 'user', companyId: 'acme', userId: 'ana', active: true, isCompanyAdmin: false };
const admin: ActorFacts = { kind: 'user', companyId: 'acme', userId: 'ada', active: true, isCompanyAdmin: true };
const stranger: ActorFacts = { kind: 'user', companyId: 'other', userId: 'eve', active: true, isCompanyAdmin: true };
const bank: ActorFacts = { kind: 'bank', operatorId: 'op-1' };
const facts = (actor: ActorFacts) => ({ actor, nowMs: T0, policy: defaultCompanyPolicy });

const requested: TokenEvent = { type: 'TokenRequested', data: identity };
const confirmed: TokenEvent = {
  type: 'TokenAssignmentConfirmed',
  data: { activationCodeRef: 'ac-1', activationCodeExpiresAt: new Date(T0 + 3_600_000).toISOString(), parameters: defaultOtpParameters, confirmation: 'admin-otp' },
};

describe('the token stream is a Decider: authorization and the table are decided once, in decide', () => {
  const spec = deciderSpec(tokenDecider);

  it('deletes a live token for its owner, an admin of its company or the bank', () => {
    for (const actor of [owner, admin, bank]) {
      spec.given([requested, confirmed]).when({ type: 'DeleteToken', serial: SERIAL }, facts(actor)).then([{ type: 'TokenDeleted', data: { destroyedSecretRefs: ['ac-1'] } }]);
    }
  });

  it("reads another company's token as not found, refuses the owner a command of the admin, and the table's states", () => {
    spec.given([requested]).when({ type: 'DeleteToken', serial: SERIAL }, facts(stranger)).thenError('NotFound');
    spec.given([requested]).when({ type: 'UnlockToken', serial: SERIAL }, facts(owner)).thenError('Forbidden');
    spec.given([requested]).when({ type: 'UnlockToken', serial: SERIAL }, facts(admin)).thenError('InvalidTransition');
    spec.given([]).when({ type: 'DeleteToken', serial: SERIAL }, facts(admin)).thenError('NotFound');
  });

  it('refuses the system actor and an inactive user before anything else', () => {
    expect(spec.given([requested]).when({ type: 'DeleteToken', serial: SERIAL }, facts({ kind: 'system' })).thenError('Forbidden').message).toMatch(/system actor/);
    spec.given([requested]).when({ type: 'DeleteToken', serial: SERIAL }, facts({ ...owner, active: false })).thenError('Forbidden');
  });

  it('records the role the table let the actor unlock in', () => {
    const locked: TokenEvent = { type: 'TokenLocked', data: { reason: 'otp-failures', failures: 10, unlocksAt: null } };
    const activated: readonly TokenEvent[] = [
      requested,
      confirmed,
      { type: 'DeviceEnrolled', data: { method: 'activation-code', seedRef: 'seed-1', destroyedSecretRefs: ['ac-1'] } },
      { type: 'TokenActivated', data: { method: 'admin' } },
      locked,
    ];
    spec.given(activated).when({ type: 'UnlockToken', serial: SERIAL }, facts(bank)).then([{ type: 'TokenUnlocked', data: { by: 'bank' } }]);
    spec.given(activated).when({ type: 'UnlockToken', serial: SERIAL }, facts(admin)).then([{ type: 'TokenUnlocked', data: { by: 'admin' } }]);
    spec.given(activated).when({ type: 'DeleteToken', serial: SERIAL }, facts(owner)).thenError('TokenLocked');
  });
});

describe('the company stream is a Decider', () => {
  const spec = deciderSpec(companyDecider);

  it('only the bank configures a company', () => {
    spec.given([]).when({ type: 'ConfigureCompany', companyId: 'acme', quota: 3 }, { actor: admin }).thenError('Forbidden');
    spec.given([]).when({ type: 'ConfigureCompany', companyId: 'acme', quota: 3 }, { actor: bank }).then([{ type: 'CompanyConfigured', data: { quota: 3, policy: defaultCompanyPolicy } }]);
  });

  it('a user never clears their own security-question lock', () => {
    spec.given([]).when({ type: 'ClearSecurityQuestionLock', companyId: 'acme', userId: 'ada' }, { actor: admin }).thenError('Forbidden');
  });
});
