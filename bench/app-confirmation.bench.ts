/**
 * Confirming a command with an app signature (issue 15) against confirming it with a typed TOTP
 * code, both through `dispatch`, in the same run (`npm run bench -- app-confirmation`).
 *
 * The command is `ReissueActivationCode` of an assigned token by its company admin: a sensitive
 * command that may follow itself, so every round confirms the same work. The signature path
 * dispatches the command carrying `{ challengeId, signature }`; the challenge was requested and
 * signed by the phone before (a separate round trip, like the user typing a code: not timed, and
 * printed apart). Code and signature alternate round by round on the same clock; each round moves
 * the clock one TOTP step so every code is fresh.
 *
 * - In memory, one client: median time per command of each, their ratio (median of per-round
 *   ratios, middle half beside it), and the share of the signature path spent in the ECDSA
 *   verification itself (WebCrypto, key imported once).
 * - PostgreSQL, 8 clients: 8 companies, each with its admin, confirm at once; the time of each
 *   batch of 8, signature against code. Target: at most 1.3x. Needs DATABASE_URL (default
 *   postgres://postgres@127.0.0.1:5432/test); the schema is dropped at the end.
 *
 * Always exits 0: a missed target is reported, not a failure.
 */
import * as E from 'fp-ts/lib/Either.js';
import pg from 'pg';
import { fromBase64Url } from '../src/activation/v2/bytes.js';
import { confirmationMessage } from '../src/activation/v2/confirmation-message.js';
import { verifySignature } from '../src/activation/v2/p256.js';
import { postgresEventStore } from '../src/postgres/event-store.js';
import type { SdkConfig } from '../src/sdk/create-sdk.js';
import { harness, output, STEP, user } from '../test/sdk/harness.js';
import { confirmByApp, enrolCompany, people } from '../test/token/app-world.js';

const IN_MEMORY_ROUNDS = Number(process.env['BENCH_APP_ROUNDS'] ?? 300);
const POSTGRES_ROUNDS = Number(process.env['BENCH_APP_PG_ROUNDS'] ?? 40);
const CLIENTS = 8;

const quantile = (values: readonly number[], q: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? Number.NaN;
};
const median = (values: readonly number[]): number => quantile(values, 0.5);
const spread = (values: readonly number[]): string => `middle half ${quantile(values, 0.25).toFixed(2)}–${quantile(values, 0.75).toFixed(2)}`;

/** A world of `companies` companies, each with an admin confirming by app and an assigned token to reissue. */
const world = async (companies: number, config: Partial<SdkConfig>) => {
  const names = Array.from({ length: companies }, (_, index) => `co${String(index)}`);
  const base = harness(names.flatMap(people), config);
  const clients = [];
  for (const company of names) {
    const enrolled = await enrolCompany(base, company);
    const admin = user(company, 'adm');
    const { serial } = output<{ readonly serial: string }>(await base.ok(user(company, 'bob'), { type: 'RequestTokenAssignment' }));
    const assign = { type: 'ConfirmTokenAssignment', serial };
    await base.ok(admin, { ...assign, confirmation: (await confirmByApp(base.send, admin, enrolled.adminPhone, assign)).confirmation });
    clients.push({ admin, phone: enrolled.adminPhone, adminSerial: enrolled.adminSerial, target: { type: 'ReissueActivationCode', serial } });
  }
  return { ...base, clients };
};

type World = Awaited<ReturnType<typeof world>>;
type Client = World['clients'][number];

const timed = async (work: () => Promise<unknown>): Promise<number> => {
  const start = performance.now();
  await work();
  return performance.now() - start;
};

const must = (result: E.Either<{ readonly message: string }, unknown>): void => {
  if (E.isLeft(result)) throw new Error(result.left.message);
};

/** One command confirmed with the admin's current code. */
const byCode = (w: World, client: Client) => async () => { must(await w.send(client.admin, { ...client.target, otp: client.phone.token.code(w.clock.now()) })); };

/** The challenge requested and signed (not timed), and the command that carries the signature. */
const bySignature = async (w: World, client: Client) => {
  const signed = await confirmByApp(w.send, client.admin, client.phone, client.target);
  return { signed, run: async () => { must(await w.send(client.admin, { ...client.target, confirmation: signed.confirmation })); } };
};

const inMemory = async (): Promise<void> => {
  const w = await world(1, {});
  const [client] = w.clients;
  if (client === undefined) return;
  const code: number[] = [];
  const signature: number[] = [];
  const verify: number[] = [];
  const request: number[] = [];
  const ratios: number[] = [];
  for (let round = -30; round < IN_MEMORY_ROUNDS; round++) {
    w.clock.advance(STEP);
    let prepared: Awaited<ReturnType<typeof bySignature>> | undefined;
    const requestMs = await timed(async () => {
      prepared = await bySignature(w, client);
    });
    if (prepared === undefined) throw new Error('no challenge');
    const { signed, run } = prepared;
    // Alternate the order so neither always runs second.
    const [first, second] = round % 2 === 0 ? [byCode(w, client), run] : [run, byCode(w, client)];
    const firstMs = await timed(first);
    w.clock.advance(STEP);
    const secondMs = await timed(second);
    const [codeMs, signatureMs] = round % 2 === 0 ? [firstMs, secondMs] : [secondMs, firstMs];
    const publicKey = client.phone.signingKey.publicKey;
    const message = confirmationMessage('approve', {
      serial: String(signed.challenge.serial),
      challengeId: String(signed.challenge.challengeId),
      challenge: String(signed.challenge.challenge),
      digest: String(signed.challenge.digest),
    });
    const bytes = fromBase64Url(signed.confirmation.signature, 64) ?? new Uint8Array(64);
    const verifyMs = await timed(() => verifySignature(publicKey, 'bench-key', message, bytes));
    if (round < 0) continue;
    code.push(codeMs);
    signature.push(signatureMs);
    verify.push(verifyMs);
    request.push(requestMs);
    ratios.push(signatureMs / codeMs);
  }
  console.log(`in memory, 1 client, ${String(IN_MEMORY_ROUNDS)} rounds`);
  console.log(`  typed TOTP code:  ${median(code).toFixed(3)} ms/command (${spread(code)})`);
  console.log(`  app signature:    ${median(signature).toFixed(3)} ms/command (${spread(signature)})`);
  console.log(`  ratio signature/code: ${median(ratios).toFixed(2)}x (${spread(ratios)})`);
  console.log(`  share of the signature path verifying the ECDSA signature: ${((100 * median(verify)) / median(signature)).toFixed(0)}% (${median(verify).toFixed(3)} ms)`);
  console.log(`  not timed above: RequestConfirmation + the phone's signing, ${median(request).toFixed(3)} ms`);
};

const onPostgres = async (): Promise<void> => {
  const url = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
  const schema = `bench_app_${Math.random().toString(36).slice(2, 8)}`;
  const pool = new pg.Pool({ connectionString: url, max: CLIENTS });
  pool.on('error', () => undefined);
  try {
    const store = postgresEventStore(pool, { schema });
    must(await store.migrate()());
    const w = await world(CLIENTS, { store });
    const ratios: number[] = [];
    const code: number[] = [];
    const signature: number[] = [];
    for (let round = -5; round < POSTGRES_ROUNDS; round++) {
      w.clock.advance(STEP);
      const prepared = await Promise.all(w.clients.map((client) => bySignature(w, client)));
      const codes = () => Promise.all(w.clients.map((client) => byCode(w, client)()));
      const signatures = () => Promise.all(prepared.map(({ run }) => run()));
      const firstIsCode = round % 2 === 0;
      const firstMs = await timed(firstIsCode ? codes : signatures);
      w.clock.advance(STEP);
      const secondMs = await timed(firstIsCode ? signatures : codes);
      const [codeMs, signatureMs] = firstIsCode ? [firstMs, secondMs] : [secondMs, firstMs];
      if (round < 0) continue;
      code.push(codeMs / CLIENTS);
      signature.push(signatureMs / CLIENTS);
      ratios.push(signatureMs / codeMs);
    }
    const ratio = median(ratios);
    console.log(`PostgreSQL, ${String(CLIENTS)} clients at once, ${String(POSTGRES_ROUNDS)} rounds`);
    console.log(`  typed TOTP code:  ${median(code).toFixed(3)} ms/command (batch of ${String(CLIENTS)} / ${String(CLIENTS)})`);
    console.log(`  app signature:    ${median(signature).toFixed(3)} ms/command`);
    console.log(`  ratio signature/code: ${ratio.toFixed(2)}x (${spread(ratios)}) (target <= 1.30x: ${ratio <= 1.3 ? 'met' : 'NOT met'})`);
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await pool.end();
  }
};

await inMemory();
await onPostgres();
