import * as E from 'fp-ts/lib/Either.js';
import type { CommandHandler } from '../command-handler.js';
import { decideClearSecurityQuestionLock, requireConfigured } from '../../domain/company/decide.js';
import { companyStreamId, decodeCompanyEvent } from '../../domain/company/events.js';
import { checkOtp, refusal, withOtpRecord } from '../confirmation.js';
import { authorize } from '../../domain/token/authorize.js';
import { forbidden } from '../../errors/sdk-error.js';
import { ClearSecurityQuestionLockCodec, type ClearSecurityQuestionLockCommand } from '../../domain/token/commands.js';
import { actingUser, loadCompany, rolesOf, run, type TokenHandlerDeps } from './context.js';
import { replayed } from './outcomes.js';

/** What ClearSecurityQuestionLock returns. */
export interface ClearSecurityQuestionLockOutput {
  readonly companyId: string;
  readonly userId: string;
  readonly securityAnswerFailures: 0;
}

/**
 * ClearSecurityQuestionLock: a company admin (under the OTP rule) or a bank operator forgets a
 * user's wrong security answers, which are counted per user across tokens, so the user may
 * activate by security question again. A user may not clear their own lock: whoever guessed would
 * otherwise clear it too. Recorded in the company stream, so the audit trail shows who cleared it.
 */
export const clearSecurityQuestionLockHandler = (deps: TokenHandlerDeps): CommandHandler<ClearSecurityQuestionLockCommand, ClearSecurityQuestionLockOutput> => ({
  type: 'ClearSecurityQuestionLock',
  codec: ClearSecurityQuestionLockCodec,
  secretFields: ['otp'],
  handle: (command, context) => async () => {
    const { actor, companyId, userId } = command;
    const user = await actingUser(deps.directory, actor);
    if (E.isLeft(user)) return user;
    const roles = rolesOf(actor, user.right, { companyId, userId });
    if (roles.owner) return E.left(forbidden('a user cannot clear their own security-question lock'));
    const loaded = await loadCompany(context, companyId);
    if (E.isLeft(loaded)) return loaded;
    const role = authorize('ClearSecurityQuestionLock', roles, loaded.right.state.policy);
    if (E.isLeft(role)) return role;
    const company = requireConfigured(loaded.right.state, companyId);
    if (E.isLeft(company)) return company;
    const events = decideClearSecurityQuestionLock(company.right, userId, role.right === 'bank' ? 'bank' : 'admin');
    if (E.isLeft(events)) return events;
    const check = await run(checkOtp(deps.otpEngine)(context, { actor, code: command.otp, command: command.type }));
    if (E.isLeft(check)) return check;
    if (check.right._tag === 'Refused') return E.right(refusal(check.right));
    return withOtpRecord(check.right, {
      writes: [{ streamId: companyStreamId(companyId), expectedVersion: loaded.right.version, events: events.right }],
      output: { companyId, userId, securityAnswerFailures: 0 as const },
    });
  },
  outcomeOf: (events, command) =>
    replayed(events, () =>
      events.some((stored) => decodeCompanyEvent(stored)?.type === 'SecurityAnswerFailuresCleared')
        ? { companyId: command.companyId, userId: command.userId, securityAnswerFailures: 0 as const }
        : undefined,
    ),
});
