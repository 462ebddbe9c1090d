/**
 * `dispatch` with OpenTelemetry configured against the same SDK without it, in one run
 * (`npm run bench -- observability`). Target (issue 19): configured at most 1.05x the time.
 *
 * Configured: `openTelemetryInstrumentation` over the real OpenTelemetry SDK: a BasicTracerProvider
 * with a BatchSpanProcessor into an exporter that drops what it is given (the "no-op exporter"),
 * and a MeterProvider with a reader that is never collected (the instruments aggregate as in
 * production). Every dispatch is a VerifyOtp with the owner's current code: a dispatch span, the
 * OTP verification and the store append as children, the command counter and duration histogram,
 * the OTP counter and the inline projections' lag.
 *
 * Two worlds set up the same way run batches in interleaved rounds (A then B, B then A, ...); a
 * round's ratio is configured / plain over batches run moments apart, the result is the median of
 * the rounds' ratios with the middle half printed as the spread. Both on the in-memory store (the
 * cheapest dispatch, where the spans' fixed cost weighs most) and on PostgreSQL (DATABASE_URL,
 * default postgres://postgres@127.0.0.1:5432/test, a schema per world, dropped at the end; what a
 * bank runs). The time ratio is the verdict; the CPU ratio (this process only) is steadier on a
 * shared machine. Always exits 0.
 */
import { ExportResultCode } from '@opentelemetry/core';
import { MeterProvider, MetricReader } from '@opentelemetry/sdk-metrics';
import { BasicTracerProvider, BatchSpanProcessor, type SpanExporter } from '@opentelemetry/sdk-trace-base';
import pg from 'pg';
import { openTelemetryInstrumentation } from '../src/otel/index.js';
import { postgresEventStore } from '../src/postgres/event-store.js';
import type { EventStore } from '../src/store/event-store.js';
import type { SdkConfig } from '../src/sdk/create-sdk.js';
import { activeToken, configure } from '../test/sdk/fixtures.js';
import { harness, person, STEP, user } from '../test/sdk/harness.js';

const scale = Number(process.env['BENCH_SCALE'] ?? '1');
const ROUNDS = Math.max(5, Math.round(15 * scale));
const BATCH = 100;
const TARGET = 1.05;
const CO = 'acme';
const USERS = 8;

const dropping: SpanExporter = {
  export: (_spans, done) => {
    done({ code: ExportResultCode.SUCCESS });
  },
  shutdown: () => Promise.resolve(),
};

/** Never collected: the instruments aggregate, nothing is read. */
class IdleReader extends MetricReader {
  protected override onForceFlush(): Promise<void> {
    return Promise.resolve();
  }
  protected override onShutdown(): Promise<void> {
    return Promise.resolve();
  }
}

/** One batch's time: wall clock, and this process's CPU (steadier on a shared machine; a database's time is not in it). */
interface Batch {
  readonly wallMs: number;
  readonly cpuMs: number;
}

const people = Array.from({ length: USERS }, (_, index) => person(CO, `u${String(index)}`, { isCompanyAdmin: index === 0 }));

/** A company with USERS active soft tokens, and a batch of VerifyOtp dispatches over them. */
const world = async (config: Partial<SdkConfig>): Promise<() => Promise<Batch>> => {
  const built = harness(people, config);
  await configure(built, CO, USERS);
  const admin = user(CO, 'u0');
  const adminToken = await activeToken(built, admin, admin);
  const tokens = [{ who: admin, app: adminToken.app }];
  for (let index = 1; index < USERS; index++) {
    const owner = user(CO, `u${String(index)}`);
    tokens.push({ who: owner, app: (await activeToken(built, admin, owner, adminToken.app)).app });
  }
  /** BATCH dispatches, each user confirming with their current code (the clock steps a period every USERS dispatches). */
  return async (): Promise<Batch> => {
    let wallMs = 0;
    let cpuMs = 0;
    for (let index = 0; index < BATCH; index++) {
      const token = tokens[index % USERS]!;
      if (index % USERS === 0) built.clock.advance(STEP);
      const code = token.app.code(built.clock.now());
      const started = performance.now();
      const cpu = process.cpuUsage();
      const result = await built.send(token.who, { type: 'VerifyOtp', otp: code });
      const used = process.cpuUsage(cpu);
      wallMs += performance.now() - started;
      cpuMs += (used.user + used.system) / 1000;
      if (result._tag === 'Left') throw new Error(`VerifyOtp failed: ${result.left.code}`);
    }
    return { wallMs, cpuMs };
  };
};

const tracerProvider = new BasicTracerProvider({ spanProcessors: [new BatchSpanProcessor(dropping)] });
const meterProvider = new MeterProvider({ readers: [new IdleReader()] });
const instrumentation = openTelemetryInstrumentation({ tracerProvider, meterProvider });

const sorted = (values: readonly number[]): number[] => [...values].sort((a, b) => a - b);
const quantile = (values: readonly number[], fraction: number): number => {
  const ordered = sorted(values);
  return ordered[Math.min(ordered.length - 1, Math.floor(fraction * ordered.length))] ?? Number.NaN;
};
const describe = (ratios: readonly number[]): string => `${quantile(ratios, 0.5).toFixed(3)}x (middle half ${quantile(ratios, 0.25).toFixed(3)}-${quantile(ratios, 0.75).toFixed(3)})`;

/** Interleaved rounds of the two worlds on one kind of store; prints the table and the ratios. */
const compare = async (label: string, storeOf: () => Promise<EventStore | undefined>): Promise<void> => {
  const plainStore = await storeOf();
  const observedStore = await storeOf();
  const plain = await world(plainStore === undefined ? {} : { store: plainStore });
  const observed = await world(observedStore === undefined ? { instrumentation } : { store: observedStore, instrumentation });
  // Warm both up (JIT, snapshots) before measuring.
  await plain();
  await observed();
  const wall: number[] = [];
  const cpu: number[] = [];
  const rows: Record<string, string | number>[] = [];
  for (let round = 0; round < ROUNDS; round++) {
    const [a, b] = round % 2 === 0 ? [await plain(), await observed()] : [await observed(), await plain()].reverse();
    if (a === undefined || b === undefined) throw new Error('a batch did not run');
    wall.push(b.wallMs / a.wallMs);
    cpu.push(b.cpuMs / a.cpuMs);
    rows.push({ round, 'plain ms/dispatch': (a.wallMs / BATCH).toFixed(3), 'otel ms/dispatch': (b.wallMs / BATCH).toFixed(3), 'wall ratio': (b.wallMs / a.wallMs).toFixed(3), 'cpu ratio': (b.cpuMs / a.cpuMs).toFixed(3) });
  }
  console.log(`\n${label}`);
  console.table(rows);
  const median = quantile(wall, 0.5);
  console.log(
    `${label}: dispatch with OpenTelemetry configured / not configured, ${String(ROUNDS)} interleaved rounds of ${String(BATCH)} VerifyOtp: ` +
      `time ${describe(wall)}, CPU ${describe(cpu)}; target <= ${TARGET.toFixed(2)}x: ${median <= TARGET ? 'OK' : 'ABOVE TARGET'}`,
  );
};

await compare('in-memory store (the cheapest dispatch there is: the fixed cost of the spans shows most)', () => Promise.resolve(undefined));

const url = process.env['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
const pool = new pg.Pool({ connectionString: url, max: 4 });
pool.on('error', () => undefined);
const schemas: string[] = [];
try {
  await pool.query('SELECT 1');
  await compare('PostgreSQL store', async () => {
    const schema = `bench_otel_${Math.random().toString(36).slice(2, 8)}`;
    schemas.push(schema);
    const store = postgresEventStore(pool, { schema });
    const migrated = await store.migrate()();
    if (migrated._tag === 'Left') throw new Error(migrated.left.message);
    return store;
  });
} catch (cause) {
  console.log(`PostgreSQL arm skipped: ${cause instanceof Error ? cause.message : 'unknown'}`);
} finally {
  for (const schema of schemas) await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await pool.end();
  await tracerProvider.shutdown();
  await meterProvider.shutdown();
}
