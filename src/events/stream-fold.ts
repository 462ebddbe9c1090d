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
