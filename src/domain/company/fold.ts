import { foldOwnEvents } from '../../events/stream-fold.js';
import { companyEventCodecs } from './events.js';
import { evolveCompany, initialCompanyState } from './state.js';

/** How a command handler folds a company stream (events of other domains in it are skipped). */
// Version 2: wrong security answers are counted per user. Version 3: the indexes are persistent maps.
export const companyFold = foldOwnEvents({ name: 'softtoken/company', version: 3, initialState: initialCompanyState, ownEvents: companyEventCodecs, evolve: evolveCompany });
