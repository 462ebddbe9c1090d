import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Decision, HandlerContext } from '../command-handler.js';
import type { StreamFold } from '../../events/stream-fold.js';
import type { SdkError } from '../../errors/sdk-error.js';
import type { Actor } from '../../events/envelope.js';
import type { OtpCheck, OtpConfirmationRequest } from '../confirmation.js';
import { refusal, withOtpRecord } from '../otp-record.js';
import { agreementStreamId } from '../../domain/agreement/ids.js';
import type { AgreementEvent } from '../../domain/agreement/events.js';
import type { AgreementState } from '../../domain/agreement/state.js';
import { initialAgreementState, liveOrdersWith } from '../../domain/agreement/state.js';
import type { OrderCommand } from '../../domain/order/decide.js';
import type { OrderOutcome } from '../../domain/order/effects.js';
import type { OrderUnderApproval } from '../../domain/order/approval-factor.js';
import { decideOrdersAllOrNothing } from '../../domain/order/effects.js';
import { uploadFingerprint } from '../../domain/order/fingerprint.js';
import { agreementFold, agreementGrantsFold, duplicateIndexFold, orderFold } from '../../domain/order/folds.js';
import type { OrderState } from '../../domain/order/state.js';
import { initialOrderState } from '../../domain/order/state.js';
import { duplicateIndexStreamId, legacyOrderStreamId, orderStreamId } from '../../domain/order/streams.js';
import type { LoadedOrderStream, OrderStreamWrite } from '../../domain/order/writes.js';
import { orderCommandWrites } from '../../domain/order/writes.js';
import type { OrderHandlerDeps } from './deps.js';
import { gatherActor } from './deps.js';

const agreementKey = (companyId: string, serviceId: string): string => agreementStreamId(companyId, serviceId);

interface LoadedOrder {
  readonly command: OrderCommand;
  readonly state: OrderState;
  readonly stream: LoadedOrderStream;
}

/** An order command decided for every order it names: the outcomes and the writes of one atomic append. */
export interface DecidedOrders {
  readonly outcomes: readonly OrderOutcome[];
  readonly writes: readonly OrderStreamWrite[];
  /** Each named order as it was decided on, with its service's agreement (for the approval factor). */
  readonly decidedOn: readonly OrderUnderApproval[];
}

// The company whose orders a command names: the upload's own field and the bank's `MarkOrderExecuted`
// name it; a user deleting, approving or revoking names orders of their own company. None: an actor
// who cannot issue the command at all (decide refuses them before it looks at an order).
const scopeOf = (command: OrderCommand, actor: Actor): string | undefined => {
  if (command.type === 'UploadOrder' || command.type === 'MarkOrderExecuted') return command.companyId;
  return actor.kind === 'user' ? actor.companyId : undefined;
};

const absent = (companyId: string, orderId: string): { readonly state: OrderState; readonly stream: LoadedOrderStream } => ({
  state: initialOrderState,
  stream: { streamId: orderStreamId(companyId, orderId), version: 0, legacy: false },
});

/**
 * Loads order `orderId` of `companyId`: its stream, or when that is empty, the 0.1 stream of the same
 * id if (and only if) it holds an order of that company. Another company's 0.1 order under the id
 * reads as absent, so it blocks nothing.
 */
const loadOrder = (context: HandlerContext, companyId: string | undefined, orderId: string): TaskEither<SdkError, { readonly state: OrderState; readonly stream: LoadedOrderStream }> => {
  if (companyId === undefined) return TE.right(absent('', orderId));
  const streamId = orderStreamId(companyId, orderId);
  return pipe(
    context.load(streamId, orderFold),
    TE.chain((loaded) =>
      loaded.version > 0
        ? TE.right({ state: loaded.state, stream: { streamId, version: loaded.version, legacy: false } })
        : pipe(
            context.load(legacyOrderStreamId(orderId), orderFold),
            TE.map((legacy) =>
              legacy.state.status !== 'none' && legacy.state.companyId === companyId
                ? { state: legacy.state, stream: { streamId: legacyOrderStreamId(orderId), version: legacy.version, legacy: true } }
                : absent(companyId, orderId),
            ),
          ),
    ),
  );
};

const indexOf = (command: OrderCommand): string | undefined => {
  if (command.type !== 'UploadOrder') return undefined;
  const fingerprint = uploadFingerprint(command);
  return fingerprint === undefined ? undefined : duplicateIndexStreamId(command.companyId, command.serviceId, fingerprint);
};

/**
 * The shell of every order command: who acts (directory), each order's stream (under the command's
 * company), each touched agreement's stream and, for an upload, the duplicate index of its content;
 * the company policy; then the pure decisions, all or nothing, and the writes with the versions they
 * were decided on. The agreement is read, never guarded: an upload fixes its `requiredLevels` from the
 * agreement as read in the same attempt, and a change of levels racing an upload may land before or
 * after it (both orders are legal), so uploads to one service contend only on an equal content.
 */
export const loadAndDecideOrders = (deps: OrderHandlerDeps, context: HandlerContext, actor: Actor, commands: readonly OrderCommand[]): TaskEither<SdkError, DecidedOrders> =>
  pipe(
    TE.Do,
    TE.bind('facts', () => gatherActor(deps.directory, actor)),
    TE.bind('orders', () =>
      pipe(
        commands,
        TE.traverseSeqArray((command) =>
          pipe(
            loadOrder(context, scopeOf(command, actor), command.orderId),
            TE.map((loaded): LoadedOrder => ({ command, ...loaded })),
          ),
        ),
      ),
    ),
    TE.bind('agreements', ({ orders }) => {
      const wanted = new Map<string, StreamFold<AgreementState, AgreementEvent>>();
      for (const { command, state } of orders) {
        // An upload reads the levels (and a 0.1 agreement's index of live orders); approving and
        // revoking read grants only; deleting and executing need nothing of the agreement.
        const fold = command.type === 'UploadOrder' ? agreementFold : command.type === 'ApproveOrders' || command.type === 'RevokeOrders' ? agreementGrantsFold : undefined;
        const location = command.type === 'UploadOrder' ? command : state.status === 'none' ? undefined : state;
        if (fold !== undefined && location !== undefined) wanted.set(agreementKey(location.companyId, location.serviceId), fold);
      }
      return pipe(
        [...wanted.entries()],
        TE.traverseSeqArray(([streamId, fold]) =>
          pipe(
            context.load(streamId, fold),
            TE.map((loaded) => [streamId, loaded] as const),
          ),
        ),
        TE.map((entries) => new Map(entries)),
      );
    }),
    TE.bind('indexes', ({ orders }) =>
      pipe(
        orders.flatMap(({ command }) => {
          const streamId = indexOf(command);
          return streamId === undefined ? [] : [streamId];
        }),
        TE.traverseSeqArray((streamId) =>
          pipe(
            context.load(streamId, duplicateIndexFold),
            TE.map((loaded) => [streamId, loaded] as const),
          ),
        ),
        TE.map((entries) => new Map(entries)),
      ),
    ),
    TE.bind('makerChecker', ({ facts }) => (facts.kind === 'user' ? deps.makerChecker(context, facts.companyId) : TE.right(true))),
    TE.chainEitherK(({ facts, orders, agreements, indexes, makerChecker }) => {
      const agreementOf = (companyId: string, serviceId: string): AgreementState => agreements.get(agreementKey(companyId, serviceId))?.state ?? initialAgreementState;
      const sameContent = (command: OrderCommand): readonly string[] => {
        if (command.type !== 'UploadOrder') return [];
        const streamId = indexOf(command);
        const fingerprint = uploadFingerprint(command);
        if (streamId === undefined || fingerprint === undefined) return [];
        // A 0.1 agreement's index still names the live orders uploaded before the index moved.
        const legacy = liveOrdersWith(agreementOf(command.companyId, command.serviceId), fingerprint);
        return [...new Set([...legacy, ...(indexes.get(streamId)?.state ?? [])])];
      };
      return pipe(
        decideOrdersAllOrNothing(
          orders.map(({ command, state }) => ({
            command,
            state,
            facts: {
              actor: facts,
              now: context.now,
              makerChecker,
              sameContent: sameContent(command),
              agreement:
                command.type === 'UploadOrder'
                  ? agreementOf(command.companyId, command.serviceId)
                  : state.status === 'none'
                    ? initialAgreementState
                    : agreementOf(state.companyId, state.serviceId),
            },
          })),
        ),
        E.map((outcomes) => ({
          outcomes,
          decidedOn: orders.flatMap(({ state }) => (state.status === 'none' ? [] : [{ order: state, agreement: agreementOf(state.companyId, state.serviceId) }])),
          writes: orderCommandWrites(outcomes, {
            order: (orderId) => orders.find((loaded) => loaded.command.orderId === orderId)?.stream ?? absent('', orderId).stream,
            duplicateIndex: (streamId) => indexes.get(streamId)?.version ?? 0,
          }),
        })),
      );
    }),
  );

/**
 * Puts the OTP rule behind a decision the domain rules accepted: an actor who is not enrolled goes on
 * without a code; an accepted code's record joins the same atomic append; a refused code's record is
 * committed and the command fails (the token domain's `refusal` and `withOtpRecord`).
 */
export const confirmWithOtp = <O>(deps: OrderHandlerDeps, context: HandlerContext, request: OtpConfirmationRequest, decision: Decision<O>): TaskEither<SdkError, Decision<O>> =>
  pipe(deps.checkOtp(context, request), TE.chainEitherK(settledBy(decision)));

/** A decision settled by the OTP rule's verdict: a refused code's record committed and the command failed, an accepted one's record joined. */
export const settledBy =
  <O>(decision: Decision<O>) =>
  (check: OtpCheck): E.Either<SdkError, Decision<O>> =>
    check._tag === 'Refused' ? E.right(refusal<O>(check)) : withOtpRecord(check, decision);
