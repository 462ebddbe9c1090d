import type { Decider } from '../events/decider.js';
import type { SdkError, SdkErrorCode, SdkErrorTag } from '../errors/sdk-error.js';

/** Readable text for any value a decider deals in, bigints and undefined included. */
const show = (value: unknown): string =>
  JSON.stringify(value, (_, member: unknown) => (typeof member === 'bigint' ? `${member.toString()}n` : member === undefined ? '<undefined>' : member), 2);

const isPlainObject = (value: unknown): value is Readonly<Record<string, unknown>> => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype: unknown = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
};

/** Structural equality: same primitives (bigints by value), same arrays, same own defined members. */
export const deepEqual = (a: unknown, b: unknown): boolean => {
  if (Object.is(a, b)) return true;
  if (Array.isArray(a) || Array.isArray(b)) {
    return Array.isArray(a) && Array.isArray(b) && a.length === b.length && a.every((item, index) => deepEqual(item, b[index]));
  }
  if (a instanceof Date || b instanceof Date) return a instanceof Date && b instanceof Date && a.getTime() === b.getTime();
  if (isPlainObject(a) && isPlainObject(b)) {
    const keysOf = (record: Readonly<Record<string, unknown>>): string[] => Object.keys(record).filter((key) => record[key] !== undefined).sort();
    const keys = keysOf(a);
    const otherKeys = keysOf(b);
    return keys.length === otherKeys.length && keys.every((key, index) => key === otherKeys[index] && deepEqual(a[key], b[key]));
  }
  return false;
};

/** The outcome of a `when`, to check with `then` (events) or `thenError` (an error's tag or code). */
export interface DeciderOutcome<State, Event> {
  /** Asserts `decide` returned exactly these events; returns them. Synchronous: do not `await` it. */
  readonly then: (expected: readonly Event[]) => readonly Event[];
  /** Asserts `decide` failed with this `_tag` or `code`; returns the error for further checks. */
  readonly thenError: (tagOrCode: SdkErrorTag | SdkErrorCode) => SdkError;
  /** Asserts the state after the given events and the decided ones; returns it. */
  readonly thenState: (expected: State) => State;
}

/** What follows `given`: the command, and the facts the shell would have gathered for it. */
export interface DeciderGiven<Command, State, Event, Facts> {
  /** Runs `decide` on the state folded from the given events. */
  readonly when: (command: Command, ...facts: undefined extends Facts ? [facts?: Facts] : [facts: Facts]) => DeciderOutcome<State, Event>;
}

/** Given/when/then for a decider, throwing plain `Error`s with readable messages (runner-agnostic). */
export interface DeciderSpecification<Command, State, Event, Facts> {
  /** The events that already happened: folded with `evolve` from `initialState`. */
  readonly given: (events: readonly Event[]) => DeciderGiven<Command, State, Event, Facts>;
}

const fail = (message: string): never => {
  throw new Error(message);
};

/**
 * Tests a decider the way its rules are written:
 * `deciderSpec(agreementDecider).given([registered]).when(grant, facts).then([granted])` or
 * `.thenError('Forbidden')` (any `Decider`: `agreementDecider`, `orderDecider`, `tokenDecider`, `companyDecider`).
 */
export const deciderSpec = <Command, State, Event, Facts = undefined>(decider: Decider<Command, State, Event, Facts>): DeciderSpecification<Command, State, Event, Facts> => ({
  given: (history) => ({
    when: (command, ...facts) => {
      const state = history.reduce(decider.evolve, decider.initialState);
      let decided: ReturnType<typeof decider.decide> | undefined;
      let thrown: unknown;
      try {
        decided = decider.decide(command, state, facts[0] as Facts);
      } catch (cause) {
        thrown = cause;
      }
      const events = (): readonly Event[] => {
        if (decided === undefined) return fail(`decide threw instead of returning: ${thrown instanceof Error ? thrown.message : show(thrown)}`);
        if (decided._tag === 'Left') return fail(`expected events, but decide failed with ${decided.left._tag} (${decided.left.code}): ${decided.left.message}`);
        return decided.right;
      };
      return {
        then: (expected) => {
          if (typeof expected === 'function') fail('given/when/then is synchronous: call .then(expectedEvents) instead of awaiting it');
          const actual = events();
          if (!deepEqual(actual, expected)) fail(`decide returned other events.\nexpected: ${show(expected)}\nactual:   ${show(actual)}`);
          return actual;
        },
        thenError: (tagOrCode) => {
          if (decided === undefined) return fail(`decide threw instead of returning: ${thrown instanceof Error ? thrown.message : show(thrown)}`);
          if (decided._tag === 'Right') return fail(`expected ${tagOrCode}, but decide returned events: ${show(decided.right)}`);
          const error = decided.left;
          if (error._tag !== tagOrCode && error.code !== tagOrCode) fail(`expected ${tagOrCode}, but decide failed with ${error._tag} (${error.code}): ${error.message}`);
          return error;
        },
        thenState: (expected) => {
          const after = events().reduce(decider.evolve, state);
          if (!deepEqual(after, expected)) fail(`the state after the decided events differs.\nexpected: ${show(expected)}\nactual:   ${show(after)}`);
          return after;
        },
      };
    },
  }),
});
