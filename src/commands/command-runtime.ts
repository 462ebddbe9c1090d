import type { Either } from 'fp-ts/lib/Either.js';
import * as E from 'fp-ts/lib/Either.js';
import { left, right } from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { v7 as uuidV7 } from 'uuid';
import { duplicateCommand, idempotencyKeyReused, infrastructure, infrastructureFrom } from '../errors/sdk-error.js';
import type { SdkError } from '../errors/sdk-error.js';
import { canonicalJson } from '../events/canonical-json.js';
import type { EventMetadata, NewEvent, StoredEvent } from '../events/envelope.js';
import type { DomainEvent } from '../events/decider.js';
import type { EncodedEvent, EventRegistry } from '../events/event-registry.js';
import type { Clock } from '../ports/clock.js';
import { systemClock } from '../ports/clock.js';
import type { Random } from '../ports/random.js';
import { cryptoRandom } from '../ports/random.js';
import type { AppendWrite, EventStore, HandledCommand } from '../store/event-store.js';
import type { AnyCommandHandler, Decision, DispatchResult, HandlerContext, LoadedStream } from './command-handler.js';
import { commandDigest } from './command-digest.js';
import { confirmationDigest } from './confirmation-digest.js';
import type { DecodedCommand } from './decode-command.js';
import { decodeCommand } from './decode-command.js';
import type { RetryPolicy } from './retry.js';
import { backoffDelay, resolveRetryPolicy } from './retry.js';
import type { SnapshotPolicy } from './stream-loader.js';
import { streamLoader } from './stream-loader.js';

/** Something to bring up to date after each commit (inline projections). */
export interface CommitListener {
  /**
   * Reads what was committed since it last ran; `committed` holds the events of the commit that
   * calls it, for a listener that must act on them at once (a durable store's `readAll` may not
   * reach them yet while another instance's append is in flight). Its errors do not fail the
   * command, which is durable already.
   */
  readonly catchUp: (committed?: readonly StoredEvent[]) => TaskEither<SdkError, unknown>;
}

/** What a command runtime is built from. Only the store, the handlers and the registry are required. */
export interface CommandRuntimeConfig {
  readonly store: EventStore;
  readonly handlers: readonly AnyCommandHandler[];
  readonly eventRegistry: EventRegistry;
  /** Default: the system clock. */
  readonly clock?: Clock;
  /** Default: Web Crypto. */
  readonly random?: Random;
  /** Default: no snapshots. */
  readonly snapshots?: SnapshotPolicy;
  /** Run after every commit, in order (inline projections). */
  readonly projections?: readonly CommitListener[];
  readonly retry?: RetryPolicy;
}

/** Dispatches commands: decode, idempotency check, handle, append atomically, retry on conflicts. */
export interface CommandRuntime {
  /** Runs one command given as plain JSON; never throws, whatever it is given. */
  readonly dispatch: (command: unknown) => TaskEither<SdkError, DispatchResult>;
}

/**
 * What one attempt came to: done (either way), or a conflict worth another attempt. `refused`
 * marks a failure that wrote nothing: the command may have raced its own original (see `run`).
 */
type Attempt = { readonly done: Either<SdkError, DispatchResult>; readonly refused?: true } | { readonly conflict: SdkError };

/** A command decoded, with the digest of its body (what its commandId stands for). */
interface DigestedCommand extends DecodedCommand {
  readonly digest: string;
}

/**
 * A loader for one attempt: each (stream, fold) is read once, however many parts of a handler ask
 * for it (a token command's checks and its OTP rule both need the company stream). Failed loads
 * are not kept, and a fresh load replaces the kept one. The cache lives as long as the attempt:
 * a retry after a conflict reads everything again.
 */
const attemptLoader = (load: HandlerContext['load']): HandlerContext['load'] => {
  const loaded = new Map<string, Map<unknown, LoadedStream<unknown>>>();
  return (streamId, fold, options) => async () => {
    const byFold = loaded.get(streamId) ?? new Map<unknown, LoadedStream<unknown>>();
    loaded.set(streamId, byFold);
    const kept = options?.fresh === true ? undefined : byFold.get(fold);
    if (kept !== undefined) return right(kept as LoadedStream<never>);
    return pipe(
      load(streamId, fold),
      TE.tap((result) => TE.fromIO(() => byFold.set(fold, result))),
    )();
  };
};

/**
 * Builds the command runtime: the imperative shell around the handlers. Nothing it returns
 * throws or rejects: a failing port, handler or store becomes an `SdkError`.
 */
export const createCommandRuntime = (config: CommandRuntimeConfig): CommandRuntime => {
  const { store, eventRegistry } = config;
  const clock = config.clock ?? systemClock;
  const random = config.random ?? cryptoRandom;
  const retry = resolveRetryPolicy(config.retry);
  const load = streamLoader(store, eventRegistry, config.snapshots);
  const handlers = new Map(config.handlers.map((handler) => [handler.type, handler]));

  /** The first outcome of a commandId the store has handled, rebuilt from its record. */
  const replay = (decoded: DigestedCommand, handled: HandledCommand): Either<SdkError, DispatchResult> => {
    const { envelope, handler, command, digest } = decoded;
    const { metadata, events } = handled;
    // An idempotency key reused by someone else gets nothing of the first outcome.
    if (canonicalJson(metadata.actor) !== canonicalJson(envelope.actor) || events.some((event) => canonicalJson(event.metadata.actor) !== canonicalJson(envelope.actor))) {
      return left(duplicateCommand(envelope.commandId));
    }
    // Reused for another command: its first outcome is not this one's. Events of 0.1 carry no digest.
    if (metadata.commandDigest !== undefined && metadata.commandDigest !== digest) return left(idempotencyKeyReused(envelope.commandId));
    return pipe(
      handler.outcomeOf === undefined ? right(undefined) : handler.outcomeOf(events, command),
      E.map((output): DispatchResult => ({ commandId: envelope.commandId, events, output, replayed: true })),
    );
  };

  const previousOutcome = async (decoded: DigestedCommand): Promise<Either<SdkError, DispatchResult> | undefined> => {
    const handled = await store.lookupCommand(decoded.envelope.commandId)();
    // Nothing to replay (undefined) is told apart from a replayed outcome, failed lookups included.
    return pipe(
      handled,
      E.match(
        (error) => left(error),
        (record) => (record === undefined ? undefined : replay(decoded, record)),
      ),
    );
  };

  const metadataOf = ({ envelope, digest }: DigestedCommand, now: number): EventMetadata => ({
    commandId: envelope.commandId,
    correlationId: envelope.correlationId ?? envelope.commandId,
    causationId: envelope.causationId ?? envelope.commandId,
    actor: envelope.actor,
    occurredAt: new Date(now).toISOString(),
    commandDigest: digest,
  });

  const toNewEvent = (metadata: EventMetadata, now: number) => (event: DomainEvent): Either<SdkError, NewEvent> =>
    E.map((encoded: EncodedEvent): NewEvent => ({ eventId: uuidV7({ msecs: now, random: random.bytes(16) }), ...encoded, metadata }))(eventRegistry.encode(event));

  const toAppendWrites = (decision: Decision<unknown>, metadata: EventMetadata, now: number): Either<SdkError, readonly AppendWrite[]> =>
    pipe(
      decision.writes,
      E.traverseArray((write) =>
        pipe(
          write.events,
          E.traverseArray(toNewEvent(metadata, now)),
          E.map((events): AppendWrite => ({ streamId: write.streamId, expectedVersion: write.expectedVersion, events })),
        ),
      ),
    );

  const notifyProjections = async (committed: readonly StoredEvent[]): Promise<void> => {
    for (const projection of config.projections ?? []) {
      try {
        await projection.catchUp(committed)();
      } catch {
        // The command is committed; a projection that failed catches up on its next run.
      }
    }
  };

  /** What a failed append comes to: a conflict to retry, the first outcome of a twin, or the error. */
  const appendFailed = async (decoded: DigestedCommand, error: SdkError): Promise<Attempt> => {
    if (error._tag === 'ConcurrencyConflict') return { conflict: error };
    // Another instance committed this commandId first: its outcome is the outcome.
    if (error._tag === 'DuplicateCommand') return { done: (await previousOutcome(decoded)) ?? left(error) };
    return { done: left(error) };
  };

  const commit = async (decoded: DigestedCommand, decision: Decision<unknown>, metadata: EventMetadata, writes: readonly AppendWrite[]): Promise<Attempt> => {
    const { failure, output } = decision;
    const eventCount = writes.reduce((count, write) => count + write.events.length, 0);
    // A refusal that writes nothing leaves no trace, so its commandId stays free (see decisions.md).
    if (failure !== undefined && eventCount === 0 && writes.length === 0) return { done: left(failure), refused: true };
    // A success that changes nothing is still recorded (a receipt), so its commandId keeps its outcome.
    const receipt = failure === undefined && eventCount === 0 ? metadata : undefined;
    return pipe(
      await store.append(writes, receipt)(),
      E.match(
        (error) => appendFailed(decoded, error),
        async (appended): Promise<Attempt> => {
          if (appended.events.length > 0) await notifyProjections(appended.events);
          if (failure !== undefined) return eventCount === 0 ? { done: left(failure), refused: true } : { done: left(failure) };
          return { done: right({ commandId: decoded.envelope.commandId, events: appended.events, output, replayed: false }) };
        },
      ),
    );
  };

  const attempt = async (decoded: DigestedCommand): Promise<Attempt> => {
    const { handler, command } = decoded;
    const now = clock.now();
    const context: HandlerContext = { clock, random, now, load: attemptLoader(load), confirmationDigest: () => confirmationDigest(command, handler.secretFields ?? []) };
    return pipe(
      await handler.handle(command, context)(),
      E.match(
        (error): Promise<Attempt> => Promise.resolve(error._tag === 'ConcurrencyConflict' ? { conflict: error } : { done: left(error), refused: true }),
        (decision) => {
          const metadata = metadataOf(decoded, now);
          return pipe(
            toAppendWrites(decision, metadata, now),
            E.match(
              (error): Promise<Attempt> => Promise.resolve({ done: left(error) }),
              (writes) => commit(decoded, decision, metadata, writes),
            ),
          );
        },
      ),
    );
  };

  /** Attempts until one is done or the attempts run out, answering a twin's outcome where there is one. */
  const attemptUntilDone = async (decoded: DigestedCommand): Promise<Either<SdkError, DispatchResult>> => {
    let lastConflict: SdkError = infrastructure('the command was not attempted');
    for (let attemptNumber = 1; attemptNumber <= retry.maxAttempts; attemptNumber++) {
      if (attemptNumber > 1) await retry.sleep(backoffDelay(retry, attemptNumber, random));
      // Checked before every attempt: a racing instance may have committed this command meanwhile.
      const previous = await previousOutcome(decoded);
      if (previous !== undefined) return previous;
      const outcome = await attempt(decoded);
      if ('conflict' in outcome) {
        lastConflict = outcome.conflict;
        continue;
      }
      // A retry that looked just before its original committed, and read the streams just after,
      // is refused for the original's own effects: look again, and answer the first outcome.
      if (outcome.refused === true) return (await previousOutcome(decoded)) ?? outcome.done;
      return outcome.done;
    }
    // Conflicts until the end: the command may have been committed by a twin meanwhile.
    return (await previousOutcome(decoded)) ?? left(lastConflict);
  };

  const run = (input: unknown): Promise<Either<SdkError, DispatchResult>> =>
    pipe(
      decodeCommand(handlers, input),
      E.match(
        (error) => Promise.resolve(left(error)),
        (decoded) => attemptUntilDone({ ...decoded, digest: commandDigest(decoded.command, decoded.handler.secretFields ?? []) }),
      ),
    );

  return {
    dispatch: (command) => async () => {
      try {
        return await run(command);
      } catch (cause) {
        return left(infrastructureFrom('dispatch')(cause));
      }
    },
  };
};
