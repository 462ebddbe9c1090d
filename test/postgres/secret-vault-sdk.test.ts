import { describe, expect, it } from 'vitest';
import type { RequestTokenAssignmentOutput } from '../../src/commands/token/index.js';
import { localKeyProvider } from '../../src/postgres/local-key-provider.js';
import { encodeBase32 } from '../../src/otp/base32.js';
import { activeToken, configure } from '../sdk/fixtures.js';
import { harness, output, person, user } from '../sdk/harness.js';
import { freshStore, useTestDatabase } from './support/database.js';
import { dumpHolds, encodings, migratedVault, testKek, vaultTable } from './support/vault.js';

const CO = 'acme';
const admin = user(CO, 'ada');
const bo = user(CO, 'bo');
const people = [person(CO, 'ada', { isCompanyAdmin: true }), person(CO, 'bo'), person(CO, 'cy')];

describe(`the SDK on the PostgreSQL secret vault (${process.env['DATABASE_URL'] === undefined ? 'embedded PGlite' : 'DATABASE_URL'})`, () => {
  const db = useTestDatabase();

  it('two instances on one schema share the vault: a token enrolled through one is verified by the other', async () => {
    const store = await freshStore(db());
    const kek = testKek(3);
    // Each instance builds its own vault and key provider from the same key, as two processes would.
    const one = harness(people, { store, vault: await migratedVault(db().pool, store.schema, localKeyProvider([{ key: kek }])) }, 1);
    const other = harness(people, { store, vault: await migratedVault(db().pool, store.schema, localKeyProvider([{ key: kek }])) }, 2);
    await configure(one, CO, 5);
    const { app } = await activeToken(one, admin, bo);
    other.clock.set(one.clock.now() + 30_000);
    const verified = await other.sdk.dispatch({ commandId: 'verify-on-other', actor: bo, type: 'VerifyOtp', otp: app.code(other.clock.now()) })();
    expect(verified._tag).toBe('Right');
    // And a wrong code is refused there as a mismatch, not as a vault failure.
    other.clock.advance(30_000);
    const wrong = String((Number(app.code(other.clock.now())) + 1) % 1_000_000).padStart(6, '0');
    expect(await other.sdk.dispatch({ commandId: 'verify-wrong', actor: bo, type: 'VerifyOtp', otp: wrong })()).toMatchObject({ left: { _tag: 'OtpRejected' } });
  });

  it('the table dumped whole holds no seed, activation code or key in any encoding', async () => {
    const store = await freshStore(db());
    const kek = testKek(4);
    const world = harness(people, { store, vault: await migratedVault(db().pool, store.schema, localKeyProvider([{ key: kek }])) }, 3);
    await configure(world, CO, 5);
    const { app } = await activeToken(world, admin, bo);
    // cy's activation code waits in the vault, not yet used.
    const requested = output<RequestTokenAssignmentOutput>(await world.ok(admin, { type: 'RequestTokenAssignment', userId: 'cy' }));
    await world.ok(admin, { type: 'ConfirmTokenAssignment', serial: requested.serial });
    const code = world.deliveredCode(requested.serial);

    const table = vaultTable(store.schema);
    const text = await db().pool.query({ text: `SELECT t::text FROM ${table} t`, values: [], rowMode: 'array' });
    const raw = await db().pool.query({ text: `SELECT wrapped_key, ciphertext, encode(wrapped_key, 'base64'), encode(ciphertext, 'escape') FROM ${table}`, values: [], rowMode: 'array' });
    expect(text.rows.length).toBe(2);
    const dump = JSON.stringify([text.rows, raw.rows.map((row) => (row as readonly unknown[]).slice(2))]);
    const bytes = Buffer.concat((raw.rows as readonly (readonly unknown[])[]).flatMap((row) => [row[0] as Uint8Array, row[1] as Uint8Array]));

    const seed = app.seed();
    const codeBytes = new TextEncoder().encode(code.replaceAll('-', ''));
    for (const secret of [seed, kek, codeBytes]) {
      for (const encoded of encodings(secret)) expect(dump.includes(encoded)).toBe(false);
      // Any 8 consecutive bytes of the secret, raw, in the stored columns.
      for (let index = 0; index + 8 <= secret.length; index++) expect(bytes.includes(Buffer.from(secret.subarray(index, index + 8)))).toBe(false);
    }
    expect(dump).not.toContain(code);
    expect(dump).not.toContain(code.replaceAll('-', ''));
    // The scan finds what it looks for: the seed, sealed by hand without encryption, would be caught.
    expect(encodings(seed).some((encoded) => JSON.stringify([Buffer.from(seed).toString('hex')]).includes(encoded))).toBe(true);
    expect(dumpHolds(raw.rows, [seed, kek, codeBytes])).toBe(false);
    for (const shown of [[Buffer.from(seed).toString('base64')], [Buffer.concat([Buffer.from([1, 2]), Buffer.from(seed.subarray(4, 12))])], { at: encodeBase32(kek) }]) {
      expect(dumpHolds(shown, [seed, kek])).toBe(true);
    }
  });
});
