import * as E from 'fp-ts/lib/Either.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { infrastructureFrom, type SdkError } from '../errors/sdk-error.js';
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

  const destroy = async (event: StoredEvent): Promise<E.Either<SdkError, number>> => {
    const refs = refsOf(event);
    for (const ref of refs) {
      try {
        await vault.destroy(ref);
      } catch (cause) {
        return E.left(infrastructureFrom('the secret vault')(cause));
      }
    }
    return E.right(refs.length);
  };

  // A commit's own events are shredded at once: readAll never skips, so while another instance's
  // append is in flight it cannot reach them yet, and this instance may commit nothing more for a
  // long time. A failure here leaves them to the drain.
  const destroyCommitted = async (committed: readonly StoredEvent[]): Promise<E.Either<SdkError, number>> => {
    let destroyed = 0;
    for (const event of committed) {
      if (event.globalPosition <= position || destroyedAhead.has(event.globalPosition)) continue;
      const done = await destroy(event);
      if (E.isLeft(done)) return done;
      // Unless a drain has passed it meanwhile, the drain will skip it.
      if (event.globalPosition > position) destroyedAhead.add(event.globalPosition);
      destroyed += done.right;
    }
    return E.right(destroyed);
  };

  const drain = async (): Promise<E.Either<SdkError, number>> => {
    let destroyed = 0;
    for (;;) {
      const page = await store.readAll({ fromPosition: position, limit: pageSize })();
      if (E.isLeft(page)) return page;
      for (const event of page.right) {
        if (!destroyedAhead.delete(event.globalPosition)) {
          const done = await destroy(event);
          if (E.isLeft(done)) return done;
          destroyed += done.right;
        }
        position = event.globalPosition;
      }
      if (page.right.length < pageSize) return E.right(destroyed);
    }
  };

  return {
    // One run at a time: concurrent commits share the run in progress, then start another.
    catchUp: (committed = []) => async () => {
      const now = await destroyCommitted(committed);
      if (E.isLeft(now)) return now;
      while (running !== undefined) await running;
      running = drain();
      try {
        return E.map((drained: number) => now.right + drained)(await running);
      } finally {
        running = undefined;
      }
    },
    position: () => position,
  };
};
