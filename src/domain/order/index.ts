export type { ApproveOrders, DeleteOrder, MarkOrderExecuted, RevokeOrders, UploadOrder } from './commands.js';
export {
  ApproveOrdersCodec,
  DeleteOrderCodec,
  MarkOrderExecutedCodec,
  MAX_ORDERS_PER_BATCH,
  MAX_TRANSACTIONS,
  OrderIdsCodec,
  ReferenceCodec,
  RevokeOrdersCodec,
  TransactionCountCodec,
  UploadOrderCodec,
} from './commands.js';
export type { OrderCommand, OrderFacts } from './decide.js';
export { aboutOrder, decideOrder, MAX_DUPLICATES_NAMED, orderDecider } from './decide.js';
export type { FingerprintEvent, OrderInput, OrderOutcome } from './effects.js';
export { decideOrdersAllOrNothing, decideOrderOutcome, fingerprintEffects } from './effects.js';
export type { OrderEvent, OrderEventOf, OrderEventType } from './events.js';
export { orderEventCodecs, OrderKindCodec } from './events.js';
export { duplicateIndexStreamId, legacyOrderStreamId, orderStreamId } from './streams.js';
export type { OrderContent } from './fingerprint.js';
export { orderFingerprint, uploadFingerprint } from './fingerprint.js';
export type { PersistentMap } from '../../collections/persistent-map.js';
export type { Approval, Order, OrderState } from './state.js';
export { evolveOrder, initialOrderState, nextLevel } from './state.js';
export type { OrderStatus } from './status.js';
export { orderStatuses, OrderStatusCodec } from './status.js';
export type { OrderCommandType, OrderStatusOrNone, OrderTransition } from './transitions.js';
export { orderTransitionDiagram, orderTransitions, transitionsFrom } from './transitions.js';
export type { LoadedOrderStream, LoadedVersions, OrderStreamWrite } from './writes.js';
export { orderCommandWrites } from './writes.js';
export { agreementFold, agreementGrantsFold, duplicateIndexFold, orderFold } from './folds.js';
export { ordersEventDefinitions } from './event-definitions.js';
