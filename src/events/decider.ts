import type { Either } from 'fp-ts/lib/Either.js';
import type { SdkError } from '../errors/sdk-error.js';

/** A domain event before it is put in an envelope: its type and its payload. */
export interface DomainEvent<Type extends string = string, Data = unknown> {
  readonly type: Type;
  readonly data: Data;
}

/**
 * The pure heart of a stream: `decide` turns a command, the current state and the facts the shell
 * gathered (time, directory answers, OTP verdicts) into events or an error; `evolve` folds an
 * event into the state. Neither does I/O, reads a clock or draws randomness.
 */
export interface Decider<Command, State, Event, Facts = undefined> {
  /** The events a command produces in a state, or why it is refused. */
  readonly decide: (command: Command, state: State, facts: Facts) => Either<SdkError, readonly Event[]>;
  /** The state after one more event. */
  readonly evolve: (state: State, event: Event) => State;
  /** The state of a stream with no events. */
  readonly initialState: State;
}
