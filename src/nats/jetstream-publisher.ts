import type { JetStreamClient } from '@nats-io/jetstream';
import { headers } from '@nats-io/nats-core';
import type { Publisher } from '../relay/publisher.js';

/** How {@link natsJetStreamPublisher} publishes. */
export interface NatsJetStreamPublisherOptions {
  /** Milliseconds to wait for the stream's acknowledgement (default: the client's, 5 s). */
  readonly timeoutMs?: number;
}

/** A NATS header value ends at a line break: one inside a host's correlation id would cut it short. */
const headerValue = (value: string): string => value.replace(/[\r\n]/g, ' ');

/**
 * The relay's {@link Publisher} on NATS JetStream: each message to its subject with the event id
 * as `Nats-Msg-Id` (the stream drops a resend within its duplicate window, 2 minutes by default),
 * the relay's headers, and the stored event as JSON body. It resolves once the stream stored the
 * message (its PubAck); the subject must belong to a stream, or the publish fails.
 */
export const natsJetStreamPublisher = (js: JetStreamClient, options: NatsJetStreamPublisherOptions = {}): Publisher => ({
  publish: async (message) => {
    const natsHeaders = headers();
    for (const [name, value] of Object.entries(message.headers)) natsHeaders.set(name, headerValue(value));
    const ack = await js.publish(message.subject, message.body, {
      msgID: message.id,
      headers: natsHeaders,
      ...(options.timeoutMs === undefined ? {} : { timeout: options.timeoutMs }),
    });
    return { duplicate: ack.duplicate };
  },
});
