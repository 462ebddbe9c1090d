import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { HandlerContext } from '../command-handler.js';
import { fromHostPort } from '../host-port.js';
import { conflictIfMoved } from '../stale-read.js';
import { parseActivationCode, type ActivationCode } from '../../activation/activation-code.js';
import { tokenStreamId } from '../../domain/token/events.js';
import { tokenFold } from '../../domain/token/fold.js';
import { activationCodeExpired, infrastructure, type SdkError } from '../../errors/sdk-error.js';
import type { TokenHandlerDeps } from './context.js';

/**
 * The pending activation code of a token, read from the vault for an enrolment (either protocol).
 * A code retired meanwhile by a committed command (a delete, an enrolment, a reissue) is a
 * conflict when the stream moved, so the command is answered from the new state.
 */
export const activationCodeFromVault = (
  deps: TokenHandlerDeps,
  context: HandlerContext,
  serial: string,
  version: number,
  activationCodeRef: string,
): TaskEither<SdkError, ActivationCode> =>
  pipe(
    fromHostPort('the secret vault', () => deps.vault.get(activationCodeRef)),
    TE.chain((stored) =>
      stored === undefined
        ? pipe(
            conflictIfMoved(context, tokenStreamId(serial), tokenFold, version),
            TE.chain(() => TE.left({ ...activationCodeExpired(serial), message: `the activation code of token ${serial} is no longer available; ask for a new one` })),
          )
        : TE.right(stored),
    ),
    TE.chainEitherK((stored) => E.mapLeft(() => infrastructure(`the vault holds an unreadable activation code for token ${serial}`))(parseActivationCode(new TextDecoder().decode(stored)))),
  );
