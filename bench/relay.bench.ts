/**
 * The outbox relay on the real NATS server (NATS_URL, default nats://127.0.0.1:4222, JetStream on)
 * against a bare JetStream publish loop of the same messages, in the same run: each publishes the
 * same events one at a time, awaiting each PubAck, to a fresh stream of its own. The relay also
 * reads the store in batches, routes each event and saves its checkpoint per batch. Prints events
 * per second and the ratio (target: the relay at >= 0.8x the bare loop).
 * `BENCH_SCALE=0.1 npm run bench -- relay` runs a tenth of the work.
 */
import { randomBytes } from 'node:crypto';
import { jetstream, jetstreamManager } from '@nats-io/jetstream';
import { headers, nanos } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import { isLeft } from 'fp-ts/lib/Either.js';
import { natsJetStreamPublisher } from '../src/nats/index.js';
import { inMemoryCheckpointStore } from '../src/projections/in-memory-checkpoint-store.js';
import { allEvents, runRelay } from '../src/relay/index.js';
import { inMemoryEventStore } from '../src/store/in-memory-event-store.js';
import { appendBulk, everyEvent } from '../test/relay/support/bulk.js';

const scale = Number(process.env['BENCH_SCALE'] ?? '1');
const count = Math.max(100, Math.round(5_000 * scale));
const url = process.env['NATS_URL'] ?? 'nats://127.0.0.1:4222';

const connection = await connect({ servers: url }).catch((cause: unknown) => {
  console.log(`relay bench skipped: no NATS server at ${url} (${cause instanceof Error ? cause.message : 'unknown'})`);
  process.exit(0);
});
const manager = await jetstreamManager(connection);
const js = jetstream(connection);
const streams: string[] = [];
const freshStream = async (): Promise<string> => {
  const suffix = randomBytes(6).toString('hex');
  await manager.streams.add({ name: `SOFTTOKEN_BENCH_${suffix}`, subjects: [`st_bench_${suffix}.>`], duplicate_window: nanos(120_000) });
  streams.push(`SOFTTOKEN_BENCH_${suffix}`);
  return `st_bench_${suffix}`;
};

const store = inMemoryEventStore();
await appendBulk(store, count, 64, 50);
const events = await everyEvent(store);

/** The bare loop: the same subjects, bodies, ids and headers, built before the clock starts. */
const bare = async (): Promise<number> => {
  const route = allEvents(await freshStream());
  const messages = events.flatMap((event) => {
    const message = route(event);
    return message === undefined ? [] : [message];
  });
  const start = performance.now();
  for (const message of messages) {
    const natsHeaders = headers();
    for (const [name, value] of Object.entries(message.headers)) natsHeaders.set(name, value);
    await js.publish(message.subject, message.body, { msgID: message.id, headers: natsHeaders });
  }
  return performance.now() - start;
};

const relay = async (): Promise<number> => {
  const route = allEvents(await freshStream());
  const start = performance.now();
  const run = await runRelay(store, inMemoryCheckpointStore(), natsJetStreamPublisher(js), { route, batchSize: 500 })();
  const took = performance.now() - start;
  if (isLeft(run)) throw new Error(`relay failed: ${run.left.message}`);
  if (!run.right.owned || run.right.published !== events.length) throw new Error('relay did not publish every event');
  return took;
};

try {
  // Paired rounds in alternating order, and the median of the pairs' ratios: on a shared machine
  // the load changes within seconds, and a pair sees the same load.
  const rounds = 6;
  const pairs: { bare: number; relay: number }[] = [];
  for (let round = 0; round < rounds; round++) {
    if (round % 2 === 0) {
      const bareMs = await bare();
      pairs.push({ bare: bareMs, relay: await relay() });
    } else {
      const relayMs = await relay();
      pairs.push({ bare: await bare(), relay: relayMs });
    }
  }
  const median = (values: readonly number[]): number => {
    const sorted = [...values].sort((a, b) => a - b);
    const middle = Math.floor(sorted.length / 2);
    return sorted.length % 2 === 1 ? (sorted[middle] ?? 0) : ((sorted[middle - 1] ?? 0) + (sorted[middle] ?? 0)) / 2;
  };
  const perSecond = (ms: number): number => Math.round((events.length / ms) * 1000);
  const ratio = median(pairs.map((pair) => pair.bare / pair.relay));
  console.table(pairs.map((pair, round) => ({ round, 'bare events/s': perSecond(pair.bare), 'relay events/s': perSecond(pair.relay), ratio: (pair.bare / pair.relay).toFixed(2) })));
  console.log(`relay / bare throughput, median of ${String(rounds)} paired rounds of ${String(events.length)} events: ${ratio.toFixed(2)}x (target >= 0.80x) ${ratio >= 0.8 ? 'OK' : 'BELOW TARGET'}`);
} finally {
  for (const name of streams) await manager.streams.delete(name);
  await connection.close();
}
