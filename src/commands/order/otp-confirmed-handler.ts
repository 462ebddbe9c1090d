import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type * as t from 'io-ts';
import type { commandEnvelopeCodec } from '../../events/command-envelope.js';
import type { CommandHandler } from '../command-handler.js';
import type { OrderCommand } from '../../domain/order/decide.js';
import { confirmWithOtp, loadAndDecideOrders } from './load-and-decide-orders.js';
import type { OrderHandlerDeps } from './deps.js';
import type { OrdersOutput } from './outputs.js';
import { movesOf, ordersOutcomeOf } from './outputs.js';

/** What delete, approve and revoke share: an actor and the code that confirms them. */
export interface OtpConfirmedCommand {
  readonly actor: t.TypeOf<typeof commandEnvelopeCodec>['actor'];
  readonly otp?: unknown;
}

// Delete and revoke share one shell: decide every named order, then the OTP rule. (ApproveOrders has
// its own handler: its orders' agreements choose the factor, the OTP rule or dynamic linking.)
export const otpConfirmedHandler = <C extends OtpConfirmedCommand>(
  deps: OrderHandlerDeps,
  type: 'DeleteOrder' | 'RevokeOrders',
  codec: t.Decoder<unknown, C>,
  orderIdsOf: (command: C) => readonly string[],
): CommandHandler<C, OrdersOutput> => ({
  type,
  codec,
  secretFields: ['otp'],
  handle: (command, context) =>
    pipe(
      loadAndDecideOrders(
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
