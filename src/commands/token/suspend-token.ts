import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { CommandHandler } from '../command-handler.js';
import { withOtpRecord } from '../otp-record.js';
import { decideAdmitted } from '../../domain/token/decide.js';
import { tokenStreamId } from '../../domain/token/events.js';
import { SuspendTokenCodec, type SuspendTokenCommand } from '../../domain/token/commands.js';
import type { TokenHandlerDeps } from './context.js';
import { firstEvent, replayed, serialOfStream } from './outcomes.js';
import { confirmedTokenCommand } from './prepare.js';

/** What SuspendToken returns. */
export interface SuspendTokenOutput {
  readonly serial: string;
  readonly status: 'suspended';
}

/**
 * SuspendToken: a company admin (OTP rule) or a bank operator puts an active token on hold (a user
 * on leave, an investigation). It confirms nothing until resumed, and keeps its seed and quota
 * slot; its locked flag is left as it is.
 */
export const suspendTokenHandler = (deps: TokenHandlerDeps): CommandHandler<SuspendTokenCommand, SuspendTokenOutput> => ({
  type: 'SuspendToken',
  codec: SuspendTokenCodec,
  secretFields: ['otp'],
  handle: (command, context) =>
    confirmedTokenCommand(deps, context, command, ({ serial, admitted, version, facts }, check) =>
      pipe(
        decideAdmitted({ type: 'SuspendToken', serial }, admitted, facts),
        E.chain((events) =>
          withOtpRecord(check, { writes: [{ streamId: tokenStreamId(serial), expectedVersion: version, events }], output: { serial, status: 'suspended' as const } }),
        ),
        TE.fromEither,
      ),
    ),
  outcomeOf: (events) =>
    replayed(events, () => {
      const suspended = firstEvent(events, 'TokenSuspended');
      return suspended === undefined ? undefined : { serial: serialOfStream(suspended.streamId), status: 'suspended' as const };
    }),
});
