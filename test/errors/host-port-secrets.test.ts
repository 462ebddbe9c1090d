import { inspect } from 'node:util';
import * as fc from 'fast-check';
import * as E from 'fp-ts/lib/Either.js';
import { describe, expect, it } from 'vitest';
import type { RequestTokenAssignmentOutput } from '../../src/commands/token/index.js';
import { activateDevice } from '../../src/device/index.js';
import { infrastructureFrom, type SdkError } from '../../src/errors/sdk-error.js';
import { inMemoryDirectory } from '../../src/ports/in-memory-directory.js';
import { inMemorySecretVault } from '../../src/ports/in-memory-secret-vault.js';
import { seededRandom } from '../../src/ports/random.js';
import type { SecretVault } from '../../src/ports/secret-vault.js';
import { databaseFailure } from '../../src/postgres/errors.js';
import { configure } from '../sdk/fixtures.js';
import { bank, harness, output, person, user } from '../sdk/harness.js';

const CO = 'acme';
const admin = user(CO, 'ada');
const bo = user(CO, 'bo');
const people = [person(CO, 'ada', { isCompanyAdmin: true }), { ...person(CO, 'bo'), securityAnswer: 'blue' }];

/** A driver error of the host's own class, as real drivers throw. */
class VaultDriverError extends Error {}

/** Everything a host could print of an error: its JSON, its message, and every property, hidden ones too. */
const everythingOf = (error: SdkError): string => `${JSON.stringify(error)}\n${error.message}\n${inspect(error, { showHidden: true, depth: 10 })}`;

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);

describe('a host port that quotes its input in its exception (issue 11, defect 7)', () => {
  it('a vault that quotes the activation code it was given: the error names the port and the class, never the code', async () => {
    const inner = inMemorySecretVault();
    const quoted: string[] = [];
    const vault: SecretVault = {
      put: (ref, secret) => {
        if (!ref.startsWith('activation')) return inner.put(ref, secret);
        quoted.push(text(secret));
        throw new VaultDriverError(`INSERT failed for ${ref}: value '${text(secret)}' too long`);
      },
      get: (ref) => inner.get(ref),
      destroy: (ref) => inner.destroy(ref),
    };
    const world = harness(people, { vault });
    await configure(world, CO, 5);
    const requested = output<RequestTokenAssignmentOutput>(await world.ok(admin, { type: 'RequestTokenAssignment', userId: 'bo' }));
    const error = await world.fails(admin, { type: 'ConfirmTokenAssignment', serial: requested.serial });
    expect(quoted.length).toBeGreaterThan(0);
    expect(error).toMatchObject({ _tag: 'Infrastructure', code: 'INFRASTRUCTURE' });
    expect(error.message).toContain('the secret vault');
    expect(error.message).toContain('VaultDriverError');
    for (const code of quoted) expect(everythingOf(error)).not.toContain(code);
    expect(everythingOf(error)).not.toContain('too long');
  });

  it('a directory that quotes the security answer it was asked about: the error holds no answer', async () => {
    const inner = inMemoryDirectory(people);
    const directory = {
      getUser: inner.getUser,
      checkSecurityAnswer: (_companyId: string, userId: string, answer: string) => Promise.reject(new Error(`LDAP: no match for (&(uid=${userId})(answer=${answer}))`)),
    };
    const world = harness(people, { directory });
    await configure(world, CO, 5, { activation: 'security-question' });
    const created = output<RequestTokenAssignmentOutput>(await world.ok(admin, { type: 'RequestTokenAssignment', userId: 'bo' }));
    await world.ok(admin, { type: 'ConfirmTokenAssignment', serial: created.serial });
    const app = activateDevice({ serial: created.serial, activationCode: world.deliveredCode(created.serial), random: seededRandom(2) });
    if (E.isLeft(app)) throw new Error(app.left._tag);
    await world.ok(bo, { type: 'EnrollDevice', serial: created.serial, registrationCode: app.right.registrationCode });
    const error = await world.fails(bo, { type: 'ActivateToken', serial: created.serial, securityAnswer: 'midnight-blue-42' });
    expect(error).toMatchObject({ _tag: 'Infrastructure' });
    expect(error.message).toContain('the directory');
    expect(error.message).toContain('Error');
    expect(everythingOf(error)).not.toContain('midnight-blue-42');
    expect(everythingOf(error)).not.toContain('LDAP');
  });

  it('an OTP engine that quotes the code, or rejects with a plain object holding it: the error holds no code', async () => {
    for (const thrown of [(otp: string) => new TypeError(`HSM refused code ${otp}`), (otp: string) => ({ code: otp, reason: `bad ${otp}` }), (otp: string) => otp]) {
      // eslint-disable-next-line @typescript-eslint/prefer-promise-reject-errors -- a host's engine may reject with anything
      const reject = (code: unknown) => Promise.reject(thrown(String(code)));
      const world = harness(people, { otpEngine: { verify: (request) => reject(request.code), resync: (request) => reject(request) } });
      await configure(world, CO, 5);
      await world.ok(bank, { type: 'ImportPhysicalToken', companyId: CO, userId: 'bo', serial: 'HW1', seed: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' });
      const error = await world.fails(bo, { type: 'VerifyOtp', otp: '918273' });
      expect(error).toMatchObject({ _tag: 'Infrastructure' });
      expect(error.message).toContain('the OTP engine');
      expect(everythingOf(error)).not.toContain('918273');
    }
  });

  it('keeps the class of any thrown value and nothing of its text, whatever it is', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 6 }).map((secret) => `SECRET<${secret}>`), fc.constantFrom('error', 'subclass', 'named', 'object', 'string'), (secret, shape) => {
        const thrown =
          shape === 'error'
            ? new Error(secret)
            : shape === 'subclass'
              ? new VaultDriverError(secret)
              : shape === 'named'
                ? Object.assign(new Error(secret), { name: secret, detail: secret })
                : shape === 'object'
                  ? { message: secret, stack: secret }
                  : secret;
        const error = infrastructureFrom('the secret vault')(thrown);
        expect(everythingOf(error)).not.toContain('SECRET<');
        expect(error.message).toMatch(/^the secret vault failed: [A-Za-z_$][\w$]* thrown$/);
      }),
      { numRuns: 300 },
    );
    expect(infrastructureFrom('the secret vault')(new VaultDriverError('x')).message).toBe('the secret vault failed: VaultDriverError thrown');
  });

  it('a PostgreSQL error keeps its SQLSTATE and constraint name, never its message or DETAIL, which quote the row', () => {
    const pgError = Object.assign(new Error('duplicate key value violates unique constraint "users_answer_key"'), {
      code: '23505',
      constraint: 'users_answer_key',
      detail: 'Key (answer)=(midnight-blue-42) already exists.',
      where: 'SQL statement "INSERT ... midnight-blue-42"',
    });
    const error = databaseFailure('append')(pgError);
    expect(error.message).toContain('SQLSTATE 23505');
    expect(error.message).toContain('constraint users_answer_key');
    expect(everythingOf(error)).not.toContain('midnight-blue-42');
    const hostile = databaseFailure('append')(Object.assign(new Error('x'), { code: '23505', constraint: 'Key (answer)=(midnight-blue-42)' }));
    expect(everythingOf(hostile)).not.toContain('midnight-blue-42');
  });
});
