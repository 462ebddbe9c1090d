import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { HandlerContext } from '../command-handler.js';
import { actorAlias, exactDirectoryUser } from '../directory-lookup.js';
import type { SdkError } from '../../errors/sdk-error.js';
import type { Actor, StoredEvent } from '../../events/envelope.js';
import type { OtpCheck, OtpConfirmationRequest } from '../confirmation.js';
import type { Directory } from '../../ports/directory.js';
import type { ActorFacts } from '../../domain/agreement/actor-facts.js';
import { actorFacts } from '../../domain/agreement/actor-facts.js';

/** What the order handlers need besides the command runtime. */
export interface OrderHandlerDeps {
  readonly directory: Directory;
  /** The one OTP rule (the token domain's `checkOtp(engine)`): is the actor enrolled, and does the code confirm the command. */
  readonly checkOtp: (context: HandlerContext, request: OtpConfirmationRequest) => TaskEither<SdkError, OtpCheck>;
  /** The company's maker-checker policy (default on). */
  readonly makerChecker: (context: HandlerContext, companyId: string) => TaskEither<SdkError, boolean>;
  /** The refusal a command recorded (a rejected OTP), so replaying a refused command fails again the same way. */
  readonly recordedRefusal: (events: readonly StoredEvent[]) => SdkError | undefined;
}

/** The acting party completed with what the directory says of them; an alias of a directory record is refused. */
export const gatherActor = (directory: Directory, actor: Actor): TaskEither<SdkError, ActorFacts> =>
  actor.kind === 'user'
    ? pipe(
        exactDirectoryUser(directory, actor.companyId, actor.userId, actorAlias),
        TE.map((user) => actorFacts(actor, user)),
      )
    : TE.right(actorFacts(actor, undefined));
