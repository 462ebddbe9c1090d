import * as t from 'io-ts';
import { commandEnvelopeCodec } from '../command-envelope.js';
import type { CommandHandler } from '../command-handler.js';
import { DeleteOrderCodec } from '../../domain/order/commands.js';
import type { OrderHandlerDeps } from './deps.js';
import { otpConfirmedHandler } from './otp-confirmed-handler.js';
import type { OrdersOutput } from './outputs.js';

/** `DeleteOrder` with its command envelope. */
export const DeleteOrderCommandCodec = t.intersection([commandEnvelopeCodec, DeleteOrderCodec], 'DeleteOrderCommand');

/** `DeleteOrder`: the uploader or a company admin deletes an order pending approval; the OTP rule applies. */
export const deleteOrderHandler = (deps: OrderHandlerDeps): CommandHandler<t.TypeOf<typeof DeleteOrderCommandCodec>, OrdersOutput> =>
  otpConfirmedHandler(deps, 'DeleteOrder', DeleteOrderCommandCodec, (command) => [command.orderId]);
