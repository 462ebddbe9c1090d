import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { CommandHandler } from '../command-handler.js';
import { withOtpRecord } from '../otp-record.js';
import { decideAdmitted } from '../../domain/token/decide.js';
import { tokenStreamId } from '../../domain/token/events.js';
import { ResumeTokenCodec, type ResumeTokenCommand } from '../../domain/token/commands.js';
import type { TokenHandlerDeps } from './context.js';
import { firstEvent, replayed, serialOfStream } from './outcomes.js';
import { confirmedTokenCommand } from './prepare.js';

/** What ResumeToken returns. */
export interface ResumeTokenOutput {
  readonly serial: string;
  readonly status: 'active';
}

/**
 * ResumeToken: a company admin (OTP rule) or a bank operator lets a suspended token confirm again.
 * Resuming does not unlock: a token locked before or while suspended stays locked.
 */
export const resumeTokenHandler = (deps: TokenHandlerDeps): CommandHandler<ResumeTokenCommand, ResumeTokenOutput> => ({
  type: 'ResumeToken',
  codec: ResumeTokenCodec,
  secretFields: ['otp'],
  handle: (command, context) =>
    confirmedTokenCommand(deps, context, command, ({ serial, admitted, version, facts }, check) =>
      pipe(
        decideAdmitted({ type: 'ResumeToken', serial }, admitted, facts),
        E.chain((events) =>
          withOtpRecord(check, { writes: [{ streamId: tokenStreamId(serial), expectedVersion: version, events }], output: { serial, status: 'active' as const } }),
        ),
        TE.fromEither,
      ),
    ),
  outcomeOf: (events) =>
    replayed(events, () => {
      const resumed = firstEvent(events, 'TokenResumed');
      return resumed === undefined ? undefined : { serial: serialOfStream(resumed.streamId), status: 'active' as const };
    }),
});
