import type { Either } from 'fp-ts/lib/Either.js';
import type { SdkError } from '../errors/sdk-error.js';
import type { DomainEvent } from './decider.js';
import type { StoredEvent } from './envelope.js';

/**
 * How to fold one stream into a state. `name` and `version` identify the fold for snapshots:
 * bump `version` whenever `evolve` or the shape of the state changes, and old snapshots are ignored.
 */
export interface StreamFold<S, E = DomainEvent> {
  readonly name: string;
  /** Default 1. */
  readonly version?: number;
  readonly initialState: S;
  /** Pure; must not change `state` (a snapshot may hold it). `stored` is the envelope, for metadata. */
  readonly evolve: (state: S, event: E, stored: StoredEvent) => S;
  /** How stored events become `E`; default: the runtime's event registry. */
  readonly decode?: (stored: StoredEvent) => Either<SdkError, E>;
}

/**
 * The fold of a stream that may hold other domains' events too (a company stream carries token and
 * order bookkeeping): events whose type `ownEvents` does not name leave the state as it is.
 */
export const foldOwnEvents = <S, E extends DomainEvent>(fold: {
  readonly name: string;
  readonly version: number;
  readonly initialState: S;
  /** The event types this fold reads, e.g. the domain's codec table. */
  readonly ownEvents: Readonly<Record<E['type'], unknown>>;
  readonly evolve: (state: S, event: E) => S;
}): StreamFold<S> => {
  const isOwn = (event: DomainEvent): event is E => Object.prototype.hasOwnProperty.call(fold.ownEvents, event.type);
  return {
    name: fold.name,
    version: fold.version,
    initialState: fold.initialState,
    evolve: (state, event) => (isOwn(event) ? fold.evolve(state, event) : state),
  };
};

