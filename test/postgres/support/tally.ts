import type { StoredEvent } from '../../../src/events/envelope.js';
import type { CheckpointStore } from '../../../src/projections/projection.js';
import type { EventStore } from '../../../src/store/event-store.js';

/**
 * A test-only projection and catch-up loop: folds every event into counts and a checksum of
 * positions, so a state that folded an event twice (or skipped one) shows it. The loop is what a
 * durable runner does: own the projection, resume from the checkpoint, save state and position
 * together after each page.
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

const unwrap = <A>(result: { readonly _tag: 'Left'; readonly left: { readonly message: string } } | { readonly _tag: 'Right'; readonly right: A }): A => {
  if (result._tag === 'Left') throw new Error(result.left.message);
  return result.right;
};

/** One catch-up run: `{ owned: false }` when another instance runs it. `onPage` may stop the loop (a crash). */
export const catchUp = async (
  store: EventStore,
  checkpoints: CheckpointStore,
  name: string,
  onPage: (pages: number) => Promise<void> = () => Promise.resolve(),
): Promise<{ readonly owned: boolean; readonly pages: number }> => {
  const run = unwrap(
    await checkpoints.withOwnership(name, async () => {
      const checkpoint = unwrap(await checkpoints.load(name)());
      let position = checkpoint?.position ?? 0;
      let state = (checkpoint?.state as Tally | undefined) ?? emptyTally;
      let pages = 0;
      for (;;) {
        const page = unwrap(await store.readAll({ fromPosition: position, limit: 17 })());
        if (page.length === 0) return pages;
        for (const event of page) state = fold(state, event);
        position = page.at(-1)?.globalPosition ?? position;
        unwrap(await checkpoints.save(name, { position, state: state as never })());
        await onPage(++pages);
      }
    })(),
  );
  return run.owned ? { owned: true, pages: run.result } : { owned: false, pages: 0 };
};
