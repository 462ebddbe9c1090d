import { describe, expect, it } from 'vitest';
import { localKeyProvider } from '../../src/postgres/local-key-provider.js';
import { postgresSecretVault } from '../../src/postgres/secret-vault.js';
import type { PgPool } from '../../src/postgres/client.js';
import { leftOf, rightOf, useTestDatabase } from './support/database.js';
import { dumpHolds, migratedVault, testKek, vaultRejection, vaultTable } from './support/vault.js';

const OLD = testKek(20);
const NEW = testKek(21);
const secretOf = (salt: number): Uint8Array => Uint8Array.from({ length: 20 }, (_, at) => (salt * 53 + at * 29 + 7) % 256);

describe(`crypto-shredding in postgresSecretVault (${process.env['DATABASE_URL'] === undefined ? 'embedded PGlite' : 'DATABASE_URL'})`, () => {
  const db = useTestDatabase();

  /** Every row of the table, every column, as text and as bytes. */
  const dump = async (schema: string): Promise<unknown> =>
    (await db().pool.query({ text: `SELECT t::text, t.* FROM ${vaultTable(schema)} t ORDER BY ref`, values: [], rowMode: 'array' })).rows;

  it('a destroyed secret cannot come back from the table, a later rotate(), or a copy of its row once the old key is retired', async () => {
    const schema = db().newSchema();
    const table = vaultTable(schema);
    const vault = await migratedVault(db().pool, schema, localKeyProvider([{ key: OLD }]));
    const doomed = secretOf(1);
    await vault.put('seed-doomed', doomed);
    await vault.put('seed-kept', secretOf(2));
    expect(await vault.get('seed-doomed')).toEqual(doomed);
    // What a backup, a replica or a dead tuple would still hold: the row as it was.
    const { rows: before } = await db().pool.query({ text: `SELECT wrapped_key, ciphertext FROM ${table} WHERE ref = 'seed-doomed'`, values: [], rowMode: 'array' });
    const [oldWrapped, oldCiphertext] = before[0] as [Uint8Array, Uint8Array];

    await vault.destroy('seed-doomed');
    expect(await vault.get('seed-doomed')).toBeUndefined();
    const afterDestroy = await dump(schema);
    expect((afterDestroy as unknown[]).length).toBe(1);
    expect(JSON.stringify(afterDestroy)).not.toContain('seed-doomed');
    expect(dumpHolds(afterDestroy, [doomed, oldWrapped, oldCiphertext])).toBe(false);

    // A rotation re-wraps what is there and nothing else.
    const rotating = postgresSecretVault(db().pool, { schema, keys: localKeyProvider([{ key: NEW }, { key: OLD }]) });
    expect(rightOf(await rotating.rotate()())).toEqual({ rewrapped: 1, batches: 1, skipped: 0 });
    expect(await rotating.get('seed-doomed')).toBeUndefined();
    const afterRotation = await dump(schema);
    expect((afterRotation as unknown[]).length).toBe(1);
    expect(dumpHolds(afterRotation, [doomed, oldWrapped, oldCiphertext])).toBe(false);

    // The old row restored from a backup: with the old key retired nothing opens it, and a rotation cannot re-wrap it.
    await db().pool.query({ text: `INSERT INTO ${table} (ref, format, key_id, wrapped_key, ciphertext) SELECT 'seed-doomed', format, $1, $2, $3 FROM ${table} WHERE ref = 'seed-kept'`, values: [(await localKeyProvider([{ key: OLD }]).currentKeyId()), Buffer.from(oldWrapped), Buffer.from(oldCiphertext)] });
    const retired = postgresSecretVault(db().pool, { schema, keys: localKeyProvider([{ key: NEW }]) });
    expect(await vaultRejection(retired.get('seed-doomed'))).toMatchObject({ code: 'UnknownKey' });
    expect(leftOf(await retired.rotate()()).message).toContain('UnknownKey');
    expect(await retired.get('seed-kept')).toEqual(secretOf(2));
  });

  it('keeps nothing of a secret in memory: the sealed bytes it read are zero-filled once get answers, and a destroyed secret is gone for every instance', async () => {
    const schema = db().newSchema();
    const read: Uint8Array[] = [];
    // The pool as the vault sees it, keeping hold of every byte array the database answered.
    const recording: PgPool = {
      ...db().pool,
      query: async (config) => {
        const result = await db().pool.query(config);
        // A multi-statement query (the migration) answers an array of results on node-postgres: no rows to keep.
        const rows: unknown = result.rows;
        for (const row of Array.isArray(rows) ? (rows as unknown[]) : []) if (Array.isArray(row)) for (const cell of row as unknown[]) if (cell instanceof Uint8Array) read.push(cell);
        return result;
      },
      connect: () => db().pool.connect(),
    };
    const vault = await migratedVault(recording, schema);
    const other = await migratedVault(db().pool, schema);
    await vault.put('seed-a', secretOf(3));
    expect(await vault.get('seed-a')).toEqual(secretOf(3));
    expect(read.length).toBe(2);
    expect(read.every((bytes) => bytes.length > 0 && bytes.every((byte) => byte === 0))).toBe(true);
    await other.destroy('seed-a');
    expect(await vault.get('seed-a')).toBeUndefined();
  });
});
