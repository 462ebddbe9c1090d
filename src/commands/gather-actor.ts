import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import { actorAlias, exactDirectoryUser } from './directory-lookup.js';
import type { SdkError } from '../errors/sdk-error.js';
import type { Actor } from '../events/envelope.js';
import type { Directory } from '../ports/directory.js';
import { actorFacts, type ActorFacts } from '../domain/actor/actor-facts.js';

/**
 * The acting party completed with what the directory says of them (the one actor model of both
 * domains); an alias of a directory record is refused. Bank operators and the system actor have no
 * directory entry: the directory is not asked.
 */
export const gatherActor = (directory: Directory, actor: Actor): TaskEither<SdkError, ActorFacts> =>
  actor.kind === 'user'
    ? pipe(
        exactDirectoryUser(directory, actor.companyId, actor.userId, actorAlias),
        TE.map((user) => actorFacts(actor, user)),
      )
    : TE.right(actorFacts(actor, undefined));
