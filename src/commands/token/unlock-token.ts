import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { CommandHandler } from '../command-handler.js';
import { withOtpRecord } from '../otp-record.js';
import { decideAdmitted } from '../../domain/token/decide.js';
import { tokenStreamId } from '../../domain/token/events.js';
import { UnlockTokenCodec, type UnlockTokenCommand } from '../../domain/token/commands.js';
import type { TokenHandlerDeps } from './context.js';
import { firstEvent, replayed, serialOfStream } from './outcomes.js';
import { confirmedTokenCommand } from './prepare.js';

/** What UnlockToken returns. */
export interface UnlockTokenOutput {
  readonly serial: string;
  readonly locked: false;
}

/** UnlockToken: a company admin (OTP rule) or a bank operator clears a token's locked flag. */
export const unlockTokenHandler = (deps: TokenHandlerDeps): CommandHandler<UnlockTokenCommand, UnlockTokenOutput> => ({
  type: 'UnlockToken',
  codec: UnlockTokenCodec,
  secretFields: ['otp'],
  handle: (command, context) =>
    confirmedTokenCommand(deps, context, command, ({ serial, admitted, version, facts }, check) =>
      pipe(
        decideAdmitted({ type: 'UnlockToken', serial }, admitted, facts),
        E.chain((events) =>
          withOtpRecord(check, { writes: [{ streamId: tokenStreamId(serial), expectedVersion: version, events }], output: { serial, locked: false as const } }),
        ),
        TE.fromEither,
      ),
    ),
  outcomeOf: (events) =>
    replayed(events, () => {
      const unlocked = firstEvent(events, 'TokenUnlocked');
      return unlocked === undefined ? undefined : { serial: serialOfStream(unlocked.streamId), locked: false as const };
    }),
});
