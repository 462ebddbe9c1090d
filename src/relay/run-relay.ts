import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { infrastructure, infrastructureFrom } from '../errors/sdk-error.js';
import type { SdkError } from '../errors/sdk-error.js';
import type { StoredEvent } from '../events/envelope.js';
import type { CheckpointStore } from '../projections/projection.js';
import type { EventStore, ReadAllOptions } from '../store/event-store.js';
import { pageThrough } from '../store/page-through.js';
import type { Publisher } from './publisher.js';
import type { Route } from './route.js';
import { allEvents } from './route.js';

/** How {@link runRelay} runs. */
export interface RelayOptions {
  /** Keys the checkpoint and the ownership: one relay of a name runs at a time (default `softtoken-relay`). */
  readonly name?: string;
  /** Which events go out, and as what (default: every event, by {@link allEvents}). */
  readonly route?: Route;
  /** Events read per `readAll` call, and so between two checkpoint saves (default 500). */
  readonly batchSize?: number;
  /** Stop after this many events even if more are there (default: run until caught up). */
  readonly maxEvents?: number;
}

/** What one run did. `owned: false`: another instance runs this relay. */
export type RelayRun =
  | {
      readonly owned: true;
      /** Global position of the last event relayed: the checkpoint. */
      readonly position: number;
      /** Events read and handled (published or skipped by the route). */
      readonly relayed: number;
      /** Messages the broker acknowledged, duplicates included. */
      readonly published: number;
      /** Of those, the ones the broker already had (sent again after a crash). */
      readonly duplicates: number;
      /** True when the run stopped because there was nothing more to read. */
      readonly caughtUp: boolean;
    }
  | { readonly owned: false };

export const DEFAULT_NAME = 'softtoken-relay';
const DEFAULT_BATCH = 500;

interface Tally {
  position: number;
  relayed: number;
  published: number;
  duplicates: number;
}

const positiveInteger = (value: number | undefined, field: string): SdkError | undefined =>
  value === undefined || (Number.isSafeInteger(value) && value > 0) ? undefined : infrastructure(`invalid options.${field}: it must be a positive integer`);

/** Publishes one batch in order; stops at the first failure with what got through before it. */
const publishBatch = async (publisher: Publisher, route: Route, events: readonly StoredEvent[], tally: Tally): Promise<SdkError | undefined> => {
  for (const event of events) {
    let message;
    try {
      message = route(event);
    } catch (cause) {
      return infrastructureFrom(`relay route at global position ${String(event.globalPosition)}`)(cause);
    }
    if (message !== undefined) {
      try {
        const ack = await publisher.publish(message);
        tally.published++;
        if (ack.duplicate) tally.duplicates++;
      } catch (cause) {
        return infrastructureFrom(`publish at global position ${String(event.globalPosition)}`)(cause);
      }
    }
    tally.position = event.globalPosition;
    tally.relayed++;
  }
  return undefined;
};

const relayLoop = (store: EventStore, checkpoints: CheckpointStore, publisher: Publisher, name: string, options: RelayOptions): TaskEither<SdkError, RelayRun> => {
  const batchSize = options.batchSize ?? DEFAULT_BATCH;
  const maxEvents = options.maxEvents ?? Number.POSITIVE_INFINITY;
  const route = options.route ?? allEvents();
  type Run = Tally & { readonly caughtUp: boolean };
  const save = (position: number): TaskEither<SdkError, void> => checkpoints.save(name, { position, state: null });
  const relayPage = (run: Run, page: readonly StoredEvent[], asked: ReadAllOptions): TaskEither<SdkError, Run> => {
    const tally: Tally = { position: run.position, relayed: run.relayed, published: run.published, duplicates: run.duplicates };
    return pipe(
      () => publishBatch(publisher, route, page, tally).then(E.right),
      // The checkpoint moves only past what the broker acknowledged: after a failure, up to the
      // last acknowledged event, so the next run resends as little as it can.
      TE.chainFirst(() => (tally.position === run.position ? TE.right(undefined) : save(tally.position))),
      TE.chain((failure) => (failure === undefined ? TE.right({ ...tally, caughtUp: page.length < asked.limit }) : TE.left(failure))),
    );
  };
  return pipe(
    checkpoints.load(name),
    TE.map((checkpoint): Run => ({ position: checkpoint?.position ?? 0, relayed: 0, published: 0, duplicates: 0, caughtUp: false })),
    TE.chain(
      pageThrough(store, {
        next: (run) => (run.relayed < maxEvents ? { fromPosition: run.position, limit: Math.min(batchSize, maxEvents - run.relayed) } : undefined),
        step: relayPage,
      }),
    ),
    TE.map((run): RelayRun => ({ owned: true, ...run })),
  );
};

/**
 * The outbox relay: reads committed events in global order (`readAll`, which never skips a late
 * commit) from the relay's checkpoint, hands each to `route` and publishes what it returns, in
 * order, one at a time (a later message never overtakes an earlier one that failed). The
 * checkpoint is saved after each batch, once the broker acknowledged every message of it; a
 * relay killed mid-batch resends that batch's head on restart, and a broker that deduplicates by
 * message id (NATS JetStream does, within its duplicate window) drops the resends.
 *
 * One owner at a time, across instances with the PostgreSQL checkpoint store: a second instance
 * gets `{ owned: false }` and does nothing. Call it again to poll for new events.
 */
export const runRelay =
  (store: EventStore, checkpoints: CheckpointStore, publisher: Publisher, options: RelayOptions = {}): TaskEither<SdkError, RelayRun> =>
{
    const invalid = positiveInteger(options.batchSize, 'batchSize') ?? positiveInteger(options.maxEvents, 'maxEvents');
    if (invalid !== undefined) return TE.left(invalid);
    const name = options.name ?? DEFAULT_NAME;
    return pipe(
      checkpoints.withOwnership(name, relayLoop(store, checkpoints, publisher, name, options)),
      TE.chainEitherK((run): E.Either<SdkError, RelayRun> => (run.owned ? run.result : E.right({ owned: false }))),
    );
  };
