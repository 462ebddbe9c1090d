/**
 * The PostgreSQL secret vault, in one run:
 *
 * 1. its `get` against a bare `SELECT` of the same row through the same pool (one connection, a
 *    prepared statement): what envelope decryption (unwrap the data key under the KEK, open the
 *    secret, both AES-256-GCM) adds to a read. Target: at most 1.2x.
 * 2. a built-in-engine OTP verification (`builtInOtpEngine(vault).verify`, TOTP SHA-1, a window of
 *    three steps) through this vault, against the same through a vault that reads the seed in
 *    clear from a table of the same shape (same round trip, no cryptography: target at most 1.2x),
 *    and against the in-memory vault (no round trip at all: the ratio is what the database costs,
 *    printed for information; no target can hold it).
 *
 * Contenders take turns call by call within each round (A, B, C, B, C, A, …); a ratio is the median of
 * the per-round ratios, with the middle half of them as the spread. Needs DATABASE_URL (default
 * postgres://postgres@127.0.0.1:5432/test); the schema is dropped at the end.
 */
import pg from 'pg';
import { builtInOtpEngine } from '../src/otp/built-in-engine.js';
import { defaultOtpParameters } from '../src/otp/engine.js';
import type { OtpEngine } from '../src/otp/engine.js';
import { totp } from '../src/otp/totp.js';
import { inMemorySecretVault } from '../src/ports/in-memory-secret-vault.js';
import type { SecretVault } from '../src/ports/secret-vault.js';
import { localKeyProvider } from '../src/postgres/local-key-provider.js';
import { postgresSecretVault } from '../src/postgres/secret-vault.js';

const url = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const ROUNDS = Number(process.env['BENCH_VAULT_ROUNDS'] ?? 21);
const PER_ROUND = Number(process.env['BENCH_VAULT_READS'] ?? 200);
const TARGET = 1.2;
const schema = `bench_vault_${Math.random().toString(36).slice(2, 8)}`;
const pool = new pg.Pool({ connectionString: url, max: 1 });
pool.on('error', () => undefined);

const quantile = (values: readonly number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};

interface Contender {
  readonly name: string;
  readonly call: (index: number) => Promise<unknown>;
}

/**
 * Microseconds per call of each contender, one sample per round. Within a round the contenders
 * take turns call by call (the order turning each call), so a burst of load on this shared
 * machine falls on all of them alike.
 */
const race = async (contenders: readonly Contender[]): Promise<Map<string, number[]>> => {
  const samples = new Map<string, number[]>(contenders.map((contender) => [contender.name, []]));
  for (let round = -2; round < ROUNDS; round++) {
    const spent = contenders.map(() => 0);
    for (let index = 0; index < PER_ROUND; index++) {
      for (let turn = 0; turn < contenders.length; turn++) {
        const at = (turn + index) % contenders.length;
        const start = performance.now();
        await (contenders[at] as Contender).call(index);
        spent[at] = (spent[at] ?? 0) + performance.now() - start;
      }
    }
    // The first two rounds warm up.
    if (round >= 0) for (const [at, contender] of contenders.entries()) samples.get(contender.name)?.push(((spent[at] ?? 0) * 1000) / PER_ROUND);
  }
  return samples;
};

const report = (samples: Map<string, number[]>, subject: string, base: string, target: number | undefined): void => {
  const of = (name: string): number[] => samples.get(name) ?? [];
  const ratios = of(subject).map((micros, round) => micros / (of(base)[round] ?? Number.NaN));
  const ratio = quantile(ratios, 0.5);
  const verdict = target === undefined ? 'for information, no target' : `target <= ${target.toFixed(2)}x: ${ratio <= target ? 'met' : 'NOT met'}`;
  console.log(`  ${subject}: ${quantile(of(subject), 0.5).toFixed(1)} µs/call; ${base}: ${quantile(of(base), 0.5).toFixed(1)} µs/call`);
  console.log(`  ratio ${subject} / ${base}: ${ratio.toFixed(2)}x (middle half ${quantile(ratios, 0.25).toFixed(2)}–${quantile(ratios, 0.75).toFixed(2)}; ${verdict})`);
};

const main = async (): Promise<void> => {
  const vault = postgresSecretVault(pool, { schema, keys: localKeyProvider([{ key: globalThis.crypto.getRandomValues(new Uint8Array(32)) }]) });
  const migrated = await vault.migrate()();
  if (migrated._tag === 'Left') throw new Error(migrated.left.message);
  const refs = Array.from({ length: 100 }, (_, index) => `seed-bench-${String(index)}`);
  const seeds = refs.map(() => globalThis.crypto.getRandomValues(new Uint8Array(20)));
  const memory = inMemorySecretVault();
  await pool.query(`CREATE TABLE "${schema}".plain_seeds (ref text COLLATE "C" PRIMARY KEY, seed bytea NOT NULL)`);
  for (const [index, ref] of refs.entries()) {
    const seed = seeds[index] as Uint8Array;
    await vault.put(ref, seed);
    void memory.put(ref, seed);
    await pool.query(`INSERT INTO "${schema}".plain_seeds VALUES ($1, $2)`, [ref, Buffer.from(seed)]);
  }
  const bare = { name: 'bench_vault_bare_select', text: `SELECT format, key_id, wrapped_key, ciphertext FROM "${schema}".secret_vault WHERE ref = $1`, rowMode: 'array' as const };
  const plainSelect = { name: 'bench_vault_plain_seed', text: `SELECT seed FROM "${schema}".plain_seeds WHERE ref = $1`, rowMode: 'array' as const };
  // A vault that keeps seeds in clear: the same round trip as the real one, without its cryptography.
  const plainVault: SecretVault = {
    put: () => undefined,
    get: async (ref) => {
      const { rows } = await pool.query({ ...plainSelect, values: [ref] });
      const row = rows[0] as readonly Buffer[] | undefined;
      return row?.[0] === undefined ? undefined : new Uint8Array(row[0]);
    },
    destroy: () => undefined,
  };

  const refOf = (index: number): string => refs[index % refs.length] ?? '';
  console.log(`1. a secret's read (${String(ROUNDS)} rounds of ${String(PER_ROUND)} reads each)`);
  report(
    await race([
      { name: 'vault get', call: (index) => Promise.resolve(vault.get(refOf(index))) },
      { name: 'bare SELECT', call: (index) => pool.query({ ...bare, values: [refOf(index)] }) },
    ]),
    'vault get',
    'bare SELECT',
    TARGET,
  );

  const now = Date.now();
  const verifier = (engine: OtpEngine) => (index: number) => {
    const at = index % refs.length;
    return Promise.resolve(
      engine.verify({ serial: `S${String(at)}`, seedRef: refOf(at), parameters: defaultOtpParameters, code: totp(seeds[at] as Uint8Array, now), timeMs: now }),
    );
  };
  console.log(`\n2. a built-in-engine TOTP verification (${String(ROUNDS)} rounds of ${String(PER_ROUND)} each)`);
  const otp = await race([
    { name: 'verify via PostgreSQL vault', call: verifier(builtInOtpEngine(vault)) },
    { name: 'verify via plain-table vault', call: verifier(builtInOtpEngine(plainVault)) },
    { name: 'verify via in-memory vault', call: verifier(builtInOtpEngine(memory)) },
  ]);
  report(otp, 'verify via PostgreSQL vault', 'verify via plain-table vault', TARGET);
  report(otp, 'verify via PostgreSQL vault', 'verify via in-memory vault', undefined);
};

try {
  await main();
} finally {
  await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await pool.end();
}
