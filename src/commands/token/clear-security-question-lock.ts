import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import { gatherActor } from '../gather-actor.js';
import type { CommandHandler } from '../command-handler.js';
import { companyDecider } from '../../domain/company/decide.js';
import { companyStreamId, decodeCompanyEvent } from '../../domain/company/events.js';
import { withOtpRecord } from '../otp-record.js';
import { ClearSecurityQuestionLockCodec, type ClearSecurityQuestionLockCommand } from '../../domain/token/commands.js';
import { loadCompany, type TokenHandlerDeps } from './context.js';
import { confirmingOtp } from './prepare.js';
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
  handle: (command, context) => {
    const { companyId, userId } = command;
    return pipe(
      TE.Do,
      TE.bind('actor', () => gatherActor(deps.directory, command.actor)),
      TE.bind('company', () => loadCompany(context, companyId)),
      TE.bind('events', ({ actor, company }) => TE.fromEither(companyDecider.decide({ type: 'ClearSecurityQuestionLock', companyId, userId }, company.state, { actor }))),
      TE.chain(({ company, events }) =>
        confirmingOtp(deps, context, command, (check) =>
          TE.fromEither(
            withOtpRecord(check, {
              writes: [{ streamId: companyStreamId(companyId), expectedVersion: company.version, events }],
              output: { companyId, userId, securityAnswerFailures: 0 as const },
            }),
          ),
        ),
      ),
    );
  },
  outcomeOf: (events, command) =>
    replayed(events, () =>
      events.some((stored) => decodeCompanyEvent(stored)?.type === 'SecurityAnswerFailuresCleared')
        ? { companyId: command.companyId, userId: command.userId, securityAnswerFailures: 0 as const }
        : undefined,
    ),
});
