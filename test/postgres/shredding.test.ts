import { describe, expect, it } from 'vitest';
import { postgresEventStore } from '../../src/postgres/event-store.js';
import { inMemorySecretVault } from '../../src/ports/in-memory-secret-vault.js';
import { activeToken, configure } from '../sdk/fixtures.js';
import { bank, harness, person, user } from '../sdk/harness.js';
import { announceSkip, databaseUrl, freshStore, needsServer, rightOf, useTestDatabase } from './support/database.js';
import { write } from './support/events.js';
import { holdTransaction } from './support/held-transaction.js';

announceSkip('shredding.test.ts');

describe.skipIf(databaseUrl === undefined)(`crypto-shredding on PostgreSQL while another instance's append is in flight (${databaseUrl === undefined ? needsServer : 'PostgreSQL'})`, () => {
  const url = databaseUrl ?? '';
  const db = useTestDatabase(2);

  it("destroys a deleted token's seed as soon as the delete is committed, though readAll cannot pass the other append yet", async () => {
    const store = await freshStore(db());
    const vault = inMemorySecretVault();
    const world = harness([person('acme', 'ada', { isCompanyAdmin: true }), person('acme', 'bo')], { store, vault });
    await configure(world, 'acme', 2);
    const token = await activeToken(world, user('acme', 'ada'), user('acme', 'bo'));
    const enrolled = rightOf(await store.readStream(`token-${token.serial}`)()).find((event) => event.type === 'DeviceEnrolled');
    const seedRef = (enrolled?.data as { seedRef: string }).seedRef;
    // Compared as a flag: an assertion message must not print a seed.
    const stored = async (): Promise<boolean> => (await vault.get(seedRef)) !== undefined;
    expect(await stored()).toBe(true);

    // Another instance's append has taken its position and not ended (it will fail: a conflict, say).
    const other = await holdTransaction(url);
    try {
      rightOf(await postgresEventStore(other.pool, { schema: store.schema }).append([write('order-1', 'no-stream', 'other-instance')])());
      await world.ok(bank, { type: 'DeleteToken', serial: token.serial });
      expect(await stored()).toBe(false);
    } finally {
      await other.rollback();
    }
    // Nothing else happens on this instance afterwards, and the seed is gone all the same.
    expect(await stored()).toBe(false);
  });
});
