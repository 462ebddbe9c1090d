import type { StreamFold } from '../../events/stream-fold.js';
import type { AgreementEvent } from '../agreement/events.js';
import type { AgreementState } from '../agreement/state.js';
import { evolveAgreement, initialAgreementState } from '../agreement/state.js';
import type { OrderEvent } from './events.js';
import type { OrderState } from './state.js';
import { evolveOrder, initialOrderState } from './state.js';

/** How an order's stream is folded (named and versioned for snapshots). */
export const orderFold: StreamFold<OrderState, OrderEvent> = {
  name: 'order',
  // 2: the state holds the order's payments.
  version: 2,
  initialState: initialOrderState,
  evolve: evolveOrder,
};

/** How an `agreement-{companyId}-{serviceId}` stream is folded (named and versioned for snapshots). */
export const agreementFold: StreamFold<AgreementState, AgreementEvent> = {
  name: 'agreement',
  // 2: the state holds the approval factor policy.
  version: 2,
  initialState: initialAgreementState,
  evolve: evolveAgreement,
};

/**
 * How a duplicate index (`duplicate-index-{companyId}-{serviceId}-{fingerprint}`) is folded: the live
 * orders with that content, oldest first.
 */
export const duplicateIndexFold: StreamFold<readonly string[], AgreementEvent> = {
  name: 'order-duplicate-index',
  version: 1,
  initialState: [],
  evolve: (live, event) => {
    switch (event.type) {
      case 'OrderFingerprintRecorded':
        return live.includes(event.data.orderId) ? live : [...live, event.data.orderId];
      case 'OrderFingerprintReleased':
        return live.filter((orderId) => orderId !== event.data.orderId);
      default:
        return live;
    }
  },
};

/**
 * The agreement without its 0.1 index of live orders: levels and grants only, which is all approving and
 * revoking need. Folding it skips the index events, which are most of a busy agreement's stream (one
 * per upload, delete, revoke and execution); it has its own snapshots.
 */
export const agreementGrantsFold: StreamFold<AgreementState, AgreementEvent> = {
  name: 'agreement-grants',
  // 2: the state holds the approval factor policy.
  version: 2,
  initialState: initialAgreementState,
  evolve: (state, event) => (event.type === 'OrderFingerprintRecorded' || event.type === 'OrderFingerprintReleased' ? state : evolveAgreement(state, event)),
};
