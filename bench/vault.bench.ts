/**
 * The PostgreSQL secret vault's `get` against a bare `SELECT` of the same row through the same
 * pool (one connection, a prepared statement): what envelope decryption (unwrap the data key,
 * open the secret, both AES-256-GCM through WebCrypto) adds to a read. Interleaved call by call,
 * so a busy machine disturbs both alike. Target: at most 1.2x. Needs DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/test); the schema is dropped at the end.
 */
import pg from 'pg';
import { localKeyProvider } from '../src/ports/local-key-provider.js';
import { postgresSecretVault } from '../src/postgres/secret-vault.js';

const url = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const rounds = Number(process.env['BENCH_VAULT_READS'] ?? 5_000);
const schema = `bench_vault_${Math.random().toString(36).slice(2, 8)}`;
const pool = new pg.Pool({ connectionString: url, max: 1 });
pool.on('error', () => undefined);

const main = async (): Promise<void> => {
  const vault = postgresSecretVault(pool, { schema, keys: localKeyProvider([{ key: globalThis.crypto.getRandomValues(new Uint8Array(32)) }]) });
  const migrated = await vault.migrate()();
  if (migrated._tag === 'Left') throw new Error(migrated.left.message);
  const refs = Array.from({ length: 100 }, (_, index) => `seed-bench-${String(index)}`);
  for (const ref of refs) await vault.put(ref, globalThis.crypto.getRandomValues(new Uint8Array(20)));
  const bare = { name: 'bench_vault_bare_select', text: `SELECT format, key_id, wrapped_key, ciphertext FROM "${schema}".secret_vault WHERE ref = $1`, rowMode: 'array' as const };

  let vaultMs = 0;
  let bareMs = 0;
  for (let round = -200; round < rounds; round++) {
    const ref = refs[(round + 200) % refs.length] ?? '';
    const first = round % 2 === 0;
    // Both orders, alternately, so neither always runs on a warmer connection.
    for (const which of first ? ['vault', 'bare'] : ['bare', 'vault']) {
      const start = performance.now();
      if (which === 'vault') await vault.get(ref);
      else await pool.query({ ...bare, values: [ref] });
      const took = performance.now() - start;
      if (round < 0) continue; // warm-up
      if (which === 'vault') vaultMs += took;
      else bareMs += took;
    }
  }
  const ratio = vaultMs / bareMs;
  console.log(`vault get: ${(vaultMs * 1000 / rounds).toFixed(1)} µs/read; bare SELECT: ${(bareMs * 1000 / rounds).toFixed(1)} µs/read (${String(rounds)} reads each)`);
  console.log(`ratio vault/bare: ${ratio.toFixed(2)}x (target <= 1.20x: ${ratio <= 1.2 ? 'met' : 'NOT met'})`);
};

try {
  await main();
} finally {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
}
