import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localKeyProvider } from '../../src/postgres/local-key-provider.js';
import { postgresSecretVault } from '../../src/postgres/secret-vault.js';
import { secretVaultContract } from '../../src/testing/secret-vault-contract.js';
import { openTestDatabase, rightOf } from './support/database.js';
import type { TestDatabase } from './support/database.js';
import { migratedVault, testKek, vaultRejection, vaultTable } from './support/vault.js';

let db: TestDatabase | undefined;
const database = async (): Promise<TestDatabase> => (db ??= await openTestDatabase(8));
beforeAll(database);
afterAll(async () => {
  await db?.close();
});

const where = process.env['DATABASE_URL'] === undefined ? 'embedded PGlite' : 'DATABASE_URL';

// The port's contract, on one migrated schema (the suite uses fresh references per test).
let shared: Promise<ReturnType<typeof postgresSecretVault>> | undefined;
secretVaultContract(`PostgreSQL, envelope-encrypted (${where})`, async () => {
  const opened = await database();
  shared ??= migratedVault(opened.pool, opened.newSchema());
  return shared;
}, { describe, it });

const secretOf = (length: number, salt: number): Uint8Array => Uint8Array.from({ length }, (_, index) => (index * 13 + salt * 7 + 1) % 256);

describe(`postgresSecretVault refuses rows changed, moved or swapped (${where})`, () => {
  const fresh = async () => {
    const opened = await database();
    const schema = opened.newSchema();
    return { pool: opened.pool, schema, table: vaultTable(schema), vault: await migratedVault(opened.pool, schema) };
  };

  it('refuses a ciphertext or wrapped key with any one bit changed, with a typed error naming the reference and no secret', async () => {
    const { pool, table, vault } = await fresh();
    const secret = secretOf(20, 1);
    await vault.put('seed-a', secret);
    const { rows } = await pool.query({ text: `SELECT length(wrapped_key), length(ciphertext) FROM ${table} WHERE ref = 'seed-a'`, values: [], rowMode: 'array' });
    const [wrappedLength, cipherLength] = (rows[0] as readonly number[]).map(Number) as [number, number];
    expect(wrappedLength).toBe(12 + 32 + 16);
    expect(cipherLength).toBe(12 + 20 + 16);
    for (const [column, length] of [['wrapped_key', wrappedLength], ['ciphertext', cipherLength]] as const) {
      for (let index = 0; index < length; index++) {
        const flip = `UPDATE ${table} SET ${column} = set_byte(${column}, ${String(index)}, get_byte(${column}, ${String(index)}) # 1) WHERE ref = 'seed-a'`;
        await pool.query({ text: flip });
        const error = await vaultRejection(vault.get('seed-a'));
        expect(error).toMatchObject({ name: 'SecretVaultError', code: 'Tampered' });
        expect(error.message).toContain('seed-a');
        expect(error.message).not.toContain(Buffer.from(secret).toString('hex').slice(0, 8));
        expect(error.message).not.toContain(Buffer.from(secret).toString('base64').slice(0, 8));
        await pool.query({ text: flip });
      }
    }
    expect(await vault.get('seed-a')).toEqual(secret);
  });

  it('refuses a row moved or copied to another reference, and rows whose boxes were swapped', async () => {
    const { pool, table, vault } = await fresh();
    await vault.put('seed-a', secretOf(20, 2));
    await vault.put('seed-b', secretOf(20, 3));
    await vault.put('activation-code-c', secretOf(28, 4));
    // Copied whole to another reference: the copy is refused, the original still reads.
    await pool.query({ text: `INSERT INTO ${table} SELECT 'seed-copy', format, key_id, wrapped_key, ciphertext FROM ${table} WHERE ref = 'seed-a'` });
    expect(await vaultRejection(vault.get('seed-copy'))).toMatchObject({ code: 'Tampered' });
    expect(await vault.get('seed-a')).toEqual(secretOf(20, 2));
    // Moved: the row of an activation code filed under a seed's reference (another kind).
    await pool.query({ text: `DELETE FROM ${table} WHERE ref = 'seed-b'` });
    await pool.query({ text: `UPDATE ${table} SET ref = 'seed-b' WHERE ref = 'activation-code-c'` });
    expect(await vaultRejection(vault.get('seed-b'))).toMatchObject({ code: 'Tampered' });
    // Swapped: the ciphertexts of two rows, then their wrapped keys.
    await vault.put('seed-b', secretOf(20, 3));
    const swap = (column: string) =>
      pool.query({
        text: `UPDATE ${table} t SET ${column} = o.${column} FROM ${table} o WHERE (t.ref, o.ref) IN (('seed-a', 'seed-b'), ('seed-b', 'seed-a'))`,
      });
    await swap('ciphertext');
    expect(await vaultRejection(vault.get('seed-a'))).toMatchObject({ code: 'Tampered' });
    expect(await vaultRejection(vault.get('seed-b'))).toMatchObject({ code: 'Tampered' });
    await swap('ciphertext');
    await swap('wrapped_key');
    expect(await vaultRejection(vault.get('seed-a'))).toMatchObject({ code: 'Tampered' });
    await swap('wrapped_key');
    expect(await vault.get('seed-a')).toEqual(secretOf(20, 2));
    // A format this vault did not write.
    await pool.query({ text: `UPDATE ${table} SET format = 9 WHERE ref = 'seed-a'` });
    expect(await vaultRejection(vault.get('seed-a'))).toMatchObject({ code: 'Tampered' });
  });

  it('refuses a secret under a key it does not know (UnknownKey), and a provider that fails reports its class only', async () => {
    const { pool, schema, vault } = await fresh();
    await vault.put('seed-a', secretOf(20, 5));
    const otherKeys = postgresSecretVault(pool, { schema, keys: localKeyProvider([{ key: testKek(2) }]) });
    expect(await vaultRejection(otherKeys.get('seed-a'))).toMatchObject({ code: 'UnknownKey' });
    const broken = postgresSecretVault(pool, {
      schema,
      keys: { currentKeyId: () => 'k', knownKeyIds: () => ['k'], wrap: () => Promise.reject(new Error('HSM said: key 0xDEADBEEF')), unwrap: () => { throw new RangeError('x'); } },
    });
    const wrapFailure = await vaultRejection(broken.put('seed-z', secretOf(20, 6)));
    expect(wrapFailure).toMatchObject({ code: 'KeyProviderFailed', message: 'key provider: wrap failed (Error)' });
    expect(await vaultRejection(broken.get('seed-a'))).toMatchObject({ code: 'KeyProviderFailed', message: 'key provider: unwrap failed (RangeError)' });
  });

  it('rejects bad input naming the field, and writes nothing', async () => {
    const { pool, table, vault } = await fresh();
    for (const ref of ['', 'nul\u0000ref', '\ud800', 42]) {
      expect(await vaultRejection(vault.put(ref as string, secretOf(4, 1)))).toMatchObject({ code: 'InvalidInput', message: expect.stringContaining('invalid ref') as unknown });
      expect(await vaultRejection(vault.get(ref as string))).toMatchObject({ code: 'InvalidInput' });
    }
    expect(await vaultRejection(vault.put('seed-a', 'not bytes' as unknown as Uint8Array))).toMatchObject({ code: 'InvalidInput', message: expect.stringContaining('invalid secret') as unknown });
    const badSchema = postgresSecretVault(pool, { schema: 'Bad-Name', keys: localKeyProvider([{ key: testKek(1) }]) });
    expect(await vaultRejection(badSchema.put('seed-a', secretOf(4, 1)))).toMatchObject({ code: 'InvalidInput', message: expect.stringContaining('options.schema') as unknown });
    expect(await badSchema.migrate()()).toMatchObject({ left: { _tag: 'Infrastructure', message: expect.stringContaining('options.schema') as unknown } });
    const { rows } = await pool.query({ text: `SELECT count(*)::int FROM ${table}`, values: [], rowMode: 'array' });
    expect(rows).toEqual([[0]]);
  });

  it('migrates twice and concurrently without harm, keeping what was stored', async () => {
    const opened = await database();
    const schema = opened.newSchema();
    const vaults = Array.from({ length: 4 }, () => postgresSecretVault(opened.pool, { schema, keys: localKeyProvider([{ key: testKek(1) }]) }));
    for (const result of await Promise.all(vaults.map((vault) => vault.migrate()()))) rightOf(result);
    await vaults[0]?.put('seed-a', secretOf(20, 7));
    rightOf(await vaults[1]!.migrate()());
    expect(await vaults[2]?.get('seed-a')).toEqual(secretOf(20, 7));
  });

  it('destroy deletes the row itself', async () => {
    const { pool, table, vault } = await fresh();
    await vault.put('seed-a', secretOf(20, 8));
    await vault.put('seed-b', secretOf(20, 9));
    await vault.destroy('seed-a');
    const { rows } = await pool.query({ text: `SELECT ref FROM ${table} ORDER BY ref`, values: [], rowMode: 'array' });
    expect(rows).toEqual([['seed-b']]);
  });
});
