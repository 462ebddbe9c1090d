import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { HandlerContext } from '../command-handler.js';
import { gatherActor } from '../gather-actor.js';
import { chooseFactor } from '../../domain/otp-rule/factor.js';
import { isLockedAt, tokenExists, type Token } from '../../domain/token/state.js';
import { forbidden, preconditionFailed, tokenLocked, type SdkError } from '../../errors/sdk-error.js';
import type { Actor } from '../../events/envelope.js';
import type { Directory } from '../../ports/directory.js';
import { loadCompany, loadTokenState, type LoadedCompany } from './context.js';

/** The acting user's factor that holds an app key, with its stream version and company. */
export interface AppFactor {
  readonly token: Token;
  readonly version: number;
  readonly company: LoadedCompany;
}

/**
 * The token whose app answers the actor's confirmations: their factor (active soft token, else
 * physical), which must be unlocked and activated with protocol v2 (it holds a signing key).
 */
export const loadAppFactor = (directory: Directory, context: HandlerContext, actor: Actor, type: string): TaskEither<SdkError, AppFactor> =>
  actor.kind !== 'user'
    ? TE.left(forbidden(`${type} is for the user whose app answers`))
    : pipe(
        gatherActor(directory, actor),
        TE.chain(() => loadCompany(context, actor.companyId)),
        TE.bindTo('company'),
        TE.bind('soft', ({ company }) => loadHeld(context, company.state.holdings.get(actor.userId)?.soft)),
        TE.bind('physical', ({ company }) => loadHeld(context, company.state.holdings.get(actor.userId)?.physical)),
        TE.chainEitherK(({ company, soft, physical }) => {
          const token = chooseFactor({ ...(soft === undefined ? {} : { soft: soft.state }), ...(physical === undefined ? {} : { physical: physical.state }) });
          if (token === undefined) return E.left(preconditionFailed('enrolled', 'the acting user has no active token'));
          if (isLockedAt(token, context.now)) return E.left(tokenLocked(token.serial));
          if (token.signingKey === undefined) return E.left(preconditionFailed('app-key', `token ${token.serial} has no app key: only a token activated with protocol v2 confirms by app`));
          const version = [soft, physical].find((loaded) => loaded !== undefined && tokenExists(loaded.state) && loaded.state.serial === token.serial)?.version ?? 0;
          return E.right({ token, version, company });
        }),
      );

const loadHeld = (context: HandlerContext, serial: string | undefined) =>
  serial === undefined ? TE.right(undefined) : loadTokenState(context, serial);
