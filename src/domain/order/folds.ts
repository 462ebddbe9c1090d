import type { StreamFold } from '../../events/stream-fold.js';
import type { AgreementEvent } from '../agreement/events.js';
import type { AgreementState } from '../agreement/state.js';
import { evolveAgreement, initialAgreementState } from '../agreement/state.js';
import type { OrderEvent } from './events.js';
import type { OrderState } from './state.js';
import { evolveOrder, initialOrderState } from './state.js';

/** How an `order-{orderId}` stream is folded (named and versioned for snapshots). */
export const orderFold: StreamFold<OrderState, OrderEvent> = {
  name: 'order',
  version: 1,
  initialState: initialOrderState,
  evolve: evolveOrder,
};

/** How an `agreement-{companyId}-{serviceId}` stream is folded (named and versioned for snapshots). */
export const agreementFold: StreamFold<AgreementState, AgreementEvent> = {
  name: 'agreement',
  version: 1,
  initialState: initialAgreementState,
  evolve: evolveAgreement,
};

/**
 * The agreement without its index of live orders: levels and grants only, which is all approving and
 * revoking need. Folding it skips the index events, which are most of a busy agreement's stream (one
 * per upload, delete, revoke and execution); it has its own snapshots.
 */
export const agreementGrantsFold: StreamFold<AgreementState, AgreementEvent> = {
  name: 'agreement-grants',
  version: 1,
  initialState: initialAgreementState,
  evolve: (state, event) => (event.type === 'OrderFingerprintRecorded' || event.type === 'OrderFingerprintReleased' ? state : evolveAgreement(state, event)),
};
