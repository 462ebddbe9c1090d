import * as E from 'fp-ts/lib/Either.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { infrastructureFrom, type SdkError } from '../errors/sdk-error.js';
import type { StoredEvent } from '../events/envelope.js';
import type { SecretVault } from '../ports/secret-vault.js';
import type { EventStore } from '../store/event-store.js';

/** Destroys the vault secrets that committed events retire. */
export interface SecretShredder {
  /** Reads the events committed since the last run and destroys every `destroyedSecretRefs` they name. */
  readonly catchUp: () => TaskEither<SdkError, number>;
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

  const drain = async (): Promise<E.Either<SdkError, number>> => {
    let destroyed = 0;
    for (;;) {
      const page = await store.readAll({ fromPosition: position, limit: pageSize })();
      if (E.isLeft(page)) return page;
      for (const event of page.right) {
        for (const ref of refsOf(event)) {
          try {
            await vault.destroy(ref);
          } catch (cause) {
            return E.left(infrastructureFrom('the secret vault')(cause));
          }
          destroyed += 1;
        }
        position = event.globalPosition;
      }
      if (page.right.length < pageSize) return E.right(destroyed);
    }
  };

  return {
    // One run at a time: concurrent commits share the run in progress, then start another.
    catchUp: () => async () => {
      while (running !== undefined) await running;
      running = drain();
      try {
        return await running;
      } finally {
        running = undefined;
      }
    },
    position: () => position,
  };
};
