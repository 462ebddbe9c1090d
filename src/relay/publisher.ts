import type { StoredEvent } from '../events/envelope.js';

/**
 * One committed event on its way to a broker: where it goes, the headers it carries and its body
 * (the stored event as JSON). Brokers that deduplicate use `id`, the event id.
 */
export interface RelayMessage {
  /** Where the broker files it (a NATS subject, a Kafka topic, ...). */
  readonly subject: string;
  /** The event id: the message id a broker deduplicates by. */
  readonly id: string;
  /** Type, schema version, stream, position, correlation and causation ids. */
  readonly headers: Readonly<Record<string, string>>;
  /** The stored event as JSON, exactly as the store holds it. */
  readonly body: string;
  /** The event itself, for publishers that want more than the body. */
  readonly event: StoredEvent;
}

/** What a broker said after it stored a message. `duplicate`: it had it already (a resend after a crash). */
export interface PublishAck {
  readonly duplicate: boolean;
}

/**
 * The port a broker plugs into. `publish` resolves only once the broker has stored the message;
 * a rejection stops the relay before its checkpoint moves, so the message is sent again.
 */
export interface Publisher {
  /** Resolves with the broker's acknowledgement once it stored the message; rejects when it did not. */
  readonly publish: (message: RelayMessage) => Promise<PublishAck>;
}
