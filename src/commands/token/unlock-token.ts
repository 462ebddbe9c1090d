import * as E from 'fp-ts/lib/Either.js';
import type { CommandHandler } from '../command-handler.js';
import { withOtpRecord } from '../confirmation.js';
import { decideToken } from '../../domain/token/decide.js';
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
  handle: (command, context) => () =>
    confirmedTokenCommand(deps, context, command, ({ serial, target, company, role }, check) => {
      const decision = decideToken({ type: 'UnlockToken', serial, by: role === 'bank' ? 'bank' : 'admin' }, target.token, { nowMs: context.now, policy: company.state.policy });
      if (E.isLeft(decision)) return decision;
      return withOtpRecord(check, {
        writes: [{ streamId: tokenStreamId(serial), expectedVersion: target.version, events: decision.right.events }],
        output: { serial, locked: false as const },
      });
    }),
  outcomeOf: (events) =>
    replayed(events, () => {
      const unlocked = firstEvent(events, 'TokenUnlocked');
      return unlocked === undefined ? undefined : { serial: serialOfStream(unlocked.streamId), locked: false as const };
    }),
});
