import type { StreamFold } from '../../events/stream-fold.js';
import type { DomainEvent } from '../../events/decider.js';
import { companyEventCodecs, type CompanyEvent } from './events.js';
import { evolveCompany, initialCompanyState, type CompanyState } from './state.js';

const isCompanyEvent = (event: DomainEvent): event is CompanyEvent => Object.prototype.hasOwnProperty.call(companyEventCodecs, event.type);

/** How a command handler folds a company stream (events of other domains in it are skipped). */
export const companyFold: StreamFold<CompanyState> = {
  name: 'softtoken/company',
  version: 1,
  initialState: initialCompanyState,
  evolve: (state, event) => (isCompanyEvent(event) ? evolveCompany(state, event) : state),
};
