import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import type { SdkError } from '../errors/sdk-error.js';
import { fromHostPort } from '../commands/host-port.js';
import { followsOn, pageThrough } from '../store/page-through.js';
import type { StoredEvent } from '../events/envelope.js';
import type { SecretVault } from '../ports/secret-vault.js';
import type { EventStore } from '../store/event-store.js';

/** Destroys the vault secrets that committed events retire. */
export interface SecretShredder {
  /**
   * Destroys every `destroyedSecretRefs` named by `committed` (the events of the commit that calls
   * it, as the command runtime passes them), then by the events committed since the last run.
   */
  readonly catchUp: (committed?: readonly StoredEvent[]) => TaskEither<SdkError, number>;
  /** The global position of the last event handled. */
  readonly position: () => number;
}

const sum = (counts: readonly number[]): number => counts.reduce((total, count) => total + count, 0);

const refsOf = (event: StoredEvent): readonly string[] => {
  const refs = (event.data as { readonly destroyedSecretRefs?: unknown }).destroyedSecretRefs;
  return Array.isArray(refs) ? refs.filter((ref): ref is string => typeof ref === 'string') : [];
};

/**
 * Crypto-shredding after commit. Events name the secrets they retire (`destroyedSecretRefs` of
 * TokenDeleted, DeviceEnrolled, ActivationCodeReissued, …); destroying them only once the event is
 * committed means a command that fails never destroys a secret a live token still needs. Destroy
 * is idempotent, so a run that stops half-way (a vault failure) simply starts again from the last
 * event it finished.
 */
export const secretShredder = (store: EventStore, vault: SecretVault, options: { readonly fromPosition?: number; readonly pageSize?: number } = {}): SecretShredder => {
  let position = options.fromPosition ?? 0;
  const pageSize = options.pageSize ?? 500;
  let running: Promise<E.Either<SdkError, number>> | undefined;
  // Positions of events whose secrets were destroyed as they were committed, until the drain passes them.
  const destroyedAhead = new Set<number>();

  const destroy = (event: StoredEvent): TaskEither<SdkError, number> =>
    pipe(
      refsOf(event),
      TE.traverseSeqArray((ref) => fromHostPort('the secret vault', () => vault.destroy(ref))),
      TE.map((done) => done.length),
    );

  // A commit's own events are shredded at once: readAll never skips, so while another instance's
  // append is in flight it cannot reach them yet, and this instance may commit nothing more for a
  // long time. A failure here leaves them to the drain.
  const destroyCommitted = (committed: readonly StoredEvent[]): TaskEither<SdkError, number> =>
    pipe(
      committed,
      TE.traverseSeqArray((event) =>
        pipe(
          event.globalPosition <= position || destroyedAhead.has(event.globalPosition) ? TE.right(0) : destroy(event),
          // Unless a drain has passed it meanwhile, the drain will skip it.
          TE.tap(() => TE.fromIO(() => (event.globalPosition > position ? destroyedAhead.add(event.globalPosition) : undefined))),
        ),
      ),
      TE.map(sum),
    );

  const destroyPage = (destroyed: number, page: readonly StoredEvent[]): TaskEither<SdkError, number> =>
    pipe(
      page,
      TE.traverseSeqArray((event) =>
        pipe(
          destroyedAhead.delete(event.globalPosition) ? TE.right(0) : destroy(event),
          TE.tap(() => TE.fromIO(() => (position = event.globalPosition))),
        ),
      ),
      TE.map((counts) => destroyed + sum(counts)),
    );

  const drain = (): Promise<E.Either<SdkError, number>> => pageThrough(store, { next: () => ({ fromPosition: position, limit: pageSize }), step: destroyPage })(0)();

  // A commit whose events follow on from the position was just shredded by destroyCommitted: pass it, no read.
  const passOver = (committed: readonly StoredEvent[]): Promise<E.Either<SdkError, number>> => {
    for (const event of committed) destroyedAhead.delete(event.globalPosition);
    position = committed[committed.length - 1]?.globalPosition ?? position;
    return Promise.resolve(E.right(0));
  };

  // One drain at a time: concurrent commits wait for the one in progress, then start another.
  const drainAlone = (committed: readonly StoredEvent[]): TaskEither<SdkError, number> => async () => {
    while (running !== undefined) await running;
    running = followsOn(position, committed) && committed.every((event) => destroyedAhead.has(event.globalPosition)) ? passOver(committed) : drain();
    try {
      return await running;
    } finally {
      running = undefined;
    }
  };

  return {
    // One run at a time: concurrent commits share the run in progress, then start another.
    catchUp: (committed = []) =>
      pipe(
        destroyCommitted(committed),
        TE.chain((now) => TE.map((drained: number) => now + drained)(drainAlone(committed))),
      ),
    position: () => position,
  };
};
