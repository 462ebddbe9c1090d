import type * as t from 'io-ts';
import type { CommandHandler } from '../command-handler.js';
import { DeleteOrderCommandCodec } from '../../domain/order/commands.js';
import type { OrderHandlerDeps } from './deps.js';
import { otpConfirmedHandler } from './otp-confirmed-handler.js';
import type { OrdersOutput } from './outputs.js';

/** `DeleteOrder`: the uploader or a company admin deletes an order pending approval; the OTP rule applies. */
export const deleteOrderHandler = (deps: OrderHandlerDeps): CommandHandler<t.TypeOf<typeof DeleteOrderCommandCodec>, OrdersOutput> =>
  otpConfirmedHandler(deps, 'DeleteOrder', DeleteOrderCommandCodec, (command) => [command.orderId]);
