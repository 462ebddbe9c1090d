import { describe, expect, it } from 'vitest';
import type { KeyProvider } from '../../src/ports/key-provider.js';
import { localKeyId, localKeyProvider } from '../../src/postgres/local-key-provider.js';
import { postgresSecretVault } from '../../src/postgres/secret-vault.js';
import { leftOf, rightOf, useTestDatabase } from './support/database.js';
import { migratedVault, testKek, vaultRejection, vaultTable } from './support/vault.js';

const OLD = testKek(10);
const NEW = testKek(11);
const secretOf = (index: number): Uint8Array => Uint8Array.from({ length: 20 }, (_, at) => (index * 37 + at * 11) % 256);
const refOf = (index: number): string => `seed-${String(index).padStart(3, '0')}`;

/** A provider that counts its wraps and, once `failAfter` wraps are done, fails every further one (a crash midway). */
const interrupted = (inner: KeyProvider, failAfter: number): KeyProvider & { readonly wraps: () => number } => {
  let wraps = 0;
  return {
    ...inner,
    wrap: async (dataKey, context) => {
      if (wraps >= failAfter) throw new Error('the HSM went away');
      wraps++;
      return inner.wrap(dataKey, context);
    },
    wraps: () => wraps,
  };
};

describe(`postgresSecretVault.rotate (${process.env['DATABASE_URL'] === undefined ? 'embedded PGlite' : 'DATABASE_URL'})`, () => {
  const db = useTestDatabase();

  /** 25 secrets under the old key, 3 of them destroyed; a vault that knows both keys, the new one current. */
  const setUp = async () => {
    const schema = db().newSchema();
    const old = await migratedVault(db().pool, schema, localKeyProvider([{ key: OLD }]));
    for (let index = 0; index < 25; index++) await old.put(refOf(index), secretOf(index));
    for (const index of [3, 12, 20]) await old.destroy(refOf(index));
    const keyIds = async (): Promise<Record<string, number>> => {
      const { rows } = await db().pool.query({ text: `SELECT key_id, count(*)::int FROM ${vaultTable(schema)} GROUP BY key_id ORDER BY key_id`, values: [], rowMode: 'array' });
      return Object.fromEntries(rows as [string, number][]);
    };
    return { schema, keyIds };
  };

  const checkAllReadableUnderNewKeyOnly = async (schema: string): Promise<void> => {
    const onlyNew = postgresSecretVault(db().pool, { schema, keys: localKeyProvider([{ key: NEW }]) });
    for (let index = 0; index < 25; index++) {
      const read = await onlyNew.get(refOf(index));
      if ([3, 12, 20].includes(index)) expect(read).toBeUndefined();
      else expect(read).toEqual(secretOf(index));
    }
  };

  it('re-wraps every data key under the new key, in bounded batches, and new secrets go under the new key at once', async () => {
    const { schema, keyIds } = await setUp();
    const keys = localKeyProvider([{ key: NEW }, { key: OLD }]);
    const vault = postgresSecretVault(db().pool, { schema, keys });
    await vault.put('seed-new', secretOf(99));
    expect(await keyIds()).toEqual({ [localKeyId(NEW)]: 1, [localKeyId(OLD)]: 22 });
    expect(rightOf(await vault.rotate({ batchSize: 5 })())).toEqual({ rewrapped: 22, batches: 5, skipped: 0 });
    expect(await keyIds()).toEqual({ [localKeyId(NEW)]: 23 });
    await checkAllReadableUnderNewKeyOnly(schema);
    // Nothing left to do: a second rotation reads one empty page.
    expect(rightOf(await vault.rotate()())).toEqual({ rewrapped: 0, batches: 0, skipped: 0 });
    // The old key alone no longer reads anything.
    const onlyOld = postgresSecretVault(db().pool, { schema, keys: localKeyProvider([{ key: OLD }]) });
    expect(await vaultRejection(onlyOld.get(refOf(0)))).toMatchObject({ code: 'UnknownKey' });
  });

  it('a rotation killed midway resumes and ends with every secret readable under the new key; destroyed ones stay gone', async () => {
    const { schema, keyIds } = await setUp();
    const keys = interrupted(localKeyProvider([{ key: NEW }, { key: OLD }]), 13);
    const crashing = postgresSecretVault(db().pool, { schema, keys });
    const stopped = leftOf(await crashing.rotate({ batchSize: 4 })());
    // Three whole batches landed before the 14th wrap failed; the message names no key or secret, only what to do.
    expect(stopped).toMatchObject({ _tag: 'Infrastructure' });
    expect(stopped.message).toBe('secret vault rotation stopped after 12 re-wrapped key(s) (run rotate() again to resume): KeyProviderFailed: key provider: wrap failed (Error)');
    expect(keys.wraps()).toBe(13);
    expect(await keyIds()).toEqual({ [localKeyId(NEW)]: 12, [localKeyId(OLD)]: 10 });
    // Meanwhile every secret still reads, whichever key wraps it.
    for (let index = 0; index < 25; index++) if (![3, 12, 20].includes(index)) expect(await crashing.get(refOf(index))).toEqual(secretOf(index));

    const resumed = postgresSecretVault(db().pool, { schema, keys: localKeyProvider([{ key: NEW }, { key: OLD }]) });
    expect(rightOf(await resumed.rotate({ batchSize: 4 })())).toMatchObject({ rewrapped: 10, skipped: 0 });
    expect(await keyIds()).toEqual({ [localKeyId(NEW)]: 22 });
    await checkAllReadableUnderNewKeyOnly(schema);
  });

  it('leaves alone a row destroyed or replaced while its batch is re-wrapped: nothing comes back', async () => {
    const { schema } = await setUp();
    const inner = localKeyProvider([{ key: NEW }, { key: OLD }]);
    const racing = postgresSecretVault(db().pool, { schema, keys: inner });
    let wraps = 0;
    const keys: KeyProvider = {
      ...inner,
      wrap: async (dataKey, context) => {
        wraps++;
        // While the first batch is being re-wrapped, another instance destroys one row and replaces another.
        if (wraps === 1) {
          await racing.destroy(refOf(1));
          await racing.put(refOf(2), secretOf(200));
        }
        return inner.wrap(dataKey, context);
      },
    };
    const vault = postgresSecretVault(db().pool, { schema, keys });
    expect(rightOf(await vault.rotate({ batchSize: 10 })())).toEqual({ rewrapped: 20, batches: 3, skipped: 2 });
    expect(await vault.get(refOf(1))).toBeUndefined();
    expect(await vault.get(refOf(2))).toEqual(secretOf(200));
    expect(await vault.get(refOf(0))).toEqual(secretOf(0));
  });

  it('refuses a batch size out of range, naming the option', async () => {
    const vault = postgresSecretVault(db().pool, { schema: db().newSchema(), keys: localKeyProvider([{ key: NEW }]) });
    for (const batchSize of [0, -1, 1.5, 10_001, Number.NaN]) {
      expect(leftOf(await vault.rotate({ batchSize })()).message).toContain('options.batchSize');
    }
  });
});
