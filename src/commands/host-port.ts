import * as TE from 'fp-ts/lib/TaskEither.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { infrastructureFrom } from '../errors/sdk-error.js';
import type { SdkError } from '../errors/sdk-error.js';
import type { MaybePromise } from '../ports/maybe-async.js';

/**
 * Calls a host port (directory, vault, vendor OTP verifier) that may answer synchronously or with
 * a promise, and may throw or reject: the answer, or an `Infrastructure` error naming `what`.
 */
export const fromHostPort = <A>(what: string, call: () => MaybePromise<A>): TaskEither<SdkError, A> =>
  // An async wrapper, so that a port that throws synchronously is caught like one that rejects.
  TE.tryCatch(async () => call(), infrastructureFrom(what));
