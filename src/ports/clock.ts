/** The only source of time in the SDK, so every test can fix it. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  readonly now: () => number;
}

/** The real wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** A clock that stands still until told to move: for tests and simulations. */
export interface ManualClock extends Clock {
  /** Jumps to an absolute time. */
  readonly set: (epochMs: number) => void;
  /** Moves forward (or back, with a negative amount). */
  readonly advance: (ms: number) => void;
}

/** A {@link ManualClock} starting at `startMs`. */
export const manualClock = (startMs = 0): ManualClock => {
  let current = startMs;
  return {
    now: () => current,
    set: (epochMs) => {
      current = epochMs;
    },
    advance: (ms) => {
      current += ms;
    },
  };
};
