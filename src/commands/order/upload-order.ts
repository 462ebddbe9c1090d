import * as E from 'fp-ts/lib/Either.js';
import type { Either } from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import type * as t from 'io-ts';
import type { CommandHandler } from '../command-handler.js';
import type { SdkError } from '../../errors/sdk-error.js';
import { infrastructure } from '../../errors/sdk-error.js';
import { UploadOrderCommandCodec } from '../../domain/order/commands.js';
import type { OrderEvent } from '../../domain/order/events.js';
import { loadAndDecideOrders } from './load-and-decide-orders.js';
import type { OrderHandlerDeps } from './deps.js';
import type { UploadOrderOutput } from './outputs.js';
import { storedOrderEvents } from './outputs.js';

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
      loadAndDecideOrders(deps, context, command.actor, [command]),
      TE.chainEitherK(({ outcomes, writes }) =>
        pipe(
          uploadOutput(outcomes.flatMap((outcome) => outcome.orderEvents)),
          E.map((output) => ({ writes, output })),
        ),
      ),
    ),
  outcomeOf: (events) => uploadOutput(storedOrderEvents(events)),
});
