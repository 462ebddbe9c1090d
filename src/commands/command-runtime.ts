import type { Either } from 'fp-ts/lib/Either.js';
import { isLeft, left, right } from 'fp-ts/lib/Either.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { v7 as uuidV7 } from 'uuid';
import { duplicateCommand, infrastructure, infrastructureFrom } from '../errors/sdk-error.js';
import type { SdkError } from '../errors/sdk-error.js';
import { canonicalJson } from '../events/canonical-json.js';
import type { EventMetadata, NewEvent, StoredEvent } from '../events/envelope.js';
import type { EventRegistry } from '../events/event-registry.js';
import type { Clock } from '../ports/clock.js';
import { systemClock } from '../ports/clock.js';
import type { Random } from '../ports/random.js';
import { cryptoRandom } from '../ports/random.js';
import type { AppendWrite, EventStore } from '../store/event-store.js';
import type { AnyCommandHandler, Decision, DispatchResult, HandlerContext, LoadedStream } from './command-handler.js';
import type { CommandEnvelope } from './command-envelope.js';
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

/** What one attempt came to: done (either way), or a conflict worth another attempt. */
type Attempt = { readonly done: Either<SdkError, DispatchResult> } | { readonly conflict: SdkError };

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
    const result = await load(streamId, fold)();
    if (!isLeft(result)) byFold.set(fold, result.right);
    return result;
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

  /** The first outcome of a commandId the store has seen, rebuilt from its events. */
  const replay = (decoded: DecodedCommand, events: readonly StoredEvent[]): Either<SdkError, DispatchResult> => {
    const { envelope, handler, command } = decoded;
    // An idempotency key reused by someone else gets nothing of the first outcome.
    if (events.some((event) => canonicalJson(event.metadata.actor) !== canonicalJson(envelope.actor))) {
      return left(duplicateCommand(envelope.commandId));
    }
    const output = handler.outcomeOf === undefined ? right(undefined) : handler.outcomeOf(events, command);
    return isLeft(output) ? output : right({ commandId: envelope.commandId, events, output: output.right, replayed: true });
  };

  const previousOutcome = async (decoded: DecodedCommand): Promise<Either<SdkError, DispatchResult> | undefined> => {
    const stored = await store.readCommand(decoded.envelope.commandId)();
    if (isLeft(stored)) return stored;
    return stored.right.length === 0 ? undefined : replay(decoded, stored.right);
  };

  const toAppendWrites = (decision: Decision<unknown>, envelope: CommandEnvelope, now: number): Either<SdkError, readonly AppendWrite[]> => {
    const metadata: EventMetadata = {
      commandId: envelope.commandId,
      correlationId: envelope.correlationId ?? envelope.commandId,
      causationId: envelope.causationId ?? envelope.commandId,
      actor: envelope.actor,
      occurredAt: new Date(now).toISOString(),
    };
    const writes: AppendWrite[] = [];
    for (const write of decision.writes) {
      const events: NewEvent[] = [];
      for (const event of write.events) {
        const encoded = eventRegistry.encode(event);
        if (isLeft(encoded)) return encoded;
        events.push({ eventId: uuidV7({ msecs: now, random: random.bytes(16) }), ...encoded.right, metadata });
      }
      writes.push({ streamId: write.streamId, expectedVersion: write.expectedVersion, events });
    }
    return right(writes);
  };

  const notifyProjections = async (committed: readonly StoredEvent[]): Promise<void> => {
    for (const projection of config.projections ?? []) {
      try {
        await projection.catchUp(committed)();
      } catch {
        // The command is committed; a projection that failed catches up on its next run.
      }
    }
  };

  const attempt = async (decoded: DecodedCommand): Promise<Attempt> => {
    const { handler, envelope, command } = decoded;
    const now = clock.now();
    const context: HandlerContext = { clock, random, now, load: attemptLoader(load) };
    const decision = await handler.handle(command, context)();
    if (isLeft(decision)) return decision.left._tag === 'ConcurrencyConflict' ? { conflict: decision.left } : { done: decision };
    const writes = toAppendWrites(decision.right, envelope, now);
    if (isLeft(writes)) return { done: writes };
    if (writes.right.length === 0) {
      const { failure, output } = decision.right;
      return { done: failure === undefined ? right({ commandId: envelope.commandId, events: [], output, replayed: false }) : left(failure) };
    }
    const appended = await store.append(writes.right)();
    if (isLeft(appended)) {
      if (appended.left._tag === 'ConcurrencyConflict') return { conflict: appended.left };
      // Another instance committed this commandId first: its outcome is the outcome.
      if (appended.left._tag === 'DuplicateCommand') return { done: (await previousOutcome(decoded)) ?? appended };
      return { done: appended };
    }
    await notifyProjections(appended.right.events);
    const { failure, output } = decision.right;
    return { done: failure === undefined ? right({ commandId: envelope.commandId, events: appended.right.events, output, replayed: false }) : left(failure) };
  };

  const run = async (input: unknown): Promise<Either<SdkError, DispatchResult>> => {
    const decoded = decodeCommand(handlers, input);
    if (isLeft(decoded)) return decoded;
    let lastConflict: SdkError = infrastructure('the command was not attempted');
    for (let attemptNumber = 1; attemptNumber <= retry.maxAttempts; attemptNumber++) {
      if (attemptNumber > 1) await retry.sleep(backoffDelay(retry, attemptNumber, random));
      // Checked before every attempt: a racing instance may have committed this command meanwhile.
      const previous = await previousOutcome(decoded.right);
      if (previous !== undefined) return previous;
      const outcome = await attempt(decoded.right);
      if ('done' in outcome) return outcome.done;
      lastConflict = outcome.conflict;
    }
    return left(lastConflict);
  };

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
