import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { CommandHandler } from '../command-handler.js';
import { decideReleaseSlot, decideRetirePhysical } from '../../domain/company/decide.js';
import { companyStreamId } from '../../domain/company/events.js';
import { withOtpRecord } from '../otp-record.js';
import { decideAdmitted } from '../../domain/token/decide.js';
import { tokenStreamId } from '../../domain/token/events.js';
import { DeleteTokenCodec, type DeleteTokenCommand } from '../../domain/token/commands.js';
import type { TokenHandlerDeps } from './context.js';
import { firstEvent, replayed, serialOfStream } from './outcomes.js';
import { confirmedTokenCommand } from './prepare.js';

/** What DeleteToken returns. */
export interface DeleteTokenOutput {
  readonly serial: string;
  readonly status: 'deleted';
}

/**
 * DeleteToken: a company admin, the owner or the bank deletes a live token (OTP rule for users).
 * A soft token's quota slot is released in the same commit; its secrets are destroyed after it.
 */
export const deleteTokenHandler = (deps: TokenHandlerDeps): CommandHandler<DeleteTokenCommand, DeleteTokenOutput> => ({
  type: 'DeleteToken',
  codec: DeleteTokenCodec,
  secretFields: ['otp'],
  handle: (command, context) =>
    confirmedTokenCommand(deps, context, command, ({ serial, admitted, version, company, facts }, check) =>
      pipe(
        decideAdmitted({ type: 'DeleteToken', serial }, admitted, facts),
        E.chain((events) => {
          const { userId, companyId, kind } = admitted.token;
          const companyEvents = kind === 'soft' ? decideReleaseSlot(company.state, userId, serial) : decideRetirePhysical(company.state, userId, serial);
          return withOtpRecord(check, {
            writes: [
              { streamId: tokenStreamId(serial), expectedVersion: version, events },
              { streamId: companyStreamId(companyId), expectedVersion: company.version, events: companyEvents },
            ],
            output: { serial, status: 'deleted' as const },
          });
        }),
        TE.fromEither,
      ),
    ),
  outcomeOf: (events) =>
    replayed(events, () => {
      const deleted = firstEvent(events, 'TokenDeleted');
      return deleted === undefined ? undefined : { serial: serialOfStream(deleted.streamId), status: 'deleted' as const };
    }),
});
