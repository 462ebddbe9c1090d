import { randomBytes } from 'node:crypto';
import { AckPolicy, jetstream, jetstreamManager } from '@nats-io/jetstream';
import type { JetStreamClient, JsMsg } from '@nats-io/jetstream';
import { nanos } from '@nats-io/nats-core';
import { connect } from '@nats-io/transport-node';
import type { NatsConnection } from '@nats-io/transport-node';

/** The NATS server the broker tests run against: `NATS_URL` (`.ci/run` starts one and sets it). */
export const natsUrl = process.env['NATS_URL'] === '' ? undefined : process.env['NATS_URL'];

/** Why the broker tests did not run. */
export const needsNats = 'needs a NATS server with JetStream: set NATS_URL=nats://127.0.0.1:4222 (.ci/run starts one and sets it)';

/** Says on the console, when there is no server, that a file's tests are skipped and why. */
export const announceNatsSkip = (file: string): void => {
  if (natsUrl === undefined) console.warn(`[softtoken-sdk/nats] ${file}: SKIPPED, ${needsNats}`);
};

/** A JetStream stream of this run only: a random name and subject prefix, deleted by `close`. */
export interface TestStream {
  readonly name: string;
  /** Subjects `<prefix>.>` go to this stream. */
  readonly prefix: string;
}

export interface TestNats {
  readonly connection: NatsConnection;
  readonly js: JetStreamClient;
  readonly freshStream: () => Promise<TestStream>;
  /** A durable pull consumer on a stream, redelivering unacknowledged messages after `ackWaitMs`. */
  readonly durable: (stream: TestStream, name: string, ackWaitMs: number) => Promise<void>;
  /** Every message the stream holds, in stream order. */
  readonly messagesOf: (stream: TestStream) => Promise<JsMsg[]>;
  readonly close: () => Promise<void>;
}

export const openNats = async (): Promise<TestNats> => {
  const connection = await connect({ servers: natsUrl ?? '' });
  const manager = await jetstreamManager(connection);
  const js = jetstream(connection);
  const streams: string[] = [];
  return {
    connection,
    js,
    freshStream: async () => {
      const suffix = randomBytes(6).toString('hex');
      const stream = { name: `SOFTTOKEN_TEST_${suffix}`, prefix: `st_test_${suffix}` };
      await manager.streams.add({ name: stream.name, subjects: [`${stream.prefix}.>`], duplicate_window: nanos(120_000) });
      streams.push(stream.name);
      return stream;
    },
    durable: async (stream, name, ackWaitMs) => {
      await manager.consumers.add(stream.name, { durable_name: name, ack_policy: AckPolicy.Explicit, ack_wait: nanos(ackWaitMs), max_deliver: -1 });
    },
    messagesOf: async (stream) => {
      const info = await manager.streams.info(stream.name);
      const total = info.state.messages;
      const found: JsMsg[] = [];
      if (total === 0) return found;
      const consumer = await js.consumers.get(stream.name);
      const messages = await consumer.consume({ max_messages: 1_000 });
      for await (const message of messages) {
        found.push(message);
        if (found.length === total) break;
      }
      await messages.close();
      return found;
    },
    close: async () => {
      for (const name of streams) await manager.streams.delete(name);
      await connection.close();
    },
  };
};
