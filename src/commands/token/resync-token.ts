import * as E from 'fp-ts/lib/Either.js';
import type { CommandHandler } from '../command-handler.js';
import { fromHostPort } from '../host-port.js';
import { checkOtp, refusal, unlessSeedRetired, withOtpRecord, type OtpCheck } from '../confirmation.js';
import { judgeResync, resyncLookBack } from '../../domain/otp-rule/rule.js';
import { tokenStreamId } from '../../domain/token/events.js';
import { infrastructure } from '../../errors/sdk-error.js';
import { ResyncTokenCodec, type ResyncTokenCommand } from './codecs.js';
import { type TokenHandlerDeps } from './context.js';
import { firstEvent, replayed, serialOfStream } from './outcomes.js';
import { prepareTokenCommand } from './prepare.js';

/** What ResyncToken returns: where the token was found. */
export interface ResyncTokenOutput {
  readonly serial: string;
  readonly step: string;
  readonly drift: number;
}

/**
 * ResyncToken: the owner (or a company admin) gives two consecutive codes of a drifted token; the
 * engine searches its resync window for them. A failed resync counts as an OTP failure. The
 * owner's two codes are their proof; an admin acting on another user's token falls under the OTP
 * rule (their own code when enrolled), as for unlocking or deleting it.
 */
export const resyncTokenHandler = (deps: TokenHandlerDeps): CommandHandler<ResyncTokenCommand, ResyncTokenOutput> => ({
  type: 'ResyncToken',
  codec: ResyncTokenCodec,
  secretFields: ['codes', 'otp'],
  handle: (command, context) => async () => {
    const prepared = await prepareTokenCommand(deps, context, command)();
    if (E.isLeft(prepared)) return prepared;
    const { serial, admitted, version, facts } = prepared.right;
    const { token, role } = admitted;
    const { seedRef, lastAccepted } = token;
    if (seedRef === undefined) return E.left(infrastructure(`token ${serial} has no seed reference`));
    let check: OtpCheck = { _tag: 'NotEnrolled' };
    if (role === 'admin') {
      const admin = await (checkOtp(deps.otpEngine)(context, { actor: command.actor, code: command.otp, command: command.type }))();
      if (E.isLeft(admin)) return admin;
      if (admin.right._tag === 'Refused') return E.right(refusal(admin.right));
      check = admin.right;
    }
    const lookBack = resyncLookBack(token.parameters);
    const verdict = await fromHostPort('the OTP engine', () =>
      deps.otpEngine.resync({ serial, seedRef, parameters: token.parameters, codes: command.codes, timeMs: context.now, lookBack, ...(lastAccepted === undefined ? {} : { lastAccepted }) }),
    )();
    if (E.isLeft(verdict)) return verdict;
    const current = await unlessSeedRetired(context, serial, version, verdict.right);
    if (E.isLeft(current)) return current;
    const judgement = judgeResync(token, verdict.right, facts);
    if (E.isLeft(judgement)) return judgement;
    const write = { streamId: tokenStreamId(serial), expectedVersion: version, events: judgement.right.events };
    return withOtpRecord(
      check,
      judgement.right._tag === 'Accepted'
        ? { writes: [write], output: { serial, step: judgement.right.match.step.toString(), drift: judgement.right.match.drift } }
        : { writes: [write], output: { serial, step: '', drift: 0 }, failure: judgement.right.error },
    );
  },
  outcomeOf: (events) =>
    replayed(events, () => {
      const resynced = firstEvent(events, 'TokenResynced');
      return resynced === undefined ? undefined : { serial: serialOfStream(resynced.streamId), step: resynced.data.step, drift: resynced.data.drift };
    }),
});
