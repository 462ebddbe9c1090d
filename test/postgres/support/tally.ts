import type { StoredEvent } from '../../../src/events/envelope.js';
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
