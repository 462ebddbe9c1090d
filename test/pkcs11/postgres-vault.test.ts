import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { RequestTokenAssignmentOutput } from '../../src/commands/token/index.js';
import { pkcs11KeyProvider } from '../../src/pkcs11/key-provider.js';
import type { Pkcs11KeyProvider } from '../../src/pkcs11/key-provider.js';
import type { KeyProvider } from '../../src/ports/key-provider.js';
import { postgresSecretVault } from '../../src/postgres/secret-vault.js';
import { secretVaultContract } from '../../src/testing/secret-vault-contract.js';
import { activeToken, configure } from '../sdk/fixtures.js';
import { harness, output, person, user } from '../sdk/harness.js';
import { freshStore, leftOf, openTestDatabase, rightOf } from '../postgres/support/database.js';
import type { TestDatabase } from '../postgres/support/database.js';
import { dumpHolds, migratedVault, vaultRejection, vaultTable } from '../postgres/support/vault.js';
import { freshSoftHsmToken, softHsmMissing, TOKEN_LABEL, USER_PIN } from './softhsm.js';
import type { SoftHsmToken } from './softhsm.js';

const where = `${process.env['DATABASE_URL'] === undefined ? 'embedded PGlite' : 'DATABASE_URL'}, ${softHsmMissing ?? 'SoftHSM2'}`;
const CO = 'acme';
const admin = user(CO, 'ada');
const bo = user(CO, 'bo');
const people = [person(CO, 'ada', { isCompanyAdmin: true }), person(CO, 'bo'), person(CO, 'cy')];
const secretOf = (index: number): Uint8Array => Uint8Array.from({ length: 20 }, (_, at) => (index * 37 + at * 11 + 3) % 256);

describe.skipIf(softHsmMissing !== undefined)(`postgresSecretVault with its keys in an HSM (PKCS#11) (${where})`, () => {
  let token: SoftHsmToken;
  let db: TestDatabase;
  const providers: Pkcs11KeyProvider[] = [];
  /** A provider of its own session, as another process would have. */
  const hsm = (keyLabels: readonly string[] = ['kek-1']): Pkcs11KeyProvider => {
    const made = pkcs11KeyProvider({ library: token.library, tokenLabel: TOKEN_LABEL, pin: USER_PIN, keyLabels });
    providers.push(made);
    return made;
  };
  beforeAll(async () => {
    token = freshSoftHsmToken();
    token.generateKey('kek-1');
    token.generateKey('kek-2');
    db = await openTestDatabase(6);
  });
  afterAll(async () => {
    for (const made of providers) made.close();
    await db.close();
    token.remove();
  });

  let shared: ReturnType<typeof migratedVault> | undefined;
  secretVaultContract('PostgreSQL + PKCS#11 (SoftHSM2)', () => (shared ??= migratedVault(db.pool, db.newSchema(), hsm())), { describe, it });

  it('refuses a flipped byte in the wrapped key or the ciphertext, and a row moved to another reference, naming no secret', async () => {
    const schema = db.newSchema();
    const table = vaultTable(schema);
    const vault = await migratedVault(db.pool, schema, hsm());
    const secret = secretOf(1);
    await vault.put('seed-a', secret);
    for (const column of ['wrapped_key', 'ciphertext']) {
      for (const index of [0, 11, 12, 30, 47]) {
        const flip = `UPDATE ${table} SET ${column} = set_byte(${column}, ${String(index)}, get_byte(${column}, ${String(index)}) # 128) WHERE ref = 'seed-a'`;
        await db.pool.query({ text: flip });
        const error = await vaultRejection(vault.get('seed-a'));
        expect(error).toMatchObject({ code: 'Tampered' });
        expect(error.message).toContain('seed-a');
        expect(dumpHolds(error.message, [secret])).toBe(false);
        await db.pool.query({ text: flip });
      }
    }
    await db.pool.query({ text: `UPDATE ${table} SET ref = 'seed-b' WHERE ref = 'seed-a'` });
    expect(await vaultRejection(vault.get('seed-b'))).toMatchObject({ code: 'Tampered' });
    await db.pool.query({ text: `UPDATE ${table} SET ref = 'seed-a' WHERE ref = 'seed-b'` });
    expect(await vault.get('seed-a')).toEqual(secret);
  });

  it('two instances (two sessions) share the vault: a token enrolled through one is verified by the other; the table holds no secret', async () => {
    const store = await freshStore(db);
    const one = harness(people, { store, vault: await migratedVault(db.pool, store.schema, hsm()) }, 1);
    const other = harness(people, { store, vault: await migratedVault(db.pool, store.schema, hsm()) }, 2);
    await configure(one, CO, 5);
    const { app } = await activeToken(one, admin, bo);
    other.clock.set(one.clock.now() + 30_000);
    expect((await other.sdk.dispatch({ commandId: 'verify-on-other', actor: bo, type: 'VerifyOtp', otp: app.code(other.clock.now()) })())._tag).toBe('Right');
    const requested = output<RequestTokenAssignmentOutput>(await one.ok(admin, { type: 'RequestTokenAssignment', userId: 'cy' }));
    await one.ok(admin, { type: 'ConfirmTokenAssignment', serial: requested.serial });
    const code = one.deliveredCode(requested.serial);
    const { rows } = await db.pool.query({ text: `SELECT t::text, encode(wrapped_key, 'base64'), encode(ciphertext, 'base64'), wrapped_key, ciphertext FROM ${vaultTable(store.schema)} t`, values: [], rowMode: 'array' });
    expect(rows.length).toBe(2);
    expect(dumpHolds(rows, [app.seed(), new TextEncoder().encode(code.replaceAll('-', ''))])).toBe(false);
    expect(JSON.stringify(rows)).not.toContain(code);
  });

  it('a rotation from one HSM key to another, killed midway, resumes to every secret readable under the new key alone', async () => {
    const schema = db.newSchema();
    const old = await migratedVault(db.pool, schema, hsm(['kek-1']));
    for (let index = 0; index < 12; index++) await old.put(`seed-${String(index).padStart(2, '0')}`, secretOf(index));
    const both = hsm(['kek-2', 'kek-1']);
    let wraps = 0;
    const dying: KeyProvider = {
      ...both,
      wrap: (dataKey, context) => {
        wraps++;
        return wraps > 7 ? Promise.reject(new Error('killed')) : both.wrap(dataKey, context);
      },
    };
    expect(leftOf(await postgresSecretVault(db.pool, { schema, keys: dying }).rotate({ batchSize: 3 })()).message).toContain('stopped after 6 re-wrapped');
    expect(rightOf(await postgresSecretVault(db.pool, { schema, keys: both }).rotate({ batchSize: 3 })())).toMatchObject({ rewrapped: 6 });
    const onlyNew = postgresSecretVault(db.pool, { schema, keys: hsm(['kek-2']) });
    for (let index = 0; index < 12; index++) expect(await onlyNew.get(`seed-${String(index).padStart(2, '0')}`)).toEqual(secretOf(index));
    const { rows } = await db.pool.query({ text: `SELECT DISTINCT key_id FROM ${vaultTable(schema)}`, values: [], rowMode: 'array' });
    expect(rows).toEqual([['kek-2']]);
  });
});
