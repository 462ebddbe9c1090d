import fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { actorFacts } from '../../src/domain/actor/actor-facts.js';
import { agreementDecider } from '../../src/domain/agreement/decide.js';
import { agreementStreamId, ApprovalLevelCodec, EntityIdCodec, ServiceIdCodec } from '../../src/domain/agreement/ids.js';
import { grantsOf, liveOrdersWith } from '../../src/domain/agreement/state.js';
import { RevokeApproverCodec } from '../../src/domain/agreement/commands.js';
import { bank, errorOf, grant, PureWorld, register, unwrap, user } from './fixtures.js';

describe('service agreements', () => {
  it('are registered by the bank with 1 to 4 levels', () => {
    const world = new PureWorld();
    expect(unwrap(world.onAgreement(register(3)))).toEqual([
      { type: 'ServiceAgreementRegistered', data: { companyId: 'ACME', serviceId: 'PAGOS', approvalLevels: 3 } },
    ]);
    const state = world.agreement('ACME', 'PAGOS');
    expect(state.status === 'registered' && state.approvalLevels).toBe(3);
    for (const bad of [0, 5, 2.5, '2', null]) expect(E.isLeft(ApprovalLevelCodec.decode(bad))).toBe(true);
  });

  it('are bank side: a company user, even an admin, cannot register or grant', () => {
    const world = new PureWorld();
    expect(errorOf(world.onAgreement(register(2), user('admin', { admin: true }))).code).toBe('FORBIDDEN');
    unwrap(world.onAgreement(register(2)));
    expect(errorOf(world.onAgreement(grant('ana', 1), user('admin', { admin: true }))).code).toBe('FORBIDDEN');
    expect(errorOf(world.onAgreement(grant('ana', 1), { kind: 'system' })).code).toBe('FORBIDDEN');
  });

  it('registering again amends the levels, or changes nothing when they are the same', () => {
    const world = new PureWorld();
    unwrap(world.onAgreement(register(2)));
    expect(unwrap(world.onAgreement(register(2)))).toEqual([]);
    expect(unwrap(world.onAgreement(register(4)))).toEqual([
      { type: 'ApprovalLevelsChanged', data: { companyId: 'ACME', serviceId: 'PAGOS', from: 2, to: 4 } },
    ]);
    const state = world.agreement('ACME', 'PAGOS');
    expect(state.status === 'registered' && state.approvalLevels).toBe(4);
  });

  it('grants are a set per user; granting needs a registered agreement and an active user', () => {
    const world = new PureWorld();
    expect(errorOf(world.onAgreement(grant('ana', 1))).code).toBe('NOT_FOUND');
    unwrap(world.onAgreement(register(3)));
    expect(errorOf(world.onAgreement(grant('ghost', 1), bank, false))).toMatchObject({ code: 'PRECONDITION_FAILED', precondition: 'approver-active' });
    unwrap(world.onAgreement(grant('ana', 2)));
    unwrap(world.onAgreement(grant('ana', 1)));
    expect(unwrap(world.onAgreement(grant('ana', 1)))).toEqual([]);
    expect(grantsOf(world.agreement('ACME', 'PAGOS'), 'ana')).toEqual([1, 2]);
    expect(grantsOf(world.agreement('ACME', 'OTHER'), 'ana')).toEqual([]);
  });

  it('revoking withdraws one level, or all of them', () => {
    const world = new PureWorld();
    unwrap(world.onAgreement(register(4)));
    for (const level of [1, 3, 4] as const) unwrap(world.onAgreement(grant('ana', level)));
    expect(unwrap(world.onAgreement({ type: 'RevokeApprover', companyId: 'ACME', serviceId: 'PAGOS', userId: 'ana', level: 3 }))).toHaveLength(1);
    expect(grantsOf(world.agreement('ACME', 'PAGOS'), 'ana')).toEqual([1, 4]);
    expect(unwrap(world.onAgreement({ type: 'RevokeApprover', companyId: 'ACME', serviceId: 'PAGOS', userId: 'ana', level: 2 }))).toEqual([]);
    expect(unwrap(world.onAgreement({ type: 'RevokeApprover', companyId: 'ACME', serviceId: 'PAGOS', userId: 'ana' })).map((e) => e.data)).toEqual([
      { companyId: 'ACME', serviceId: 'PAGOS', userId: 'ana', level: 1 },
      { companyId: 'ACME', serviceId: 'PAGOS', userId: 'ana', level: 4 },
    ]);
    expect(grantsOf(world.agreement('ACME', 'PAGOS'), 'ana')).toEqual([]);
    expect(errorOf(world.onAgreement({ type: 'RevokeApprover', companyId: 'ACME', serviceId: 'NONE', userId: 'ana' })).code).toBe('NOT_FOUND');
    expect(E.isRight(RevokeApproverCodec.decode({ type: 'RevokeApprover', companyId: 'ACME', serviceId: 'PAGOS', userId: 'ana' }))).toBe(true);
  });

  it('ignores events that need a registered agreement when there is none', () => {
    const state = agreementDecider.evolve(agreementDecider.initialState, {
      type: 'ApproverGranted',
      data: { companyId: 'ACME', serviceId: 'PAGOS', userId: 'ana', level: 1 },
    });
    expect(state).toBe(agreementDecider.initialState);
    expect(liveOrdersWith(state, 'f'.repeat(64))).toEqual([]);
  });
});

describe('identifiers', () => {
  it('service codes never contain "-", so agreement streams never collide', () => {
    expect(E.isLeft(ServiceIdCodec.decode('A-B'))).toBe(true);
    expect(E.isRight(ServiceIdCodec.decode('PAGOS_PROVEEDORES.2'))).toBe(true);
    const companyArb = fc.string({ unit: fc.constantFrom('a', 'b', '-', '_'), minLength: 1, maxLength: 6 });
    const serviceArb = fc.string({ unit: fc.constantFrom('a', 'b', '_', '.'), minLength: 1, maxLength: 6 });
    fc.assert(
      fc.property(companyArb, serviceArb, companyArb, serviceArb, (c1, s1, c2, s2) => {
        if (c1 !== c2 || s1 !== s2) expect(agreementStreamId(c1, s1)).not.toBe(agreementStreamId(c2, s2));
        const id = agreementStreamId(c1, s1);
        expect(id.slice(id.lastIndexOf('-') + 1)).toBe(s1);
      }),
      { numRuns: 2000 },
    );
  });

  it('entity ids refuse empty, overlong, padded and control-character ids', () => {
    for (const bad of ['', ' a', 'a ', 'a\u0000b', 'a\nb', 'x'.repeat(129), 42, null]) expect(E.isLeft(EntityIdCodec.decode(bad))).toBe(true);
    for (const good of ['a', 'ACME S.A.', 'd3b07384-d9a0-4c9b-8a0e-1f2d3c4b5a69', 'ñandú', 'x'.repeat(128)]) expect(E.isRight(EntityIdCodec.decode(good))).toBe(true);
  });
});

describe('actor facts', () => {
  it('a user is active and admin only as the directory says, in the same company', () => {
    const actor = { kind: 'user', companyId: 'ACME', userId: 'ana' } as const;
    const known = { companyId: 'ACME', userId: 'ana', displayName: 'Ana', active: true, isCompanyAdmin: true };
    expect(actorFacts(actor, known)).toEqual({ kind: 'user', companyId: 'ACME', userId: 'ana', active: true, isCompanyAdmin: true });
    expect(actorFacts(actor, undefined)).toMatchObject({ active: false, isCompanyAdmin: false });
    expect(actorFacts(actor, { ...known, companyId: 'OTHER' })).toMatchObject({ active: false, isCompanyAdmin: false });
    expect(actorFacts(actor, { ...known, active: false })).toMatchObject({ active: false, isCompanyAdmin: false });
    expect(actorFacts({ kind: 'bank', operatorId: 'op' }, undefined)).toEqual({ kind: 'bank', operatorId: 'op' });
  });
});
