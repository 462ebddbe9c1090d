import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { CommandHandler } from '../command-handler.js';
import { fromHostPort } from '../host-port.js';
import { decideRegisterPhysical } from '../../domain/company/decide.js';
import { companyStreamId } from '../../domain/company/events.js';
import { authorize } from '../../domain/token/authorize.js';
import { decideNewToken } from '../../domain/token/decide.js';
import { actorFacts } from '../../domain/actor/actor-facts.js';
import { withoutUndefined } from '../../domain/token/codecs.js';
import { tokenStreamId } from '../../domain/token/events.js';
import { invalidCommand, type SdkError } from '../../errors/sdk-error.js';
import { decodeBase32 } from '../../otp/base32.js';
import { defaultOtpParameters, type OtpParameters } from '../../otp/engine.js';
import { ImportPhysicalTokenCodec, type ImportPhysicalTokenCommand } from '../../domain/token/commands.js';
import { activeUserOf, loadCompany, loadTokenState, newSecretRef, serialField, type TokenHandlerDeps } from './context.js';
import { firstEvent, replayed, serialOfStream } from './outcomes.js';

/** What ImportPhysicalToken returns. */
export interface ImportPhysicalTokenOutput {
  readonly serial: string;
  readonly status: 'active';
  readonly kind: 'physical';
}

const MIN_SEED_BYTES = 16;

const notBase32Seed = (): SdkError => invalidCommand([{ path: 'seed', message: 'must be a Base32-encoded secret' }]);

/** The seed as Base32, at least 128 bits unless the command and the SDK both allow a legacy short seed. */
const seedOf = (deps: TokenHandlerDeps, command: ImportPhysicalTokenCommand): E.Either<SdkError, Uint8Array> =>
  pipe(
    decodeBase32(command.seed),
    E.mapLeft(notBase32Seed),
    E.filterOrElse((seed) => seed.length > 0, notBase32Seed),
    E.filterOrElse(
      (seed) => seed.length >= MIN_SEED_BYTES || (command.legacyShortSeed === true && deps.allowLegacyShortSeeds),
      () => invalidCommand([{ path: 'seed', message: 'must be at least 128 bits; shorter legacy seeds need legacyShortSeed and an SDK configured to allow them' }]),
    ),
  );

/**
 * ImportPhysicalToken: the bank registers a user's hardware OATH token (serial, Base32 seed,
 * parameters). It starts `active` and is the user's factor until a soft token replaces it.
 */
export const importPhysicalTokenHandler = (deps: TokenHandlerDeps): CommandHandler<ImportPhysicalTokenCommand, ImportPhysicalTokenOutput> => ({
  type: 'ImportPhysicalToken',
  codec: ImportPhysicalTokenCodec,
  secretFields: ['seed'],
  handle: (command, context) =>
    pipe(
      TE.Do,
      TE.bind('serial', () => TE.fromEither(serialField(command.serial))),
      TE.bind('company', () => loadCompany(context, command.companyId)),
      // Bank side: the directory decides nothing of who may import, so the actor needs no lookup.
      TE.chainFirstEitherK(({ company }) => authorize('ImportPhysicalToken', actorFacts(command.actor, undefined), command, company.state.policy)),
      TE.bind('seed', () => TE.fromEither(seedOf(deps, command))),
      TE.bind('user', () => activeUserOf(deps, command.companyId, command.userId)),
      TE.bind('existing', ({ serial }) => loadTokenState(context, serial)),
      TE.bind('companyEvents', ({ company, serial }) =>
        TE.fromEither(decideRegisterPhysical(company.state, { companyId: command.companyId, userId: command.userId, serial })),
      ),
      TE.let('seedRef', () => newSecretRef(context.random, 'seed')),
      TE.bind('events', ({ serial, existing, seedRef }) => {
        const parameters: OtpParameters = { ...defaultOtpParameters, ...withoutUndefined(command.parameters ?? {}) };
        const identity = { serial, companyId: command.companyId, userId: command.userId };
        return TE.fromEither(decideNewToken({ type: 'ImportPhysicalToken', identity, seedRef, parameters }, existing.state));
      }),
      TE.chainFirst(({ seedRef, seed }) => fromHostPort('the secret vault', () => deps.vault.put(seedRef, seed))),
      TE.map(({ serial, company, companyEvents, events }) => ({
        writes: [
          { streamId: companyStreamId(command.companyId), expectedVersion: company.version, events: companyEvents },
          { streamId: tokenStreamId(serial), expectedVersion: 'no-stream' as const, events },
        ],
        output: { serial, status: 'active' as const, kind: 'physical' as const },
      })),
    ),
  outcomeOf: (events) =>
    replayed(events, () => {
      const imported = firstEvent(events, 'PhysicalTokenImported');
      return imported === undefined ? undefined : { serial: serialOfStream(imported.streamId), status: 'active' as const, kind: 'physical' as const };
    }),
});
