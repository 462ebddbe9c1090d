import type { DomainEvent } from '../events/decider.js';
import { SdkInternalFailure } from '../errors/internal-failure.js';
import type { StoredEvent } from '../events/envelope.js';
import type { EventRegistry } from '../events/event-registry.js';
import type { Projection } from './projection.js';

/** A projection written against decoded domain events rather than stored envelopes. */
export interface DecodedProjectionSpec<State, E extends DomainEvent> extends Omit<Projection<State>, 'evolve'> {
  /** Pure. `stored` gives the envelope (stream, position, metadata such as `occurredAt` and `actor`). */
  readonly evolve: (state: State, event: E, stored: StoredEvent) => State;
}

/**
 * Turns a projection over domain events into one over stored events: each event is decoded (and
 * upcast) by the registry first. Events of types the registry does not know are skipped (they
 * belong to someone else); an event of a known type that does not decode stops the runner, which
 * reports the position (an unreadable stored event is corrupt data, not something to fold past).
 */
export const decodedProjection = <State, E extends DomainEvent>(registry: EventRegistry<E>, spec: DecodedProjectionSpec<State, E>): Projection<State> => ({
  ...spec,
  evolve: (state, stored) => {
    if (!registry.has(stored.type)) return state;
    if (registry.decodesAsStored(stored)) return spec.evolve(state, stored as unknown as E, stored);
    const decoded = registry.decode(stored);
    if (decoded._tag === 'Left') throw new SdkInternalFailure(decoded.left.message);
    return spec.evolve(state, decoded.right, stored);
  },
});
