import * as E from 'fp-ts/lib/Either.js';
import type { CommandHandler } from '../command-handler.js';
import { exactDirectoryUser, userIdAlias } from '../directory-lookup.js';
import { fromHostPort } from '../host-port.js';
import { decideRegisterPhysical } from '../../domain/company/decide.js';
import { companyStreamId } from '../../domain/company/events.js';
import { authorize } from '../../domain/token/authorize.js';
import { decideNewToken } from '../../domain/token/decide.js';
import { actorFacts } from '../../domain/actor/actor-facts.js';
import { withoutUndefined } from '../../domain/token/codecs.js';
import { tokenStreamId } from '../../domain/token/events.js';
import { invalidCommand, notFound, preconditionFailed } from '../../errors/sdk-error.js';
import { decodeBase32 } from '../../otp/base32.js';
import { defaultOtpParameters, type OtpParameters } from '../../otp/engine.js';
import { ImportPhysicalTokenCodec, type ImportPhysicalTokenCommand } from './codecs.js';
import { displayNameOf, loadCompany, loadTokenState, newSecretRef, serialField, type TokenHandlerDeps } from './context.js';
import { firstEvent, replayed, serialOfStream } from './outcomes.js';

/** What ImportPhysicalToken returns. */
export interface ImportPhysicalTokenOutput {
  readonly serial: string;
  readonly status: 'active';
  readonly kind: 'physical';
}

const MIN_SEED_BYTES = 16;

/**
 * ImportPhysicalToken: the bank registers a user's hardware OATH token (serial, Base32 seed,
 * parameters). It starts `active` and is the user's factor until a soft token replaces it.
 */
export const importPhysicalTokenHandler = (deps: TokenHandlerDeps): CommandHandler<ImportPhysicalTokenCommand, ImportPhysicalTokenOutput> => ({
  type: 'ImportPhysicalToken',
  codec: ImportPhysicalTokenCodec,
  secretFields: ['seed'],
  handle: (command, context) => async () => {
    const serial = serialField(command.serial);
    if (E.isLeft(serial)) return serial;
    const company = await loadCompany(context, command.companyId)();
    if (E.isLeft(company)) return company;
    const allowed = authorize('ImportPhysicalToken', actorFacts(command.actor, undefined), command, company.right.state.policy);
    if (E.isLeft(allowed)) return allowed;
    const seed = decodeBase32(command.seed);
    if (E.isLeft(seed) || seed.right.length === 0) return E.left(invalidCommand([{ path: 'seed', message: 'must be a Base32-encoded secret' }]));
    if (seed.right.length < MIN_SEED_BYTES && !(command.legacyShortSeed === true && deps.allowLegacyShortSeeds)) {
      return E.left(invalidCommand([{ path: 'seed', message: 'must be at least 128 bits; shorter legacy seeds need legacyShortSeed and an SDK configured to allow them' }]));
    }
    const user = await (exactDirectoryUser(deps.directory, command.companyId, command.userId, userIdAlias))();
    if (E.isLeft(user)) return user;
    if (user.right === undefined) return E.left(notFound('user', `${command.companyId}/${command.userId}`));
    if (!user.right.active) return E.left(preconditionFailed('user-active', `user ${command.userId} is not active`));
    const existing = await loadTokenState(context, serial.right)();
    if (E.isLeft(existing)) return existing;
    const companyEvents = decideRegisterPhysical(company.right.state, { companyId: command.companyId, userId: command.userId, serial: serial.right });
    if (E.isLeft(companyEvents)) return companyEvents;
    const parameters: OtpParameters = { ...defaultOtpParameters, ...withoutUndefined(command.parameters ?? {}) };
    const seedRef = newSecretRef(context.random, 'seed');
    // Authorized above (bank side: the directory decides nothing of who may import).
    const decision = decideNewToken(
      { type: 'ImportPhysicalToken', identity: { serial: serial.right, companyId: command.companyId, userId: command.userId, userName: displayNameOf(user.right) }, seedRef, parameters },
      existing.right.state,
    );
    if (E.isLeft(decision)) return decision;
    const put = await (fromHostPort('the secret vault', () => deps.vault.put(seedRef, seed.right)))();
    if (E.isLeft(put)) return put;
    return E.right({
      writes: [
        { streamId: companyStreamId(command.companyId), expectedVersion: company.right.version, events: companyEvents.right },
        { streamId: tokenStreamId(serial.right), expectedVersion: 'no-stream', events: decision.right },
      ],
      output: { serial: serial.right, status: 'active' as const, kind: 'physical' as const },
    });
  },
  outcomeOf: (events) =>
    replayed(events, () => {
      const imported = firstEvent(events, 'PhysicalTokenImported');
      return imported === undefined ? undefined : { serial: serialOfStream(imported.streamId), status: 'active' as const, kind: 'physical' as const };
    }),
});
