import type { StreamFold } from '../../commands/command-handler.js';
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
