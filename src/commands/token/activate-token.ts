import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { CommandHandler, Decision, DecisionWrite, HandlerContext } from '../command-handler.js';
import { fromHostPort } from '../host-port.js';
import { decideRetirePhysical, decideSecurityAnswerFailed, decideSecurityAnswerPassed } from '../../domain/company/decide.js';
import type { CompanyEvent } from '../../domain/company/events.js';
import { isSecurityQuestionLocked } from '../../domain/company/state.js';
import { companyStreamId } from '../../domain/company/events.js';
import { withOtpRecord } from '../otp-record.js';
import { decideAdmitted, decideDisablePhysical, tokenRefusal, type ExistingTokenCommand } from '../../domain/token/decide.js';
import { tokenStreamId } from '../../domain/token/events.js';
import { invalidCommand, preconditionFailed, type SdkError } from '../../errors/sdk-error.js';
import { ActivateTokenCodec, type ActivateTokenCommand } from '../../domain/token/commands.js';
import { loadTokenState, type TokenHandlerDeps } from './context.js';
import { firstEvent, replayed, serialOfStream } from './outcomes.js';
import { confirmingOtp, prepareTokenCommand, type PassedOtpCheck, type PreparedTokenCommand } from './prepare.js';

/** What ActivateToken returns. */
export interface ActivateTokenOutput {
  readonly serial: string;
  readonly status: 'active';
  /** The user's physical token, disabled in the same commit, if they had one. */
  readonly disabledPhysicalToken?: string;
}

/** ActivateToken's activation command: by an admin, or by the owner with the directory's verdict on their answer. */
type Activation = Extract<ExistingTokenCommand, { readonly type: 'ActivateToken' }>;

/**
 * Under `security-question`: an answer is required, and a locked-out user is refused. Checked before
 * the OTP rule and the directory: a locked-out user spends no code and gets no verdict.
 */
const requireAnswerable = (command: ActivateTokenCommand, { admitted, company }: PreparedTokenCommand): E.Either<SdkError, void> => {
  if (company.state.policy.activation !== 'security-question') return E.right(undefined);
  const answer = command.securityAnswer;
  if (answer === undefined || answer.trim() === '') return E.left(invalidCommand([{ path: 'securityAnswer', message: 'required: the answer to the security question' }]));
  const { userId } = admitted.token;
  return isSecurityQuestionLocked(company.state, userId)
    ? E.left(
        preconditionFailed(
          'security-question-unlocked',
          `user ${userId} gave too many wrong security answers; a company admin or the bank must clear the lock (ClearSecurityQuestionLock)`,
        ),
      )
    : E.right(undefined);
};

/** After the OTP rule: the directory's verdict on the answer (counted per user in the company stream), the events, the physical token retired. */
const activate = (
  deps: TokenHandlerDeps,
  context: HandlerContext,
  command: ActivateTokenCommand,
  { serial, admitted, version, company, facts }: PreparedTokenCommand,
  check: PassedOtpCheck,
): TaskEither<SdkError, Decision<ActivateTokenOutput>> => {
  const { companyId, userId } = admitted.token;
  const answer = command.securityAnswer;
  const activation: TaskEither<SdkError, { readonly command: Activation; readonly companyEvents: readonly CompanyEvent[] }> =
    company.state.policy.activation === 'security-question' && answer !== undefined
      ? pipe(
          fromHostPort('the directory', () => deps.directory.checkSecurityAnswer(companyId, userId, answer)),
          TE.map((correct) => ({
            command: { type: 'ActivateToken', serial, method: 'security-question', answerCorrect: correct },
            companyEvents: correct ? decideSecurityAnswerPassed(company.state, userId) : decideSecurityAnswerFailed(company.state, userId, serial),
          })),
        )
      : TE.right({ command: { type: 'ActivateToken', serial, method: 'admin' }, companyEvents: [] });
  const physical = company.state.holdings.get(userId)?.physical;
  return pipe(
    activation,
    TE.bindTo('activation'),
    TE.bind('events', ({ activation }) => TE.fromEither(decideAdmitted(activation.command, admitted, facts))),
    TE.let('failure', ({ events }) => tokenRefusal(events, serial)),
    // The user's active physical token is disabled in the same commit as a successful activation.
    TE.bind('physical', ({ failure }) =>
      failure === undefined && physical !== undefined
        ? pipe(
            loadTokenState(context, physical),
            TE.map((loaded) => ({ serial: physical, version: loaded.version, events: decideDisablePhysical(serial, loaded.state) })),
          )
        : TE.right(undefined),
    ),
    TE.chainEitherK(({ activation, events, failure, physical: disabled }) => {
      // Only a physical token this commit disables leaves the index: a suspended or lost one stays the user's.
      const retired = disabled !== undefined && disabled.events.length > 0 ? decideRetirePhysical(company.state, userId, disabled.serial) : [];
      const companyEvents = [...activation.companyEvents, ...retired];
      const writes: DecisionWrite[] = [
        { streamId: tokenStreamId(serial), expectedVersion: version, events },
        ...(disabled === undefined ? [] : [{ streamId: tokenStreamId(disabled.serial), expectedVersion: disabled.version, events: disabled.events }]),
        ...(companyEvents.length > 0 || physical !== undefined ? [{ streamId: companyStreamId(companyId), expectedVersion: company.version, events: companyEvents }] : []),
      ];
      const disabledPhysicalToken = disabled !== undefined && disabled.events.length > 0 ? disabled.serial : undefined;
      return withOtpRecord(check, {
        writes,
        output: { serial, status: 'active' as const, ...(disabledPhysicalToken === undefined ? {} : { disabledPhysicalToken }) },
        ...(failure === undefined ? {} : { failure }),
      });
    }),
  );
};

/**
 * ActivateToken: under policy `admin` a company admin activates (OTP rule); under
 * `security-question` the owner answers their security question. The user's active physical
 * token, if any, is disabled in the same commit. Wrong answers are counted per user in the company
 * stream, in the same commit as the attempt: at the policy's `registrationAttempts` the user
 * cannot activate by security question until an admin or the bank clears it
 * (ClearSecurityQuestionLock), whatever token they try it on.
 */
export const activateTokenHandler = (deps: TokenHandlerDeps): CommandHandler<ActivateTokenCommand, ActivateTokenOutput> => ({
  type: 'ActivateToken',
  codec: ActivateTokenCodec,
  secretFields: ['otp', 'securityAnswer'],
  handle: (command, context) =>
    pipe(
      prepareTokenCommand(deps, context, command),
      TE.chainFirstEitherK((prepared) => requireAnswerable(command, prepared)),
      TE.chain((prepared) => confirmingOtp(deps, context, command, (check) => activate(deps, context, command, prepared, check))),
    ),
  outcomeOf: (events) =>
    replayed(events, () => {
      const activated = firstEvent(events, 'TokenActivated');
      if (activated === undefined) return undefined;
      const disabled = firstEvent(events, 'PhysicalTokenDisabled');
      return {
        serial: serialOfStream(activated.streamId),
        status: 'active' as const,
        ...(disabled === undefined ? {} : { disabledPhysicalToken: serialOfStream(disabled.streamId) }),
      };
    }),
});
