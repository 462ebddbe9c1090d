import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import type { HandlerContext } from '../command-handler.js';
import type { SdkError } from '../../errors/sdk-error.js';
import type { StoredEvent } from '../../events/envelope.js';
import type { OtpCheck, OtpConfirmationRequest } from '../confirmation.js';
import type { Directory } from '../../ports/directory.js';
import type { DynamicLinkingCheck } from './dynamic-linking-confirmation.js';

/** What the order handlers need besides the command runtime. */
export interface OrderHandlerDeps {
  readonly directory: Directory;
  /** The one OTP rule (the token domain's `checkOtp(engine)`): is the actor enrolled, and does the code confirm the command. */
  readonly checkOtp: (context: HandlerContext, request: OtpConfirmationRequest) => TaskEither<SdkError, OtpCheck>;
  /** The dynamic-linking rule (`checkDynamicLinking(engine)`): the OCRA response over an approval's digest. */
  readonly checkDynamicLinking: DynamicLinkingCheck;
  /** The company's maker-checker policy (default on). */
  readonly makerChecker: (context: HandlerContext, companyId: string) => TaskEither<SdkError, boolean>;
  /** The refusal a command recorded (a rejected OTP), so replaying a refused command fails again the same way. */
  readonly recordedRefusal: (events: readonly StoredEvent[]) => SdkError | undefined;
}

export { gatherActor } from '../gather-actor.js';
