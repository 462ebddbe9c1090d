import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import type { SdkError } from '../errors/sdk-error.js';
import type { EventMetadata, NewEvent, StoredEvent } from '../events/envelope.js';
import type { ExpectedVersion } from '../events/expected-version.js';

// Defined with the events, so that pure code can name a stream's expected version without the store.
export type { ExpectedVersion } from '../events/expected-version.js';

/** The events to append to one stream, with what the writer expects of it. */
export interface AppendWrite {
  readonly streamId: string;
  readonly expectedVersion: ExpectedVersion;
  readonly events: readonly NewEvent[];
}

/** What an append stored. */
export interface AppendResult {
  /** Every appended event as stored, in global order. */
  readonly events: readonly StoredEvent[];
  /** Each written stream's version after the append. */
  readonly streamVersions: Readonly<Record<string, number>>;
}

/**
 * A command the store has handled: the metadata it was recorded with and the events it appended
 * (none when it changed nothing and was recorded by a receipt).
 */
export interface HandledCommand {
  readonly metadata: EventMetadata;
  /** In global order; empty for a command recorded without events. */
  readonly events: readonly StoredEvent[];
}

/** Which part of a stream to read. */
export interface ReadStreamOptions {
  /** First stream version to return (inclusive, default 1). */
  readonly from?: number;
  /** Last stream version to return (inclusive, default the stream's end). */
  readonly to?: number;
}

/** Where to start reading the global order, and how many events at most. */
export interface ReadAllOptions {
  /** Return events whose global position is strictly greater than this (0 reads from the start). */
  readonly fromPosition: number;
  readonly limit: number;
}

/**
 * Where a stream ends, as the store recorded it with the stream's last append: its version (the
 * number of events) and the hash of its last event.
 */
export interface StreamHead {
  readonly streamId: string;
  readonly version: number;
  readonly hash: string;
}

/**
 * The event store port. Implementations: the in-memory store (core) and the PostgreSQL store
 * (`softtoken-sdk/postgres`); a host may bring its own and check it with the contract suite
 * exported from `softtoken-sdk/testing`.
 */
export interface EventStore {
  /** A stream's events in stream order; an unknown stream reads as empty. */
  readonly readStream: (streamId: string, options?: ReadStreamOptions) => TaskEither<SdkError, readonly StoredEvent[]>;
  /**
   * Events of every stream in global order. Never skips an event that commits after a later
   * position became visible: a reader that has seen position p will see every event < p.
   */
  readonly readAll: (options: ReadAllOptions) => TaskEither<SdkError, readonly StoredEvent[]>;
  /**
   * Appends to several streams atomically: every expectation holds and every event is stored,
   * or nothing is (`ConcurrencyConflict`). The store assigns versions, global positions and
   * the hash chain. All events of one call share one `metadata.commandId`, and a commandId is
   * accepted once: a second append with it fails with `DuplicateCommand`.
   *
   * `receipt` records a command that appends nothing (it changed nothing) under
   * `receipt.commandId`, atomically with the batch's expectations and once only, like a command
   * with events: a later append, or receipt, under that commandId fails with `DuplicateCommand`.
   * When the batch carries events, the receipt must name their commandId and adds nothing (the
   * events record the command).
   */
  readonly append: (writes: readonly AppendWrite[], receipt?: EventMetadata) => TaskEither<SdkError, AppendResult>;
  /** The events appended under a commandId (empty when it was never appended), in global order. */
  readonly readCommand: (commandId: string) => TaskEither<SdkError, readonly StoredEvent[]>;
  /**
   * Whether a commandId was handled, in one read: its events, or its receipt when it appended
   * none; undefined when it never was. What the command runtime's idempotency rests on.
   */
  readonly lookupCommand: (commandId: string) => TaskEither<SdkError, HandledCommand | undefined>;
  /**
   * Every stream's head, written in the same atomic step as the stream's events (optional for a
   * host's own store; both built-in stores have it). Verification checks that each stream's chain
   * ends exactly there, so cutting off a stream's last events is detected. Without it,
   * verification cannot tell a stream whose newest events were removed from a shorter stream.
   */
  readonly readHeads?: () => TaskEither<SdkError, readonly StreamHead[]>;
}
