import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import { commandEnvelopeCodec } from '../command-envelope.js';
import type { CommandHandler } from '../command-handler.js';
import type { SdkError } from '../../errors/sdk-error.js';
import { infrastructure } from '../../errors/sdk-error.js';
import { ApproveOrdersCodec, DeleteOrderCodec, MarkOrderExecutedCodec, RevokeOrdersCodec, UploadOrderCodec } from '../../domain/order/commands.js';
import type { OrderCommand } from '../../domain/order/decide.js';
import type { OrderEvent } from '../../domain/order/events.js';
import { confirmWithOtp, decideOrders } from './load-and-decide-orders.js';
import type { OrderHandlerDeps } from './deps.js';
import type { OrdersOutput, UploadOrderOutput } from './outputs.js';
import { movesOf, ordersOutcomeOf, storedOrderEvents } from './outputs.js';

/** `UploadOrder` with its command envelope. */
export const UploadOrderCommandCodec = t.intersection([commandEnvelopeCodec, UploadOrderCodec], 'UploadOrderCommand');
/** `DeleteOrder` with its command envelope. */
export const DeleteOrderCommandCodec = t.intersection([commandEnvelopeCodec, DeleteOrderCodec], 'DeleteOrderCommand');
/** `ApproveOrders` with its command envelope. */
export const ApproveOrdersCommandCodec = t.intersection([commandEnvelopeCodec, ApproveOrdersCodec], 'ApproveOrdersCommand');
/** `RevokeOrders` with its command envelope. */
export const RevokeOrdersCommandCodec = t.intersection([commandEnvelopeCodec, RevokeOrdersCodec], 'RevokeOrdersCommand');
/** `MarkOrderExecuted` with its command envelope. */
export const MarkOrderExecutedCommandCodec = t.intersection([commandEnvelopeCodec, MarkOrderExecutedCodec], 'MarkOrderExecutedCommand');

const uploadOutput = (events: readonly OrderEvent[]): Either<SdkError, UploadOrderOutput> => {
  const uploaded = events.find((event) => event.type === 'OrderUploaded');
  return uploaded?.type === 'OrderUploaded'
    ? E.right({
        orderId: uploaded.data.orderId,
        requiredLevels: uploaded.data.requiredLevels,
        possibleDuplicate: uploaded.data.possibleDuplicate,
        duplicateOf: uploaded.data.duplicateOf,
      })
    : E.left(infrastructure('UploadOrder stored no OrderUploaded event'));
};

/** `UploadOrder`: a company user uploads a file or a single order; no OTP (uploading moves no money). */
export const uploadOrderHandler = (deps: OrderHandlerDeps): CommandHandler<t.TypeOf<typeof UploadOrderCommandCodec>, UploadOrderOutput> => ({
  type: 'UploadOrder',
  codec: UploadOrderCommandCodec,
  handle: (command, context) =>
    pipe(
      decideOrders(deps, context, command.actor, [command]),
      TE.chainEitherK(({ outcomes, writes }) =>
        pipe(
          uploadOutput(outcomes.flatMap((outcome) => outcome.orderEvents)),
          E.map((output) => ({ writes, output })),
        ),
      ),
    ),
  outcomeOf: (events) => uploadOutput(storedOrderEvents(events)),
});

interface OtpConfirmedCommand {
  readonly actor: t.TypeOf<typeof commandEnvelopeCodec>['actor'];
  readonly otp?: unknown;
}

// Delete, approve and revoke share one shell: decide every named order, then the OTP rule.
const otpConfirmedHandler = <C extends OtpConfirmedCommand>(
  deps: OrderHandlerDeps,
  type: 'DeleteOrder' | 'ApproveOrders' | 'RevokeOrders',
  codec: t.Decoder<unknown, C>,
  orderIdsOf: (command: C) => readonly string[],
): CommandHandler<C, OrdersOutput> => ({
  type,
  codec,
  secretFields: ['otp'],
  handle: (command, context) =>
    pipe(
      decideOrders(
        deps,
        context,
        command.actor,
        orderIdsOf(command).map((orderId): OrderCommand => ({ type, orderId })),
      ),
      TE.chain(({ outcomes, writes }) =>
        confirmWithOtp(deps, context, { actor: command.actor, code: command.otp, command: type }, { writes, output: movesOf(outcomes.flatMap((outcome) => outcome.orderEvents)) }),
      ),
    ),
  outcomeOf: ordersOutcomeOf(deps.recordedRefusal),
});

/** `DeleteOrder`: the uploader or a company admin deletes an order pending approval; the OTP rule applies. */
export const deleteOrderHandler = (deps: OrderHandlerDeps): CommandHandler<t.TypeOf<typeof DeleteOrderCommandCodec>, OrdersOutput> =>
  otpConfirmedHandler(deps, 'DeleteOrder', DeleteOrderCommandCodec, (command) => [command.orderId]);

/** `ApproveOrders`: the next level of one or several orders with one OTP, all or nothing. */
export const approveOrdersHandler = (deps: OrderHandlerDeps): CommandHandler<t.TypeOf<typeof ApproveOrdersCommandCodec>, OrdersOutput> =>
  otpConfirmedHandler(deps, 'ApproveOrders', ApproveOrdersCommandCodec, (command) => command.orderIds);

/** `RevokeOrders`: cancels approved orders not yet executed with one OTP, all or nothing. */
export const revokeOrdersHandler = (deps: OrderHandlerDeps): CommandHandler<t.TypeOf<typeof RevokeOrdersCommandCodec>, OrdersOutput> =>
  otpConfirmedHandler(deps, 'RevokeOrders', RevokeOrdersCommandCodec, (command) => command.orderIds);

/** `MarkOrderExecuted`: the bank reports an approved order carried out. Bank side, no OTP. */
export const markOrderExecutedHandler = (deps: OrderHandlerDeps): CommandHandler<t.TypeOf<typeof MarkOrderExecutedCommandCodec>, OrdersOutput> => ({
  type: 'MarkOrderExecuted',
  codec: MarkOrderExecutedCommandCodec,
  handle: (command, context) =>
    pipe(
      decideOrders(deps, context, command.actor, [
        { type: 'MarkOrderExecuted', orderId: command.orderId, ...(command.bankReference === undefined ? {} : { bankReference: command.bankReference }) },
      ]),
      TE.map(({ outcomes, writes }) => ({ writes, output: movesOf(outcomes.flatMap((outcome) => outcome.orderEvents)) })),
    ),
  outcomeOf: ordersOutcomeOf(deps.recordedRefusal),
});
