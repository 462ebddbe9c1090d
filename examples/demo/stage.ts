/**
 * The demo's step runner: every command is sent with the outcome it should have (a success, or
 * a refusal with a given error code), and one line tells what happened. A step that behaves
 * otherwise stops the demo with a readable line, never a stack trace.
 */
import * as E from 'fp-ts/lib/Either.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import type { Actor, DispatchResult, OtpRejectionReason, Sdk, SdkError, SdkErrorCode } from '../../src/index.js';

/** Where the demo writes its lines (the console, or a test's buffer). */
export type Print = (line?: string) => void;

/** Thrown by a step that did not behave as expected; the demo catches it and says so. */
export class UnexpectedOutcome extends Error {
  override readonly name = 'UnexpectedOutcome';
}

/** A person (or the bank) as the demo shows them, and as the SDK sees them. */
export interface Who {
  readonly label: string;
  readonly actor: Actor;
}

/** The pieces of a command the demo fills in: everything but `commandId` and `actor`. */
export type CommandBody = Readonly<Record<string, unknown>> & { readonly type: string };

export interface Stage {
  readonly print: Print;
  /** A numbered section title. */
  readonly section: (title: string) => void;
  /** A line of narration, indented like the steps. */
  readonly note: (text: string) => void;
  /** Sends a command that must succeed; prints `✓ who: what → describe(output)`. */
  readonly ok: <O>(who: Who, what: string, command: CommandBody, describe?: (output: O) => string) => Promise<O>;
  /** Sends a command that must be refused with `code` (and, for OTP refusals, `reason`); prints the refusal as the user would see it. */
  readonly refused: (who: Who, what: string, command: CommandBody, code: SdkErrorCode, reason?: OtpRejectionReason) => Promise<SdkError>;
  /** A check of something the demo can see (a view, a flag): must hold. */
  readonly check: (what: string, holds: boolean, detail?: string) => void;
  /** Runs a read (a view, the chain check) that must succeed. */
  readonly read: <A>(what: string, task: TaskEither<SdkError, A>) => Promise<A>;
  /** How many steps ran. */
  readonly steps: () => number;
}

/** The demo's refusal line: the stable code, then the human message. */
export const describeError = (error: SdkError): string => `${error.code} (${error.message})`;

/** A stage over `sdk` that prints with `print`; command ids are `demo-1`, `demo-2`, … */
export const stage = (sdk: Sdk, print: Print): Stage => {
  let counter = 0;
  let steps = 0;
  const dispatch = async (who: Who, command: CommandBody): Promise<E.Either<SdkError, DispatchResult>> =>
    sdk.dispatchJson({ ...command, commandId: `demo-${String(++counter)}`, actor: who.actor })();
  const line = (mark: '✓' | '✗', who: Who | undefined, text: string): void => {
    print(`   ${mark} ${who === undefined ? '' : `${who.label}: `}${text}`);
  };
  const fail = (who: Who | undefined, text: string): never => {
    line('✗', who, text);
    throw new UnexpectedOutcome(`${who === undefined ? '' : `${who.label}: `}${text}`);
  };

  return {
    print,
    section: (title) => {
      print();
      print(title);
      print('─'.repeat(Math.min(100, title.length)));
    },
    note: (text) => {
      print(`     ${text}`);
    },
    ok: async <O>(who: Who, what: string, command: CommandBody, describe?: (output: O) => string): Promise<O> => {
      steps++;
      const result = await dispatch(who, command);
      if (E.isLeft(result)) return fail(who, `${what} → expected success, got ${describeError(result.left)}`);
      const output = result.right.output as O;
      line('✓', who, describe === undefined ? what : `${what} → ${describe(output)}`);
      return output;
    },
    refused: async (who, what, command, code, reason) => {
      steps++;
      const expected = reason === undefined ? code : `${code} (${reason})`;
      const result = await dispatch(who, command);
      if (E.isRight(result)) return fail(who, `${what} → expected ${expected}, but it went through`);
      const error = result.left;
      if (error.code !== code || (reason !== undefined && (error._tag !== 'OtpRejected' || error.reason !== reason))) {
        return fail(who, `${what} → expected ${expected}, got ${describeError(error)}`);
      }
      line('✓', who, `${what} → refused: ${describeError(result.left)}`);
      return result.left;
    },
    check: (what, holds, detail) => {
      steps++;
      if (!holds) fail(undefined, `${what}${detail === undefined ? '' : ` (${detail})`}: does not hold`);
      line('✓', undefined, detail === undefined ? what : `${what}: ${detail}`);
    },
    read: async (what, task) => {
      const result = await task();
      if (E.isLeft(result)) return fail(undefined, `${what} → ${describeError(result.left)}`);
      return result.right;
    },
    steps: () => steps,
  };
};
