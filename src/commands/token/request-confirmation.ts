import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { AnyCommandHandler, CommandHandler } from '../command-handler.js';
import { confirmationDigest } from '../confirmation-digest.js';
import { decodeCommand } from '../decode-command.js';
import { fromHostPort } from '../host-port.js';
import { toBase64Url } from '../../activation/v2/bytes.js';
import { CHALLENGE_BYTES } from '../../activation/v2/protocol.js';
import { appConfirmableCommands } from '../../domain/company/policy.js';
import { factorsFor } from '../../domain/otp-rule/app-signature.js';
import { RequestConfirmationCodec, type RequestConfirmationCommand } from '../../domain/token/confirmation-commands.js';
import { tokenEvent, tokenStreamId } from '../../domain/token/events.js';
import { invalidCommand, preconditionFailed, type SdkError } from '../../errors/sdk-error.js';
import { isoOf } from '../../domain/token/codecs.js';
import type { ConfirmationDelivery, ConfirmationMessage } from '../../ports/confirmation-delivery.js';
import type { Directory } from '../../ports/directory.js';
import { loadAppFactor } from './app-factor.js';
import { firstEvent, replayed, serialOfStream } from './outcomes.js';

/** The command a challenge is for, as the runtime decodes it: its type and its confirmation digest. */
export interface ConfirmationTarget {
  readonly type: string;
  readonly digest: string;
  /** The target's serial, when it names one (for the default summary). */
  readonly serial?: string;
}

/** What the confirmation handlers need. */
export interface ConfirmationHandlerDeps {
  readonly directory: Directory;
  /** Decodes the target command with its own handler and digests it (wired by `createSdk`). */
  readonly describeTarget: (target: unknown) => E.Either<SdkError, ConfirmationTarget>;
  /** How the challenge reaches the app; none: the host takes it from the output. */
  readonly confirmationDelivery?: ConfirmationDelivery;
}

/**
 * `describeTarget` over the SDK's handlers: the target decoded by its own handler's codec (an
 * invalid one names its fields under `target.`), digested as the runtime digests the command
 * when it arrives with its confirmation.
 */
export const describeTargetWith =
  (handlers: () => ReadonlyMap<string, AnyCommandHandler>) =>
  (target: unknown): E.Either<SdkError, ConfirmationTarget> =>
    pipe(
      decodeCommand(handlers(), target),
      E.mapLeft((error) => (error._tag === 'InvalidCommand' ? invalidCommand(error.issues.map((issue) => ({ ...issue, path: `target.${issue.path}` }))) : error)),
      E.map(({ handler, command }) => {
        const serial: unknown = (command as { readonly serial?: unknown }).serial;
        return { type: handler.type, digest: confirmationDigest(command, handler.secretFields ?? []), ...(typeof serial === 'string' ? { serial } : {}) };
      }),
    );

/** What RequestConfirmation returns: the challenge for the app (nothing in it is secret). */
export interface RequestConfirmationOutput extends ConfirmationMessage {
  /** Whether the `ConfirmationDelivery` port sent it (else the host hands it to the app itself). */
  readonly delivered: boolean;
}

/** How long a challenge lives when the command does not say: two minutes. */
export const DEFAULT_CHALLENGE_TTL_SECONDS = 120;

const requireConfirmable = (target: ConfirmationTarget): E.Either<SdkError, ConfirmationTarget> =>
  (appConfirmableCommands as readonly string[]).includes(target.type)
    ? E.right(target)
    : E.left(invalidCommand([{ path: 'target.type', message: `an app confirms only: ${appConfirmableCommands.join(', ')}` }]));

/**
 * RequestConfirmation: the SDK issues a challenge for the acting user's app to sign, bound to one
 * command (the digest of `target`, the command the host will dispatch with the signature), with a
 * summary for the phone and an expiry; recorded on the token's stream (`ConfirmationRequested`)
 * and handed to the host's `ConfirmationDelivery` port, or returned for the host to deliver.
 */
export const requestConfirmationHandler = (deps: ConfirmationHandlerDeps): CommandHandler<RequestConfirmationCommand, RequestConfirmationOutput> => ({
  type: 'RequestConfirmation',
  codec: RequestConfirmationCodec,
  handle: (command, context) =>
    pipe(
      TE.fromEither(pipe(deps.describeTarget(command.target), E.chain(requireConfirmable))),
      TE.bindTo('target'),
      TE.bind('factor', () => loadAppFactor(deps.directory, context, command.actor, command.type)),
      TE.chainFirstEitherK(({ target, factor }) =>
        factorsFor(factor.company.state.policy.confirmationFactors, target.type) === 'code'
          ? E.left(preconditionFailed('confirmation-factor', `the company accepts only a typed code for ${target.type}`))
          : E.right(undefined),
      ),
      TE.let('message', ({ target, factor }): ConfirmationMessage => ({
        companyId: factor.token.companyId,
        userId: factor.token.userId,
        serial: factor.token.serial,
        challengeId: `challenge-${toBase64Url(context.random.bytes(16))}`,
        challenge: toBase64Url(context.random.bytes(CHALLENGE_BYTES)),
        digest: target.digest,
        command: target.type,
        summary: command.summary ?? `Confirm ${target.type}${target.serial === undefined ? '' : ` of token ${target.serial}`}`,
        expiresAt: isoOf(context.now + 1000 * (command.ttlSeconds ?? DEFAULT_CHALLENGE_TTL_SECONDS)),
      })),
      TE.bind('delivered', ({ message }) => {
        const delivery = deps.confirmationDelivery;
        return delivery === undefined ? TE.right(false) : pipe(fromHostPort('the confirmation delivery', () => delivery.deliver(message)), TE.map(() => true));
      }),
      TE.map(({ message, delivered, factor }) => {
        const { companyId: _company, userId: _user, serial, ...event } = message;
        return {
          writes: [{ streamId: tokenStreamId(serial), expectedVersion: factor.version, events: [tokenEvent('ConfirmationRequested', event)] }],
          output: { ...message, delivered },
        };
      }),
    ),
  outcomeOf: (events, command) =>
    replayed(events, () => {
      const requested = firstEvent(events, 'ConfirmationRequested');
      const { actor } = command;
      if (requested === undefined || actor.kind !== 'user') return undefined;
      // A replay delivers nothing again: the host hands the recorded challenge over if it must.
      return { ...requested.data, serial: serialOfStream(requested.streamId), companyId: actor.companyId, userId: actor.userId, delivered: false };
    }),
});
