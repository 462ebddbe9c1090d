import type * as t from 'io-ts';
import type { CommandHandler } from '../command-handler.js';
import { RevokeOrdersCommandCodec } from '../../domain/order/commands.js';
import type { OrderHandlerDeps } from './deps.js';
import { otpConfirmedHandler } from './otp-confirmed-handler.js';
import type { OrdersOutput } from './outputs.js';

/** `RevokeOrders`: cancels approved orders not yet executed with one OTP, all or nothing. */
export const revokeOrdersHandler = (deps: OrderHandlerDeps): CommandHandler<t.TypeOf<typeof RevokeOrdersCommandCodec>, OrdersOutput> =>
  otpConfirmedHandler(deps, 'RevokeOrders', RevokeOrdersCommandCodec, (command) => command.orderIds);
