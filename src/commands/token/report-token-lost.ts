import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import { bytesToHex } from '@noble/hashes/utils.js';
import type { CommandHandler, Decision, HandlerContext } from '../command-handler.js';
import { fromHostPort } from '../host-port.js';
import { withOtpRecord } from '../otp-record.js';
import { dammCheckDigit } from '../../activation/check-digit.js';
import { groupDigits, randomDigits } from '../../activation/digits.js';
import type { CompanyPolicy } from '../../domain/company/policy.js';
import { decideAdmitted, type TemporaryAccessGrant } from '../../domain/token/decide.js';
import { tokenStreamId } from '../../domain/token/events.js';
import { RECOVERY_CODE_LENGTH, recoveryCodeDigest } from '../../domain/token/recovery-codes.js';
import { ReportTokenLostCodec, type ReportTokenLostCommand } from '../../domain/token/commands.js';
import { preconditionFailed, type SdkError } from '../../errors/sdk-error.js';
import type { RecoveryCodesMessage } from '../../ports/activation-code-delivery.js';
import type { TokenHandlerDeps } from './context.js';
import { firstEvent, replayed, serialOfStream } from './outcomes.js';
import { confirmingOtp, prepareTokenCommand, type PassedOtpCheck, type PreparedTokenCommand } from './prepare.js';

/** The temporary access a loss report granted: how many one-time codes went to the owner, and until when. */
export interface TemporaryAccessOutput {
  readonly kind: 'recovery-codes' | 'emergency-code';
  readonly codes: number;
  readonly expiresAt: string;
  /** `sent-to-owner` (the codes never appear in an output), or `already-issued` when the command is answered again. */
  readonly codeDelivery: 'sent-to-owner' | 'already-issued';
}

/** What ReportTokenLost returns. */
export interface ReportTokenLostOutput {
  readonly serial: string;
  readonly status: 'lost';
  readonly temporaryAccess: TemporaryAccessOutput | null;
}

type Kind = TemporaryAccessOutput['kind'];

/** Fresh one-time codes: the grant the event records (salt and slow digests) and the codes for the owner. */
const newTemporaryAccess = (context: HandlerContext, policy: CompanyPolicy, kind: Kind): { readonly grant: TemporaryAccessGrant; readonly codes: readonly string[] } => {
  const count = kind === 'recovery-codes' ? policy.recoveryCodeCount : 1;
  const ttlSeconds = kind === 'recovery-codes' ? policy.recoveryCodeTtlSeconds : policy.emergencyCodeTtlSeconds;
  const salt = bytesToHex(context.random.bytes(16));
  const codes = Array.from({ length: count }, () => {
    const body = randomDigits(context.random, RECOVERY_CODE_LENGTH - 1);
    return `${body}${dammCheckDigit(body)}`;
  });
  return {
    grant: { kind, salt, digests: codes.map((code) => recoveryCodeDigest(code, salt)), expiresAtMs: context.now + ttlSeconds * 1000 },
    codes: codes.map(groupDigits),
  };
};

/** The owner's delivery channel for one-time codes, decided before anything is computed or written. */
const recoveryDelivery = (deps: TokenHandlerDeps): E.Either<SdkError, (message: RecoveryCodesMessage) => unknown> => {
  const delivery = deps.activationCodeDelivery;
  // Called on the port object: a host may implement it as a class whose method reads `this`.
  return delivery?.deliverRecoveryCodes === undefined
    ? E.left(preconditionFailed('recovery-code-delivery', "temporary access needs createSdk's activationCodeDelivery with deliverRecoveryCodes: the codes may reach only the owner"))
    : E.right((message) => delivery.deliverRecoveryCodes?.(message));
};

/** After the OTP rule (or none, for the owner): the grant, the events, the codes handed over last. */
const report = (
  deps: TokenHandlerDeps,
  context: HandlerContext,
  command: ReportTokenLostCommand,
  { serial, admitted, version, facts }: PreparedTokenCommand,
  check: PassedOtpCheck,
): TaskEither<SdkError, Decision<ReportTokenLostOutput>> => {
  const kind = command.temporaryAccess ?? 'none';
  const { companyId, userId } = admitted.token;
  return pipe(
    TE.Do,
    TE.bind('access', () =>
      kind === 'none'
        ? TE.right(undefined)
        : pipe(
            TE.fromEither(recoveryDelivery(deps)),
            TE.map((deliver) => ({ deliver, ...newTemporaryAccess(context, facts.policy, kind) })),
          ),
    ),
    TE.bind('events', ({ access }) =>
      TE.fromEither(decideAdmitted({ type: 'ReportTokenLost', serial, ...(access === undefined ? {} : { temporaryAccess: access.grant }) }, admitted, facts)),
    ),
    // Last before the decision: a failed delivery fails the command and nothing is recorded.
    TE.bind('granted', ({ access }): TaskEither<SdkError, TemporaryAccessOutput | null> => {
      if (access === undefined) return TE.right(null);
      const expiresAt = new Date(access.grant.expiresAtMs).toISOString();
      return pipe(
        fromHostPort('the activation code delivery', () => access.deliver({ companyId, userId, serial, kind: access.grant.kind, codes: access.codes, expiresAt })),
        TE.map(() => ({ kind: access.grant.kind, codes: access.codes.length, expiresAt, codeDelivery: 'sent-to-owner' as const })),
      );
    }),
    TE.chainEitherK(({ events, granted }) =>
      withOtpRecord(check, {
        writes: [{ streamId: tokenStreamId(serial), expectedVersion: version, events }],
        output: { serial, status: 'lost' as const, temporaryAccess: granted },
      }),
    ),
  );
};

/**
 * ReportTokenLost: the token is suspended at once as `lost`. The owner reports without a code (the
 * phone is gone: it cannot confirm, and the worst a false report does is suspend the token); a
 * company admin confirms with their own code (OTP rule); the bank needs none. `temporaryAccess`
 * (`recovery-codes` or `emergency-code`) grants one-time codes that confirm the OTP rule while the
 * token is lost: sent only through the delivery port, recorded only as slow salted digests,
 * expiring by policy, wrong ones counted toward the lock like wrong OTPs. The lost token ends
 * deleted (DeleteToken) or on a new phone (ReactivateToken).
 */
export const reportTokenLostHandler = (deps: TokenHandlerDeps): CommandHandler<ReportTokenLostCommand, ReportTokenLostOutput> => ({
  type: 'ReportTokenLost',
  codec: ReportTokenLostCodec,
  secretFields: ['otp'],
  handle: (command, context) =>
    pipe(
      prepareTokenCommand(deps, context, command),
      TE.chain((prepared) =>
        prepared.admitted.role === 'owner'
          ? report(deps, context, command, prepared, { _tag: 'NotEnrolled' })
          : confirmingOtp(deps, context, command, (check) => report(deps, context, command, prepared, check)),
      ),
    ),
  outcomeOf: (events) =>
    replayed(events, () => {
      const lost = firstEvent(events, 'TokenReportedLost');
      if (lost === undefined) return undefined;
      const access = lost.data.temporaryAccess;
      return {
        serial: serialOfStream(lost.streamId),
        status: 'lost' as const,
        temporaryAccess: access === null ? null : { kind: access.kind, codes: access.digests.length, expiresAt: access.expiresAt, codeDelivery: 'already-issued' as const },
      };
    }),
});
