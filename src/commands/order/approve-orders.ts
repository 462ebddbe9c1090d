import type * as t from 'io-ts';
import type { CommandHandler } from '../command-handler.js';
import { ApproveOrdersCommandCodec } from '../../domain/order/commands.js';
import type { OrderHandlerDeps } from './deps.js';
import { otpConfirmedHandler } from './otp-confirmed-handler.js';
import type { OrdersOutput } from './outputs.js';

/** `ApproveOrders`: the next level of one or several orders with one OTP, all or nothing. */
export const approveOrdersHandler = (deps: OrderHandlerDeps): CommandHandler<t.TypeOf<typeof ApproveOrdersCommandCodec>, OrdersOutput> =>
  otpConfirmedHandler(deps, 'ApproveOrders', ApproveOrdersCommandCodec, (command) => command.orderIds);
