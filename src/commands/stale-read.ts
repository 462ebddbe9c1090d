import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { concurrencyConflict, type SdkError } from '../errors/sdk-error.js';
import type { HandlerContext } from './command-handler.js';
import type { StreamFold } from '../events/stream-fold.js';

/**
 * For a handler that finds a secret missing from the vault although the state it read (at
 * `version`) names it: reads the stream again. If it has moved on, a command committed meanwhile
 * (another instance's delete, enrolment or reissue) most likely retired the secret and the
 * shredder destroyed it; the attempt answered from a stale state, so it ends as a concurrency
 * conflict, which the runtime retries on the new state. If the stream has not moved, the secret
 * really is missing and the handler says so.
 */
export const conflictIfMoved =
  <S>(context: HandlerContext, streamId: string, fold: StreamFold<S>, version: number): TaskEither<SdkError, void> =>
    pipe(
      context.load(streamId, fold, { fresh: true }),
      TE.chainEitherK((current) => (current.version === version ? E.right(undefined) : E.left(concurrencyConflict(streamId, String(version), current.version)))),
    );
