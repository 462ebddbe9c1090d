import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import { activeToken, configure } from './fixtures.js';
import { harness, person, STEP, user } from './harness.js';

const CO = 'acme';
const admin = user(CO, 'ada');
const noWait = { retry: { maxAttempts: 5, sleep: () => Promise.resolve() } };

describe('concurrent commands', () => {
  it('20 concurrent assignments for 20 users against one free slot make exactly one token', async () => {
    const users = Array.from({ length: 20 }, (_, index) => person(CO, `u${String(index)}`));
    const world = harness([person(CO, 'ada', { isCompanyAdmin: true }), ...users], noWait);
    await configure(world, CO, 1);
    const results = await Promise.all(users.map((target) => world.send(admin, { type: 'RequestTokenAssignment', userId: target.userId })));
    expect(results.filter(E.isRight)).toHaveLength(1);
    for (const result of results.filter(E.isLeft)) expect(['QuotaExhausted', 'ConcurrencyConflict']).toContain(result.left._tag);
    const table = await world.sdk.views.tokenTable(CO)();
    if (E.isLeft(table)) throw new Error(table.left.message);
    expect(table.right.rows).toHaveLength(1);
    expect(table.right.quota).toEqual({ total: 1, available: 0 });
  });

  it('two concurrent uses of the same code: exactly one is accepted', async () => {
    const world = harness([person(CO, 'ada', { isCompanyAdmin: true }), person(CO, 'bo')], noWait);
    await configure(world, CO, 5);
    const ada = await activeToken(world, admin, admin);
    const bo = user(CO, 'bo');
    const token = await activeToken(world, admin, bo, ada.app);
    world.clock.advance(STEP);
    const code = token.app.code(world.clock.now());
    const results = await Promise.all([world.send(bo, { type: 'VerifyOtp', otp: code }), world.send(bo, { type: 'VerifyOtp', otp: code })]);
    expect(results.filter(E.isRight)).toHaveLength(1);
    const refused = results.find(E.isLeft);
    expect(refused?.left).toMatchObject({ _tag: 'OtpRejected', reason: 'replay' });
  });

  it('two concurrent deletions of one token: one deletes it, the other finds it deleted, and the slot is released once', async () => {
    const world = harness([person(CO, 'ada', { isCompanyAdmin: true }), person(CO, 'bo')], noWait);
    await configure(world, CO, 2);
    const bo = user(CO, 'bo');
    const token = await activeToken(world, admin, bo);
    const results = await Promise.all([world.send(admin, { type: 'DeleteToken', serial: token.serial }), world.send(admin, { type: 'DeleteToken', serial: token.serial })]);
    expect(results.filter(E.isRight)).toHaveLength(1);
    expect(results.find(E.isLeft)?.left).toMatchObject({ _tag: 'InvalidTransition', from: 'deleted' });
    const table = await world.sdk.views.tokenTable(CO)();
    expect(E.isRight(table) && table.right.quota).toEqual({ total: 2, available: 2 });
  });
});
