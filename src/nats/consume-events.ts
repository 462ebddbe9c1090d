import type { Consumer, ConsumeOptions, JsMsg } from '@nats-io/jetstream';
import type { Either } from 'fp-ts/lib/Either.js';
import { left, match, right } from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { infrastructureFrom } from '../errors/sdk-error.js';
import type { SdkError } from '../errors/sdk-error.js';
import type { StoredEvent } from '../events/envelope.js';
import { handleOnce } from '../relay/handle-once.js';
import type { SeenIds } from '../relay/seen-ids.js';
import { inMemorySeenIds } from '../relay/seen-ids.js';

/** How {@link consumeEvents} consumes. */
export interface ConsumeEventsOptions {
  /** The idempotency guard (default: in memory, so only within this process). */
  readonly seen?: SeenIds;
  /** Passed to the client's `consume` (batch size, heartbeats, ...). */
  readonly consume?: Partial<ConsumeOptions>;
  /** Told of every delivery the handler could not take (it is redelivered), and of bodies that are not events (dropped). */
  readonly onError?: (error: SdkError, message: JsMsg) => void;
}

/** What a consumer did until it was stopped. */
export interface ConsumeSummary {
  readonly handled: number;
  /** Deliveries of ids already handled: acknowledged without calling the handler. */
  readonly alreadyHandled: number;
  /** Deliveries the handler (or the guard) failed on: negatively acknowledged, so redelivered. */
  readonly failed: number;
  /** Bodies that were not relayed events: terminated, never redelivered. */
  readonly rejected: number;
}

/** A running consumer: `stop` ends it after the delivery in hand (unacknowledged ones come back later); `done` says what it did. */
export interface EventConsumer {
  /** Stops taking deliveries; what was delivered and not acknowledged comes back to the next consumer. */
  readonly stop: () => Promise<void>;
  /** Resolves when the consumer stopped: what it did, or why it failed. */
  readonly done: Promise<Either<SdkError, ConsumeSummary>>;
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The relayed event in a message body, or undefined when the body is not one. */
const eventOf = (message: JsMsg): StoredEvent | undefined => {
  try {
    const body: unknown = JSON.parse(message.string());
    if (!isRecord(body) || !isRecord(body['metadata']) || !isRecord(body['data'])) return undefined;
    const { eventId, type, streamId, globalPosition } = body;
    if (typeof eventId !== 'string' || typeof type !== 'string' || typeof streamId !== 'string' || typeof globalPosition !== 'number') return undefined;
    return body as unknown as StoredEvent;
  } catch {
    return undefined;
  }
};

/**
 * Hands every relayed event a JetStream consumer delivers to `handler`, at least once, and
 * through an idempotency guard by event id: an event whose id was handled is acknowledged without
 * calling the handler again. A delivery is acknowledged only after the handler resolved and its
 * id was recorded; one the handler rejects is negatively acknowledged and comes back.
 */
export const consumeEvents = (consumer: Consumer, handler: (event: StoredEvent) => Promise<void>, options: ConsumeEventsOptions = {}): EventConsumer => {
  const seen = options.seen ?? inMemorySeenIds();
  const tally = { handled: 0, alreadyHandled: 0, failed: 0, rejected: 0 };
  const life = { stopped: false };
  const messages = consumer.consume(options.consume);
  const done = (async (): Promise<Either<SdkError, ConsumeSummary>> => {
    try {
      for await (const message of await messages) {
        if (life.stopped) break;
        const event = eventOf(message);
        if (event === undefined) {
          tally.rejected++;
          options.onError?.(infrastructureFrom(`message ${String(message.seq)}`)(new Error('the body is not a relayed event')), message);
          message.term();
          continue;
        }
        pipe(
          await handleOnce(seen, event, handler),
          match(
            (error) => {
              tally.failed++;
              options.onError?.(error, message);
              message.nak();
            },
            (handled) => {
              if (handled === 'handled') tally.handled++;
              else tally.alreadyHandled++;
              message.ack();
            },
          ),
        );
      }
      return right({ ...tally });
    } catch (cause) {
      return left(infrastructureFrom('consume')(cause));
    }
  })();
  // Stops the delivery loop without waiting for it: a handler may call it, as a crashing host would.
  const stop = async (): Promise<void> => {
    life.stopped = true;
    try {
      (await messages).stop();
    } catch {
      // A consumer whose connection is gone has nothing left to stop.
    }
  };
  return { stop, done };
};
