import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RequestTokenAssignmentOutput } from '../../src/commands/token/index.js';
import { activateDevice } from '../../src/device/index.js';
import { inMemoryDirectory } from '../../src/ports/in-memory-directory.js';
import { seededRandom } from '../../src/ports/random.js';
import { configure } from './fixtures.js';
import { bank, harness, output, person, user } from './harness.js';

const CO = 'internacional';
const bo = user(CO, 'bo');
const ada = user(CO, 'ada');
const cy = user(CO, 'cy');
const ANSWER = 'Quito';
const LIMIT = 5;
const people = [person(CO, 'ada', { isCompanyAdmin: true }), { ...person(CO, 'bo'), securityAnswer: ANSWER }, person(CO, 'cy')];

/** A world whose directory counts the answers it is asked to judge: the guesses an attacker got. */
const guessCountingWorld = () => {
  const directory = inMemoryDirectory(people);
  let judged = 0;
  const world = harness(people, {
    directory: {
      getUser: directory.getUser,
      checkSecurityAnswer: (companyId, userId, answer) => {
        judged += 1;
        return directory.checkSecurityAnswer(companyId, userId, answer);
      },
    },
  });
  return { world, judged: () => judged };
};

type World = ReturnType<typeof harness>;

/** The Internacional self-service flow up to the security question: a new token, enrolled, waiting for the answer. */
const pendingActivation = async (world: World, seed: number): Promise<string> => {
  const created = output<RequestTokenAssignmentOutput>(await world.ok(bo, { type: 'RequestTokenAssignment' }));
  const phone = activateDevice({ serial: created.serial, activationCode: created.activation?.activationCode, random: seededRandom(seed) });
  if (E.isLeft(phone)) throw new Error(phone.left._tag);
  await world.ok(bo, { type: 'EnrollDevice', serial: created.serial, registrationCode: phone.right.registrationCode });
  return created.serial;
};

describe('wrong security answers are counted per user, across tokens', () => {
  it('the attacker cycle (guess, delete the pending token, request another, guess again) stops at the limit', async () => {
    const { world, judged } = guessCountingWorld();
    await configure(world, CO, 5, { assignmentConfirmation: 'none', activation: 'security-question', registrationAttempts: LIMIT });
    const guesses = ['Lima', 'Bogotá', 'Caracas', 'Santiago', 'La Paz', 'Asunción', 'Montevideo', 'Brasilia', 'Panamá', 'Managua', 'Tegucigalpa', 'San José', ANSWER];
    const refusals: string[] = [];
    let serial = await pendingActivation(world, 1);
    for (const [index, guess] of guesses.entries()) {
      // Before the token's own lock: give it up and start over with a fresh one.
      if (index > 0 && index % 3 === 0) {
        await world.ok(bo, { type: 'DeleteToken', serial });
        serial = await pendingActivation(world, index);
      }
      const result = await world.send(bo, { type: 'ActivateToken', serial, securityAnswer: guess });
      if (E.isRight(result)) throw new Error(`activated with guess ${String(index + 1)}`);
      refusals.push(result.left._tag === 'PreconditionFailed' ? `${result.left.code}:${result.left.precondition}` : result.left.code);
    }
    expect(judged()).toBe(LIMIT);
    expect(refusals.slice(0, LIMIT)).toEqual(Array(LIMIT).fill('FORBIDDEN'));
    expect(new Set(refusals.slice(LIMIT))).toEqual(new Set(['PRECONDITION_FAILED:security-question-unlocked']));
    // The error names the remedy and never the answers tried.
    const locked = await world.fails(bo, { type: 'ActivateToken', serial, securityAnswer: ANSWER });
    expect(locked.message).toContain('ClearSecurityQuestionLock');
    expect(JSON.stringify(locked)).not.toContain(ANSWER);
  });

  it('a company admin or the bank clears the lock (audited); the user and a colleague cannot', async () => {
    const { world } = guessCountingWorld();
    await configure(world, CO, 5, { assignmentConfirmation: 'none', activation: 'security-question', registrationAttempts: 2 });
    const first = await pendingActivation(world, 1);
    await world.fails(bo, { type: 'ActivateToken', serial: first, securityAnswer: 'Lima' });
    await world.ok(bo, { type: 'DeleteToken', serial: first });
    const serial = await pendingActivation(world, 2);
    await world.fails(bo, { type: 'ActivateToken', serial, securityAnswer: 'Bogotá' });
    expect(await world.fails(bo, { type: 'ActivateToken', serial, securityAnswer: ANSWER })).toMatchObject({ _tag: 'PreconditionFailed', precondition: 'security-question-unlocked' });

    const clear = { type: 'ClearSecurityQuestionLock', companyId: CO, userId: 'bo' };
    expect(await world.fails(bo, clear)).toMatchObject({ _tag: 'Forbidden' });
    expect(await world.fails(cy, clear)).toMatchObject({ _tag: 'Forbidden' });
    expect(await world.fails(user('other', 'oz'), clear)).toMatchObject({ _tag: 'Forbidden' });
    await world.ok(ada, clear);
    expect(await world.fails(bank, clear)).toMatchObject({ _tag: 'PreconditionFailed', precondition: 'security-answer-failures' });

    // The token itself was not locked (one wrong answer on it): the user answers again, and is in.
    await world.ok(bo, { type: 'ActivateToken', serial, securityAnswer: ANSWER });
    const trail = await world.sdk.views.audit({ action: 'ClearSecurityQuestionLock' })();
    expect(E.isRight(trail) && trail.right.entries.map((entry) => [entry.actor, entry.outcome, entry.events])).toEqual([
      [ada, 'succeeded', ['SecurityAnswerFailuresCleared']],
    ]);
  });

  it('whatever the user does (guess, start over with a new token, answer right), no more than the limit of wrong answers is judged between clearings', async () => {
    const op = fc.constantFrom('wrong' as const, 'restart' as const, 'right' as const, 'clear' as const);
    await fc.assert(
      fc.asyncProperty(fc.array(op, { minLength: 1, maxLength: 14 }), fc.integer({ min: 1, max: 4 }), async (ops, limit) => {
        const directory = inMemoryDirectory(people);
        let wrongSinceClear = 0;
        let maxWrong = 0;
        const world = harness(people, {
          directory: {
            getUser: directory.getUser,
            checkSecurityAnswer: (companyId, userId, answer) => {
              const correct = directory.checkSecurityAnswer(companyId, userId, answer);
              wrongSinceClear = correct ? 0 : wrongSinceClear + 1;
              maxWrong = Math.max(maxWrong, wrongSinceClear);
              return correct;
            },
          },
        });
        await configure(world, CO, 5, { assignmentConfirmation: 'none', activation: 'security-question', registrationAttempts: limit });
        let serial: string | undefined;
        let seed = 0;
        for (const step of ops) {
          if (serial === undefined) serial = await pendingActivation(world, ++seed);
          if (step === 'restart') {
            // The token may be locked by then: the bank deletes it, as a user would ask it to.
            await world.ok(bank, { type: 'DeleteToken', serial });
            serial = undefined;
          } else if (step === 'clear') {
            const cleared = await world.send(bank, { type: 'ClearSecurityQuestionLock', companyId: CO, userId: 'bo' });
            if (E.isRight(cleared)) wrongSinceClear = 0;
          } else {
            const result = await world.send(bo, { type: 'ActivateToken', serial, securityAnswer: step === 'right' ? ANSWER : 'Lima' });
            if (E.isRight(result)) {
              await world.ok(bank, { type: 'DeleteToken', serial });
              serial = undefined;
            }
          }
        }
        expect(maxWrong).toBeLessThanOrEqual(limit);
      }),
      { numRuns: 200 },
    );
  });
});
