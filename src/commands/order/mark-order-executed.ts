import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type * as t from 'io-ts';
import type { CommandHandler } from '../command-handler.js';
import { MarkOrderExecutedCommandCodec } from '../../domain/order/commands.js';
import { loadAndDecideOrders } from './load-and-decide-orders.js';
import type { OrderHandlerDeps } from './deps.js';
import type { OrdersOutput } from './outputs.js';
import { movesOf, ordersOutcomeOf } from './outputs.js';

/** `MarkOrderExecuted`: the bank reports an approved order carried out. Bank side, no OTP. */
export const markOrderExecutedHandler = (deps: OrderHandlerDeps): CommandHandler<t.TypeOf<typeof MarkOrderExecutedCommandCodec>, OrdersOutput> => ({
  type: 'MarkOrderExecuted',
  codec: MarkOrderExecutedCommandCodec,
  handle: (command, context) =>
    pipe(
      loadAndDecideOrders(deps, context, command.actor, [
        { type: 'MarkOrderExecuted', companyId: command.companyId, orderId: command.orderId, ...(command.bankReference === undefined ? {} : { bankReference: command.bankReference }) },
      ]),
      TE.map(({ outcomes, writes }) => ({ writes, output: movesOf(outcomes.flatMap((outcome) => outcome.orderEvents)) })),
    ),
  outcomeOf: ordersOutcomeOf(deps.recordedRefusal),
});
