import type { Either } from 'fp-ts/lib/Either.js';
import { infrastructure, type SdkError } from '../errors/sdk-error.js';

/** What every call of the Promise SDK resolves to: a value, or a tagged error. It never rejects. */
export type Result<A> = { readonly ok: true; readonly value: A } | { readonly ok: false; readonly error: SdkError };

/**
 * Runs a task and settles it as a `Result`, whatever happens: a `Left` becomes `{ ok: false }`, and
 * so does a task that throws while being built, rejects, or resolves to something that is not an
 * `Either`. Only the thrown value's class is named: its message may quote a host's input (issue 11).
 */
export const settle = async <A>(start: () => () => Promise<Either<SdkError, A>>): Promise<Result<A>> => {
  try {
    const answer = await start()();
    if (answer._tag === 'Right') return { ok: true, value: answer.right };
    return { ok: false, error: answer.left };
  } catch (thrown) {
    const kind = thrown instanceof Error ? thrown.constructor.name : typeof thrown;
    return { ok: false, error: infrastructure(`the SDK failed unexpectedly (${kind})`) };
  }
};
