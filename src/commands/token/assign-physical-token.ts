import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { CommandHandler } from '../command-handler.js';
import { withOtpRecord } from '../otp-record.js';
import { decideRegisterPhysical } from '../../domain/company/decide.js';
import { companyStreamId } from '../../domain/company/events.js';
import { AssignPhysicalTokenCodec, type AssignPhysicalTokenCommand } from '../../domain/token/commands.js';
import { decideAdmitted } from '../../domain/token/decide.js';
import { tokenStreamId } from '../../domain/token/events.js';
import { activeUserOf, type TokenHandlerDeps } from './context.js';
import { firstEvent, replayed, serialOfStream } from './outcomes.js';
import { confirmedTokenCommand } from './prepare.js';

/** What AssignPhysicalToken returns. */
export interface AssignPhysicalTokenOutput {
  readonly serial: string;
  readonly userId: string;
  readonly status: 'active';
  readonly kind: 'physical';
}

/**
 * AssignPhysicalToken: a company admin (OTP rule) or the bank gives an `unassigned` token of the
 * company's pool to an active user of the company, who holds no other live physical token. It is
 * `active` at once and becomes the user's factor; no soft-token quota slot is taken.
 */
export const assignPhysicalTokenHandler = (deps: TokenHandlerDeps): CommandHandler<AssignPhysicalTokenCommand, AssignPhysicalTokenOutput> => ({
  type: 'AssignPhysicalToken',
  codec: AssignPhysicalTokenCodec,
  secretFields: ['otp'],
  handle: (command, context) =>
    confirmedTokenCommand(deps, context, command, ({ serial, admitted, version, company, facts }, check) =>
      pipe(
        activeUserOf(deps, admitted.token.companyId, command.userId),
        TE.chainEitherK(() =>
          pipe(
            E.Do,
            E.bind('companyEvents', () => decideRegisterPhysical(company.state, { companyId: admitted.token.companyId, userId: command.userId, serial })),
            E.bind('events', () =>
              decideAdmitted({ type: 'AssignPhysicalToken', serial, owner: { userId: command.userId } }, admitted, facts),
            ),
            E.chain(({ companyEvents, events }) =>
              withOtpRecord(check, {
                writes: [
                  { streamId: tokenStreamId(serial), expectedVersion: version, events },
                  { streamId: companyStreamId(admitted.token.companyId), expectedVersion: company.version, events: companyEvents },
                ],
                output: { serial, userId: command.userId, status: 'active' as const, kind: 'physical' as const },
              }),
            ),
          ),
        ),
      ),
    ),
  outcomeOf: (events) =>
    replayed(events, () => {
      const assigned = firstEvent(events, 'PhysicalTokenAssigned');
      return assigned === undefined
        ? undefined
        : { serial: serialOfStream(assigned.streamId), userId: assigned.data.userId, status: 'active' as const, kind: 'physical' as const };
    }),
});
