import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type * as t from 'io-ts';
import type { CommandHandler } from '../command-handler.js';
import { ApproveOrdersCommandCodec } from '../../domain/order/commands.js';
import { approvalFactorOf } from '../../domain/order/approval-factor.js';
import type { OrderHandlerDeps } from './deps.js';
import { confirmWithOtp, loadAndDecideOrders, settledBy } from './load-and-decide-orders.js';
import type { OrdersOutput } from './outputs.js';
import { movesOf, ordersOutcomeOf } from './outputs.js';

/**
 * `ApproveOrders`: the next level of one or several orders with one confirmation, all or nothing.
 * The orders' agreements choose the factor (`approvalFactorOf`): the OTP rule, or dynamic linking,
 * where `otp` must be the OCRA response over the digest of exactly these orders.
 */
export const approveOrdersHandler = (deps: OrderHandlerDeps): CommandHandler<t.TypeOf<typeof ApproveOrdersCommandCodec>, OrdersOutput> => ({
  type: 'ApproveOrders',
  codec: ApproveOrdersCommandCodec,
  secretFields: ['otp'],
  handle: (command, context) =>
    pipe(
      loadAndDecideOrders(
        deps,
        context,
        command.actor,
        command.orderIds.map((orderId) => ({ type: 'ApproveOrders' as const, orderId })),
      ),
      TE.chain(({ outcomes, writes, decidedOn }) => {
        const decision = { writes, output: movesOf(outcomes.flatMap((outcome) => outcome.orderEvents)) };
        const request = { actor: command.actor, code: command.otp, command: 'ApproveOrders' };
        const companyId = command.actor.kind === 'user' ? command.actor.companyId : '';
        return pipe(
          TE.fromEither(approvalFactorOf(companyId, decidedOn)),
          TE.chain((factor) =>
            factor._tag === 'otp'
              ? confirmWithOtp(deps, context, request, decision)
              : pipe(deps.checkDynamicLinking(context, request, factor), TE.chainEitherK(settledBy(decision))),
          ),
        );
      }),
    ),
  outcomeOf: ordersOutcomeOf(deps.recordedRefusal),
});
