import { foldOwnEvents } from '../../events/stream-fold.js';
import { companyEventCodecs } from './events.js';
import { evolveCompany, initialCompanyState } from './state.js';

/** How a command handler folds a company stream (events of other domains in it are skipped). */
export const companyFold = foldOwnEvents({ name: 'softtoken/company', version: 1, initialState: initialCompanyState, ownEvents: companyEventCodecs, evolve: evolveCompany });
