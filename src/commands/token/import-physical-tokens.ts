import * as E from 'fp-ts/lib/Either.js';
import * as RA from 'fp-ts/lib/ReadonlyArray.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import { hexToBytes } from '@noble/hashes/utils.js';
import type { CommandHandler, DecisionWrite, HandlerContext } from '../command-handler.js';
import { fromHostPort } from '../host-port.js';
import { actorFacts } from '../../domain/actor/actor-facts.js';
import { requireConfigured } from '../../domain/company/decide.js';
import { ImportPhysicalTokensCodec, type ImportPhysicalTokensCommand } from '../../domain/token/commands.js';
import { decideNewToken } from '../../domain/token/decide.js';
import { authorize } from '../../domain/token/authorize.js';
import { tokenStreamId } from '../../domain/token/events.js';
import { invalidCommand, type SdkError } from '../../errors/sdk-error.js';
import type { StoredEvent } from '../../events/envelope.js';
import { fileError } from '../../hardware-tokens/file-error.js';
import { readHardwareTokens } from '../../hardware-tokens/read.js';
import type { HardwareTokenRecord } from '../../hardware-tokens/record.js';
import { defaultOtpParameters } from '../../otp/engine.js';
import { loadCompany, loadTokenState, newSecretRef, type TokenHandlerDeps } from './context.js';
import { firstEvent } from './outcomes.js';

/** What ImportPhysicalTokens returns: the serials now in the company's pool, in file order. */
export interface ImportPhysicalTokensOutput {
  readonly companyId: string;
  readonly count: number;
  readonly serials: readonly string[];
  readonly status: 'unassigned';
  readonly kind: 'physical';
}

/** How many token streams are read at once to check that no serial is taken. */
const LOAD_BATCH = 64;

/** The pre-shared key as hex (AES-128, -192 or -256), or an error naming the field and never the value. */
const preSharedKeyOf = (command: ImportPhysicalTokensCommand): E.Either<SdkError, Uint8Array | undefined> => {
  const hex = command.preSharedKey;
  if (hex === undefined) return E.right(undefined);
  const refused = invalidCommand([{ path: 'preSharedKey', message: 'must be 32, 48 or 64 hex digits (an AES-128, -192 or -256 key)' }]);
  if (![32, 48, 64].includes(hex.length)) return E.left(refused);
  return E.tryCatch(() => hexToBytes(hex), () => refused);
};

/** Every serial of the file is new: read in batches, so that a large file does not open thousands of reads at once. */
const requireAllNew = (context: HandlerContext, records: readonly HardwareTokenRecord[]): TaskEither<SdkError, void> =>
  pipe(
    RA.chunksOf(LOAD_BATCH)(records),
    TE.traverseSeqArray((batch) =>
      TE.traverseArray((record: HardwareTokenRecord) =>
        pipe(
          loadTokenState(context, record.serial),
          TE.chainEitherK(({ state }) =>
            state.status === 'none' ? E.right(undefined) : E.left(fileError(record.where, `serial ${record.serial} is already taken by an existing token`)),
          ),
        ),
      )(batch),
    ),
    TE.map(() => undefined),
  );

/** A pooled token's stream write: its first event, on a stream that must not exist. */
const poolWrite = (companyId: string, record: HardwareTokenRecord, seedRef: string): E.Either<SdkError, DecisionWrite> =>
  pipe(
    decideNewToken(
      {
        type: 'ImportPhysicalTokens',
        pooled: {
          serial: record.serial,
          companyId,
          seedRef,
          parameters: { ...defaultOtpParameters, mode: record.mode, algorithm: record.algorithm, digits: record.digits, period: record.period },
          counter: record.counter,
        },
      },
      { status: 'none' },
    ),
    E.map((events) => ({ streamId: tokenStreamId(record.serial), expectedVersion: 'no-stream' as const, events })),
  );

/**
 * Every seed into the vault under a fresh reference; if the vault fails part way, the seeds
 * already stored are destroyed (best effort) and the import fails with nothing recorded.
 */
const storeSeeds = (deps: TokenHandlerDeps, seeds: readonly { readonly ref: string; readonly seed: Uint8Array }[]): TaskEither<SdkError, void> =>
  pipe(
    seeds,
    TE.traverseSeqArray(({ ref, seed }) => fromHostPort('the secret vault', () => deps.vault.put(ref, seed))),
    TE.map(() => undefined),
    TE.orElse((failed) =>
      pipe(
        seeds,
        TE.traverseSeqArray(({ ref }) => pipe(fromHostPort('the secret vault', () => deps.vault.destroy(ref)), TE.orElseW(() => TE.right(undefined)))),
        TE.chainW(() => TE.left(failed)),
      ),
    ),
  );

const outputOf = (companyId: string, serials: readonly string[]): ImportPhysicalTokensOutput => ({
  companyId,
  count: serials.length,
  serials,
  status: 'unassigned',
  kind: 'physical',
});

/** The first outcome again, from the pooled events the import recorded. */
const replayedImport = (events: readonly StoredEvent[]): E.Either<SdkError, ImportPhysicalTokensOutput> => {
  const first = firstEvent(events, 'PhysicalTokenPooled');
  const serials = events.filter((event) => event.type === 'PhysicalTokenPooled').map((event) => event.streamId.slice('token-'.length));
  return E.right(outputOf(first?.data.companyId ?? '', serials));
};

/**
 * ImportPhysicalTokens: the bank imports a box of hardware OATH tokens (one PSKC or OATH CSV
 * file) into a company's pool, all or nothing. Every token is read, decrypted and checked, every
 * serial is new (in the file and in the SDK), before any seed reaches the vault; the tokens are
 * `unassigned` until AssignPhysicalToken gives one to a user.
 */
export const importPhysicalTokensHandler = (deps: TokenHandlerDeps): CommandHandler<ImportPhysicalTokensCommand, ImportPhysicalTokensOutput> => ({
  type: 'ImportPhysicalTokens',
  codec: ImportPhysicalTokensCodec,
  secretFields: ['file', 'preSharedKey', 'password'],
  handle: (command, context) =>
    pipe(
      TE.Do,
      TE.bind('company', () => loadCompany(context, command.companyId)),
      // Bank side: the directory decides nothing of who may import, so the actor needs no lookup.
      TE.chainFirstEitherK(({ company }) =>
        authorize('ImportPhysicalTokens', actorFacts(command.actor, undefined), { companyId: command.companyId, userId: '' }, company.state.policy),
      ),
      TE.chainFirstEitherK(({ company }) => requireConfigured(company.state, command.companyId)),
      TE.bind('preSharedKey', () => TE.fromEither(preSharedKeyOf(command))),
      TE.bind('records', ({ preSharedKey }) =>
        TE.fromEither(
          readHardwareTokens(command.file, {
            format: command.format,
            ...(preSharedKey === undefined ? {} : { preSharedKey }),
            ...(command.password === undefined ? {} : { password: command.password }),
            allowShortSeeds: command.legacyShortSeeds === true && deps.allowLegacyShortSeeds,
          }),
        ),
      ),
      TE.chainFirst(({ records }) => requireAllNew(context, records)),
      TE.let('seeds', ({ records }) => records.map((record) => ({ record, ref: newSecretRef(context.random, 'seed'), seed: record.seed }))),
      TE.bind('writes', ({ seeds }) => TE.fromEither(E.traverseArray(({ record, ref }: (typeof seeds)[number]) => poolWrite(command.companyId, record, ref))(seeds))),
      TE.chainFirst(({ seeds }) => storeSeeds(deps, seeds)),
      TE.map(({ records, writes }) => ({ writes, output: outputOf(command.companyId, records.map((record) => record.serial)) })),
    ),
  outcomeOf: (events) => replayedImport(events),
});
