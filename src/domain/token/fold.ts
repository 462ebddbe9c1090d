import { foldOwnEvents } from '../../events/stream-fold.js';
import { tokenEventCodecs } from './events.js';
import { evolveToken, initialTokenState } from './state.js';

/** How a command handler folds a token stream. */
export const tokenFold = foldOwnEvents({ name: 'softtoken/token', version: 1, initialState: initialTokenState, ownEvents: tokenEventCodecs, evolve: evolveToken });
