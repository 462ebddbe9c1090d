import { afterAll, beforeAll, describe, it } from 'vitest';
import { eventStoreContract } from '../../src/testing/event-store-contract.js';
import { freshStore, openTestDatabase } from './support/database.js';
import type { TestDatabase } from './support/database.js';

let db: TestDatabase | undefined;
const database = async (): Promise<TestDatabase> => (db ??= await openTestDatabase(8));
beforeAll(database);
afterAll(async () => {
  await db?.close();
});

// The kernel's contract suite, unchanged: each test gets a fresh, migrated schema.
eventStoreContract(`PostgreSQL (${process.env['DATABASE_URL'] === undefined ? 'embedded PGlite' : 'DATABASE_URL'})`, async () => freshStore(await database()), { describe, it });
