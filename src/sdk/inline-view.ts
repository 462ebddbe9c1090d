import * as E from 'fp-ts/lib/Either.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import type { SdkError } from '../errors/sdk-error.js';
import type { StoredEvent } from '../events/envelope.js';
import type { EventStore } from '../store/event-store.js';

/** A read model kept in memory and brought up to date from the store on demand. */
export interface InlineView<S> {
  /** Folds the events committed since the last run; answers the state. */
  readonly catchUp: () => TaskEither<SdkError, S>;
}

/** What an inline view folds: a pure function of the global event stream. */
export interface ViewFold<S> {
  readonly initialState: S;
  readonly evolve: (state: S, event: StoredEvent) => S;
}

/**
 * An in-memory read model over the store's global stream. It starts from position 0 (so it is
 * rebuilt on every start) and reads only what is new on each catch-up; runs are serialised so that
 * concurrent commits never fold an event twice.
 */
export const inlineView = <S>(store: EventStore, fold: ViewFold<S>, pageSize = 500): InlineView<S> => {
  let state = fold.initialState;
  let position = 0;
  let running: Promise<E.Either<SdkError, S>> | undefined;
  const drain = async (): Promise<E.Either<SdkError, S>> => {
    for (;;) {
      const page = await store.readAll({ fromPosition: position, limit: pageSize })();
      if (E.isLeft(page)) return page;
      for (const event of page.right) {
        state = fold.evolve(state, event);
        position = event.globalPosition;
      }
      if (page.right.length < pageSize) return E.right(state);
    }
  };
  return {
    catchUp: () => async () => {
      while (running !== undefined) await running;
      running = drain();
      try {
        return await running;
      } finally {
        running = undefined;
      }
    },
  };
};
