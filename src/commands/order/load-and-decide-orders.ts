import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import type { TaskEither } from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { Decision, HandlerContext } from '../command-handler.js';
import type { StreamFold } from '../../events/stream-fold.js';
import type { SdkError } from '../../errors/sdk-error.js';
import type { Actor } from '../../events/envelope.js';
import type { OtpConfirmationRequest } from '../confirmation.js';
import { refusal, withOtpRecord } from '../confirmation.js';
import { agreementStreamId } from '../../domain/agreement/ids.js';
import type { AgreementEvent } from '../../domain/agreement/events.js';
import type { AgreementState } from '../../domain/agreement/state.js';
import { initialAgreementState } from '../../domain/agreement/state.js';
import type { OrderCommand } from '../../domain/order/decide.js';
import type { OrderOutcome } from '../../domain/order/effects.js';
import { decideBatch } from '../../domain/order/effects.js';
import { orderStreamId } from '../../domain/order/events.js';
import { agreementFold, agreementGrantsFold, orderFold } from '../../domain/order/folds.js';
import type { OrderState } from '../../domain/order/state.js';
import type { OrderStreamWrite } from '../../domain/order/writes.js';
import { orderCommandWrites } from '../../domain/order/writes.js';
import type { OrderHandlerDeps } from './deps.js';
import { gatherActor } from './deps.js';

interface LoadedOrder {
  readonly command: OrderCommand;
  readonly state: OrderState;
  readonly version: number;
}

/** An order command decided for every order it names: the outcomes and the writes of one atomic append. */
export interface DecidedOrders {
  readonly outcomes: readonly OrderOutcome[];
  readonly writes: readonly OrderStreamWrite[];
}

const agreementKey = (companyId: string, serviceId: string): string => agreementStreamId(companyId, serviceId);

/**
 * The shell of every order command: who acts (directory), each order's stream, each touched
 * agreement's stream, the company policy; then the pure decisions, all or nothing, and the writes
 * with the versions they were decided on.
 */
export const decideOrders = (deps: OrderHandlerDeps, context: HandlerContext, actor: Actor, commands: readonly OrderCommand[]): TaskEither<SdkError, DecidedOrders> =>
  pipe(
    TE.Do,
    TE.bind('facts', () => gatherActor(deps.directory, actor)),
    TE.bind('orders', () =>
      pipe(
        commands,
        TE.traverseSeqArray((command) =>
          pipe(
            context.load(orderStreamId(command.orderId), orderFold),
            TE.map((loaded): LoadedOrder => ({ command, state: loaded.state, version: loaded.version })),
          ),
        ),
      ),
    ),
    TE.bind('agreements', ({ orders }) => {
      const wanted = new Map<string, StreamFold<AgreementState, AgreementEvent>>();
      for (const { command, state } of orders) {
        // An upload reads the live-order index (duplicates); approving and revoking read grants only;
        // deleting and executing need nothing of the agreement.
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
    TE.bind('makerChecker', ({ facts }) => (facts.kind === 'user' ? deps.makerChecker(context, facts.companyId) : TE.right(true))),
    TE.chainEitherK(({ facts, orders, agreements, makerChecker }) => {
      const agreementOf = (companyId: string, serviceId: string): AgreementState => agreements.get(agreementKey(companyId, serviceId))?.state ?? initialAgreementState;
      return pipe(
        decideBatch(
          orders.map(({ command, state }) => ({
            command,
            state,
            facts: {
              actor: facts,
              now: context.now,
              makerChecker,
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
          writes: orderCommandWrites(outcomes, {
            order: (orderId) => orders.find((loaded) => loaded.command.orderId === orderId)?.version ?? 0,
            agreement: (companyId, serviceId) => agreements.get(agreementKey(companyId, serviceId))?.version ?? 0,
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
  pipe(
    deps.checkOtp(context, request),
    TE.chainEitherK((check) => (check._tag === 'Refused' ? E.right(refusal<O>(check)) : withOtpRecord(check, decision))),
  );
