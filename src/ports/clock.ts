/** The only source of time in the SDK, so every test can fix it. */
export interface Clock {
  /** Milliseconds since the Unix epoch. */
  readonly now: () => number;
}

export const systemClock: Clock = { now: () => Date.now() };

/** A clock that stands still until told to move: for tests and simulations. */
export interface ManualClock extends Clock {
  readonly set: (epochMs: number) => void;
  readonly advance: (ms: number) => void;
}

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
