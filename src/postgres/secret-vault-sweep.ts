import * as E from 'fp-ts/lib/Either.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { infrastructure } from '../errors/sdk-error.js';
import type { SdkError } from '../errors/sdk-error.js';
import type { StoredEvent } from '../events/envelope.js';
import type { EventStore } from '../store/event-store.js';
import type { PgPool, PgQueryConfig } from './client.js';
import { databaseFailure } from './errors.js';
import { toNumber } from './rows.js';

/** How a vault's `sweepOrphans` runs. */
export interface SweepOrphansOptions {
  /** The event store whose events reference the vault's secrets. */
  readonly events: EventStore;
  /**
   * The grace period, in milliseconds: a secret no event references is removed only once it was
   * written longer ago than this (by the database's clock). It must exceed the longest a command
   * can take between putting a secret and appending the event that names it, retries included;
   * an hour is a safe default for the SDK's commands.
   */
  readonly olderThanMs: number;
  /** Events read per page (default 1000). */
  readonly pageSize?: number;
  /**
   * The vault references an event names (default: the `seedRef` and `activationCodeRef` fields
   * of its data, which is where the SDK's token events keep them).
   */
  readonly references?: (event: StoredEvent) => readonly string[];
}

/** What one sweep did. */
export interface SweepReport {
  /** Events read, from where the previous sweep stopped. */
  readonly eventsRead: number;
  /** The position in the event log the next sweep resumes after. */
  readonly position: number;
  /** Secrets removed: written longer ago than the grace period, and named by no event. */
  readonly removed: number;
}

const REFERENCE_FIELDS = ['seedRef', 'activationCodeRef'] as const;

/** The SDK's own references in an event: its `seedRef` and `activationCodeRef` fields. */
export const sdkSecretReferences = (event: StoredEvent): readonly string[] => {
  const data: unknown = event.data;
  if (typeof data !== 'object' || data === null) return [];
  return REFERENCE_FIELDS.map((field) => (data as Record<string, unknown>)[field]).filter((value): value is string => typeof value === 'string');
};

interface SweepStatements {
  readonly sweepPosition: PgQueryConfig;
  readonly markReferenced: (refs: readonly string[]) => PgQueryConfig;
  readonly saveSweepPosition: (position: number) => PgQueryConfig;
  readonly removeOrphans: (olderThanMs: number) => PgQueryConfig;
}

const DAY_MS = 86_400_000;

/** A step of the sweep failed: carries its error out of the loop to the one place that answers it. */
class Stopped extends Error {
  constructor(readonly error: SdkError) {
    super(error.message);
  }
}

/**
 * The orphan sweep of a PostgreSQL vault: first it reads the event log from where the last sweep
 * stopped (a checkpoint in the vault's schema, so each sweep reads only what is new) and marks
 * every secret an event names as referenced; then it deletes the secrets still unmarked that were
 * written longer ago than the grace period. Such a secret was put by a command whose append then
 * failed (a conflict, a crash): no event will ever name it. Marks and checkpoint are saved page
 * by page, so a sweep that stops midway resumes.
 */
export const sweepOrphans =
  (pool: PgPool, statements: SweepStatements) =>
  (options: SweepOrphansOptions): TaskEither<SdkError, SweepReport> =>
  async () => {
    const given = options as Partial<SweepOrphansOptions> | undefined;
    const olderThanMs = given?.olderThanMs;
    if (typeof olderThanMs !== 'number' || !Number.isFinite(olderThanMs) || olderThanMs < 0 || olderThanMs > 366 * DAY_MS) {
      return E.left(infrastructure('invalid options.olderThanMs: the grace period, from 0 to 366 days in milliseconds'));
    }
    const pageSize = given?.pageSize ?? 1000;
    if (!Number.isSafeInteger(pageSize) || pageSize < 1 || pageSize > 100_000) return E.left(infrastructure('invalid options.pageSize: an integer from 1 to 100000'));
    if (typeof given?.events?.readAll !== 'function') return E.left(infrastructure('invalid options.events: an EventStore'));
    const references = given.references ?? sdkSecretReferences;
    const events = given.events;
    const query = async (operation: string, config: PgQueryConfig): Promise<readonly (readonly unknown[])[]> => {
      try {
        return (await pool.query(config)).rows as readonly (readonly unknown[])[];
      } catch (cause) {
        throw new Stopped(databaseFailure(operation)(cause));
      }
    };
    const readPage = async (fromPosition: number): Promise<readonly StoredEvent[]> =>
      E.getOrElse((error: SdkError): readonly StoredEvent[] => {
        throw new Stopped(error);
      })(await events.readAll({ fromPosition, limit: pageSize })());
    try {
      const [checkpoint] = await query('sweep (checkpoint)', statements.sweepPosition);
      let position = checkpoint === undefined ? 0 : toNumber(checkpoint[0]);
      let eventsRead = 0;
      for (let page = await readPage(position); page.length > 0; page = await readPage(position)) {
        const refs = [...new Set(page.flatMap((event) => references(event)))];
        if (refs.length > 0) await query('sweep (mark)', statements.markReferenced(refs));
        position = page.at(-1)?.globalPosition ?? position;
        eventsRead += page.length;
        await query('sweep (checkpoint)', statements.saveSweepPosition(position));
      }
      const removed = await query('sweep (remove)', statements.removeOrphans(olderThanMs));
      return E.right({ eventsRead, position, removed: removed.length });
    } catch (cause) {
      if (cause instanceof Stopped) return E.left(cause.error);
      throw cause;
    }
  };
