/**
 * Importing a box of hardware tokens: one PSKC file (RFC 6030, every seed AES-128-CBC under a
 * pre-shared key with its HMAC-SHA1 MAC) of 10,000 tokens through `ImportPhysicalTokens`, in
 * tokens per second, in memory and on PostgreSQL (DATABASE_URL, default
 * postgres://postgres@127.0.0.1:5432/test; a fresh schema per round, dropped at the end).
 *
 * The peer is the SDK's own one-token command, `ImportPhysicalToken`, dispatched once per token
 * (a sample of BENCH_SINGLES tokens): what a bank would do without the bulk import. The two are
 * interleaved round by round, so a busy machine disturbs both alike. Target (issue 17): 10,000
 * tokens in one import succeed. `BENCH_TOKENS`, `BENCH_SINGLES`, `BENCH_ROUNDS` change the sizes.
 */
import { bytesToHex } from '@noble/hashes/utils.js';
import pg from 'pg';
import { encodeBase32 } from '../src/otp/base32.js';
import { inMemoryDirectory, type InMemoryDirectoryUser } from '../src/ports/in-memory-directory.js';
import { inMemorySecretVault } from '../src/ports/in-memory-secret-vault.js';
import { postgresEventStore } from '../src/postgres/event-store.js';
import { createSdk } from '../src/sdk/create-sdk.js';
import type { EventStore } from '../src/store/event-store.js';
import { inMemoryEventStore } from '../src/store/in-memory-event-store.js';
import { boxOfTokens, writePskc } from '../test/hardware-tokens/pskc-writer.js';

const url = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const tokens = Number(process.env['BENCH_TOKENS'] ?? 10_000);
const singles = Number(process.env['BENCH_SINGLES'] ?? 300);
const rounds = Number(process.env['BENCH_ROUNDS'] ?? 3);
const tag = Math.random().toString(36).slice(2, 8);
const bank = { kind: 'bank', operatorId: 'bench' } as const;
const psk = Uint8Array.from({ length: 16 }, (_, index) => index + 1);
const box = boxOfTokens(tokens);
const file = writePskc(box, { preSharedKey: psk });
const users: InMemoryDirectoryUser[] = Array.from({ length: singles }, (_, index) => ({
  companyId: 'acme',
  userId: `u${String(index)}`,
  displayName: `User ${String(index)}`,
  active: true,
  isCompanyAdmin: false,
  email: `u${String(index)}@acme.example`,
  mobile: '+573001234567',
}));

const pool = new pg.Pool({ connectionString: url, max: 8 });
pool.on('error', () => undefined);
const schemas: string[] = [];

type StoreKind = 'memory' | 'postgres';

const freshStore = async (kind: StoreKind): Promise<EventStore> => {
  if (kind === 'memory') return inMemoryEventStore();
  const schema = `bench_import_${tag}_${String(schemas.length)}`;
  schemas.push(schema);
  const store = postgresEventStore(pool, { schema });
  const migrated = await store.migrate()();
  if (migrated._tag === 'Left') throw new Error(migrated.left.message);
  return store;
};

const sdkOn = async (kind: StoreKind) => {
  const sdk = createSdk({ store: await freshStore(kind), directory: inMemoryDirectory(users), vault: inMemorySecretVault() });
  const configured = await sdk.dispatchJson({ type: 'ConfigureCompany', commandId: 'configure', actor: bank, companyId: 'acme', quota: 5 })();
  if (configured._tag === 'Left') throw new Error(configured.left.message);
  return sdk;
};

/** Tokens per second of one bulk import of the whole file. */
const bulk = async (kind: StoreKind): Promise<number> => {
  const sdk = await sdkOn(kind);
  const start = performance.now();
  const result = await sdk.dispatchJson({ type: 'ImportPhysicalTokens', commandId: 'import', actor: bank, companyId: 'acme', format: 'pskc', file, preSharedKey: bytesToHex(psk) })();
  const seconds = (performance.now() - start) / 1000;
  if (result._tag === 'Left') throw new Error(result.left.message);
  return tokens / seconds;
};

/** Tokens per second of one ImportPhysicalToken command per token. */
const oneByOne = async (kind: StoreKind): Promise<number> => {
  const sdk = await sdkOn(kind);
  const start = performance.now();
  for (const [index, token] of box.slice(0, singles).entries()) {
    const result = await sdk.dispatchJson({ type: 'ImportPhysicalToken', commandId: `single-${String(index)}`, actor: bank, companyId: 'acme', userId: `u${String(index)}`, serial: token.serial, seed: encodeBase32(token.seed) })();
    if (result._tag === 'Left') throw new Error(result.left.message);
  }
  return singles / ((performance.now() - start) / 1000);
};

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
};
const describe = (values: readonly number[]): string => `median ${median(values).toFixed(0)}/s (spread ${Math.min(...values).toFixed(0)}..${Math.max(...values).toFixed(0)})`;

const main = async (): Promise<void> => {
  console.log(`PSKC file of ${String(tokens)} encrypted tokens: ${(file.length / 1024 / 1024).toFixed(1)} MiB; ${String(rounds)} rounds, one-by-one sample ${String(singles)}`);
  for (const kind of ['memory', 'postgres'] as const) {
    const bulkRates: number[] = [];
    const singleRates: number[] = [];
    for (let round = 0; round < rounds; round++) {
      // Alternate which runs first, so neither always gets the warmer process.
      for (const which of round % 2 === 0 ? ['bulk', 'single'] : ['single', 'bulk']) {
        if (which === 'bulk') bulkRates.push(await bulk(kind));
        else singleRates.push(await oneByOne(kind));
      }
    }
    const ratio = median(bulkRates) / median(singleRates);
    console.log(`${kind.padEnd(8)} ImportPhysicalTokens (one file): ${describe(bulkRates)}`);
    console.log(`${kind.padEnd(8)} ImportPhysicalToken (per token): ${describe(singleRates)}`);
    console.log(`${kind.padEnd(8)} ratio bulk / one-by-one: ${ratio.toFixed(1)}x; target "10,000 tokens in one import": ${tokens >= 10_000 ? 'met' : `not measured (BENCH_TOKENS=${String(tokens)})`}`);
  }
};

main()
  .catch((error: unknown) => {
    console.error(error);
    process.exitCode = 1;
  })
  .finally(async () => {
    for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  });
