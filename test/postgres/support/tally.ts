import { map, right } from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { JsonValue, StoredEvent } from '../../../src/events/envelope.js';
import type { CheckpointStore, Projection } from '../../../src/projections/projection.js';
import { runProjection } from '../../../src/projections/run-projection.js';
import type { EventStore } from '../../../src/store/event-store.js';

/**
 * A test-only projection: folds every event into counts and a checksum of positions, so a state
 * that folded an event twice (or skipped one) shows it. Run by the kernel's catch-up runner on the
 * PostgreSQL checkpoint store.
 */
export interface Tally {
  readonly events: number;
  readonly positionSum: number;
  readonly reserved: number;
  readonly applications: Readonly<Record<string, number>>;
}

export const emptyTally: Tally = { events: 0, positionSum: 0, reserved: 0, applications: {} };

export const fold = (state: Tally, event: StoredEvent): Tally => ({
  events: state.events + 1,
  positionSum: state.positionSum + event.globalPosition,
  reserved: state.reserved + (event.type === 'SlotReserved' ? 1 : 0),
  applications: { ...state.applications, [event.metadata.commandId]: (state.applications[event.metadata.commandId] ?? 0) + 1 },
});

export const tallyProjection: Projection<Tally> = { name: 'tally', initialState: emptyTally, evolve: fold };

/** Pages small enough that a run saves several checkpoints. */
export const PAGE_SIZE = 17;

/** One catch-up run: `owned: false` when another instance runs the projection. */
export const catchUp = async (store: EventStore, checkpoints: CheckpointStore, projection: Projection<Tally> = tallyProjection): Promise<{ readonly owned: boolean; readonly eventsApplied: number }> => {
  const run = await runProjection(store, checkpoints, projection, { pageSize: PAGE_SIZE })();
  if (run._tag === 'Left') throw new Error(run.left.message);
  return run.right.owned ? { owned: true, eventsApplied: run.right.eventsApplied } : { owned: false, eventsApplied: 0 };
};

/** A projection's state together with the tally of the events it folded. */
export interface Counted<State> {
  readonly inner: State;
  readonly tally: Tally;
}

/**
 * `projection` with a tally folded beside it, in the same runs, pages and checkpoints: the tally
 * shows whether the projection's runner folded any event twice or skipped one.
 */
export const counted = <State>(projection: Projection<State>): Projection<Counted<State>> => ({
  name: `${projection.name}+tally`,
  initialState: { inner: projection.initialState, tally: emptyTally },
  evolve: (state, event) => ({ inner: projection.evolve(state.inner, event), tally: fold(state.tally, event) }),
  serialize: (state) => ({
    inner: projection.serialize === undefined ? (state.inner as JsonValue) : projection.serialize(state.inner),
    tally: { ...state.tally },
  }),
  deserialize: (json) => {
    const { inner, tally } = json as unknown as { readonly inner: JsonValue; readonly tally: Tally };
    return pipe(
      projection.deserialize === undefined ? right(inner as State) : projection.deserialize(inner),
      map((state) => ({ inner: state, tally })),
    );
  },
});
