import type { Either } from 'fp-ts/lib/Either.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import type * as t from 'io-ts';
import type { DomainEvent } from '../events/decider.js';
import type { SdkError } from '../errors/sdk-error.js';
import type { StoredEvent } from '../events/envelope.js';
import type { StreamFold } from '../events/stream-fold.js';
import type { ExpectedVersion } from '../events/expected-version.js';
import type { Clock } from '../ports/clock.js';
import type { Random } from '../ports/random.js';

/** One stream's share of a decision: the events to append and what the stream must be at. */
export interface DecisionWrite {
  readonly streamId: string;
  readonly expectedVersion: ExpectedVersion;
  /** May be empty: the write then only guards the stream's version. */
  readonly events: readonly DomainEvent[];
}

/** What a handler decided: the writes (appended atomically) and the command's output. */
export interface Decision<O> {
  readonly writes: readonly DecisionWrite[];
  readonly output: O;
  /**
   * When set, the writes are still committed and the command then fails with this error
   * (an OTP rejection is recorded on the token even though the command fails).
   */
  readonly failure?: SdkError;
}

/** A folded stream: its state and its version (0 when it has no events), for `expectedVersion`. */
export interface LoadedStream<S> {
  readonly state: S;
  readonly version: number;
}

/** What a handler gets besides its command: the ports the runtime owns and a stream loader. */
export interface HandlerContext {
  readonly clock: Clock;
  readonly random: Random;
  /** The clock read once per attempt: use it rather than `clock.now()` so one attempt sees one time. */
  readonly now: number;
  /**
   * Loads and folds a stream, from a snapshot when one matches. Within one attempt a stream is
   * read once per fold: a second load returns the first one's state and version, so every part of
   * a handler decides on the same view. `{ fresh: true }` reads the store again.
   */
  readonly load: <S, E = DomainEvent>(streamId: string, fold: StreamFold<S, E>, options?: LoadOptions) => TaskEither<SdkError, LoadedStream<S>>;
  /**
   * The digest an app confirmation of this command signs (`confirmation-digest.ts`): its fields
   * without `otp` and `confirmation`. Set by the runtime; a handler run without it refuses app
   * confirmations.
   */
  readonly confirmationDigest?: () => string;
}

/** How `HandlerContext.load` reads. */
export interface LoadOptions {
  /** Read the store again instead of reusing this attempt's earlier load (to see whether a stream moved). */
  readonly fresh?: boolean;
}

/**
 * The imperative shell of one command type: gathers facts, calls its decider, returns a decision.
 * The runtime decodes the command with `codec` first, so `handle` only sees valid commands.
 */
export interface CommandHandler<C, O = unknown> {
  /** The command's `type`. */
  readonly type: string;
  /** Validates the whole command, envelope fields included. */
  readonly codec: t.Decoder<unknown, C>;
  /**
   * Paths whose values must never be echoed, even by a codec's own message (`otp`, `answer`,
   * `orders.*.otp`); the command's digest (what its commandId stands for) takes them by presence only.
   */
  readonly secretFields?: readonly string[];
  // Method syntax on purpose: a handler of a specific command is usable where any handler is expected.
  /** Loads what the command needs, gathers facts, and decides: the imperative shell of one command. */
  handle(command: C, context: HandlerContext): TaskEither<SdkError, Decision<O>>;
  /**
   * Rebuilds the first outcome from the events a replayed commandId stored (default: right(undefined)).
   * `events` is empty for a command that succeeded without events (recorded by a receipt): answer
   * what `handle` answered then.
   */
  outcomeOf?(events: readonly StoredEvent[], command: C): Either<SdkError, O>;
}

/** Any command handler, whatever its command and output. */
export type AnyCommandHandler = CommandHandler<unknown>;

/** What a dispatch returns: the events the command appended (or first appended) and its output. */
export interface DispatchResult<O = unknown> {
  readonly commandId: string;
  readonly events: readonly StoredEvent[];
  readonly output: O;
  /** True when the commandId had been handled before and this is its first outcome again. */
  readonly replayed: boolean;
}
