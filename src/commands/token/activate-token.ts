import * as E from 'fp-ts/lib/Either.js';
import type { CommandHandler, DecisionWrite } from '../command-handler.js';
import { fromHostPort } from '../host-port.js';
import { decideRetirePhysical, decideSecurityAnswerFailed, decideSecurityAnswerPassed } from '../../domain/company/decide.js';
import type { CompanyEvent } from '../../domain/company/events.js';
import { isSecurityQuestionLocked } from '../../domain/company/state.js';
import { companyStreamId } from '../../domain/company/events.js';
import { checkOtp, refusal, withOtpRecord } from '../confirmation.js';
import { decideAdmitted, decideDisablePhysical, tokenRefusal, type ExistingTokenCommand } from '../../domain/token/decide.js';
import { tokenStreamId } from '../../domain/token/events.js';
import { invalidCommand, preconditionFailed } from '../../errors/sdk-error.js';
import { ActivateTokenCodec, type ActivateTokenCommand } from './codecs.js';
import { loadTokenState, type TokenHandlerDeps } from './context.js';
import { firstEvent, replayed, serialOfStream } from './outcomes.js';
import { prepareTokenCommand } from './prepare.js';

/** What ActivateToken returns. */
export interface ActivateTokenOutput {
  readonly serial: string;
  readonly status: 'active';
  /** The user's physical token, disabled in the same commit, if they had one. */
  readonly disabledPhysicalToken?: string;
}

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
  handle: (command, context) => async () => {
    const prepared = await prepareTokenCommand(deps, context, command)();
    if (E.isLeft(prepared)) return prepared;
    const { serial, admitted, version, company, facts } = prepared.right;
    const target = { token: admitted.token, version };
    const { policy } = company.state;
    const byQuestion = policy.activation === 'security-question';
    const answer = command.securityAnswer;
    if (byQuestion && (answer === undefined || answer.trim() === '')) {
      return E.left(invalidCommand([{ path: 'securityAnswer', message: 'required: the answer to the security question' }]));
    }
    // Checked before the OTP rule and the directory: a locked-out user spends no code and gets no verdict.
    if (byQuestion && isSecurityQuestionLocked(company.state, target.token.userId)) {
      return E.left(
        preconditionFailed(
          'security-question-unlocked',
          `user ${target.token.userId} gave too many wrong security answers; a company admin or the bank must clear the lock (ClearSecurityQuestionLock)`,
        ),
      );
    }
    const check = await (checkOtp(deps.otpEngine)(context, { actor: command.actor, code: command.otp, command: command.type }))();
    if (E.isLeft(check)) return check;
    if (check.right._tag === 'Refused') return E.right(refusal(check.right));

    let activation: Extract<ExistingTokenCommand, { readonly type: 'ActivateToken' }> = { type: 'ActivateToken', serial, method: 'admin' };
    // The company stream's share: the user's count of wrong answers, and the retired physical token.
    const companyEvents: CompanyEvent[] = [];
    if (byQuestion && answer !== undefined) {
      const { companyId, userId } = target.token;
      const correct = await (fromHostPort('the directory', () => deps.directory.checkSecurityAnswer(companyId, userId, answer)))();
      if (E.isLeft(correct)) return correct;
      activation = { type: 'ActivateToken', serial, method: 'security-question', answerCorrect: correct.right };
      companyEvents.push(...(correct.right ? decideSecurityAnswerPassed(company.state, userId) : decideSecurityAnswerFailed(company.state, userId, serial)));
    }
    const decision = decideAdmitted(activation, admitted, facts);
    if (E.isLeft(decision)) return decision;
    const failure = tokenRefusal(decision.right, serial);
    const writes: DecisionWrite[] = [{ streamId: tokenStreamId(serial), expectedVersion: target.version, events: decision.right }];

    let disabledPhysicalToken: string | undefined;
    const physical = company.state.holdings.get(target.token.userId)?.physical;
    if (failure === undefined && physical !== undefined) {
      const loaded = await loadTokenState(context, physical)();
      if (E.isLeft(loaded)) return loaded;
      const disabled = decideDisablePhysical(serial, loaded.right.state);
      if (disabled.length > 0) disabledPhysicalToken = physical;
      writes.push({ streamId: tokenStreamId(physical), expectedVersion: loaded.right.version, events: disabled });
      companyEvents.push(...decideRetirePhysical(company.state, target.token.userId, physical));
    }
    if (companyEvents.length > 0 || physical !== undefined) {
      writes.push({ streamId: companyStreamId(target.token.companyId), expectedVersion: company.version, events: companyEvents });
    }
    return withOtpRecord(check.right, {
      writes,
      output: { serial, status: 'active' as const, ...(disabledPhysicalToken === undefined ? {} : { disabledPhysicalToken }) },
      ...(failure === undefined ? {} : { failure }),
    });
  },
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
