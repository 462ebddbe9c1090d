export type { PersistentVector } from '../../collections/persistent-vector.js';
export type { OrderClosure, OrderRow, OrdersReadModel } from './read-model.js';
export { emptyOrdersReadModel, evolveOrdersReadModel, orderKey } from './read-model.js';
export type { AgreementSummary, ApproveViewQuery, OrderPage, OrderSearch, OrderViewRow, ViewQuery } from './views.js';
export {
  agreementsOf,
  approvalBatch,
  approveView,
  ApproveViewQueryCodec,
  DEFAULT_PAGE_SIZE,
  deleteView,
  MAX_PAGE_SIZE,
  orderById,
  OrderSearchCodec,
  revokeView,
  searchOrders,
  ViewQueryCodec,
} from './views.js';
export { orderAuditActions } from './audit-actions.js';
export { foldOrdersEvent } from './read-model.js';
export { deserializeOrdersReadModel, ordersProjection, SerializedOrdersCodec, serializeOrdersReadModel } from './projection.js';
