import { foldOwnEvents } from '../../events/stream-fold.js';
import { tokenEventCodecs } from './events.js';
import { evolveToken, initialTokenState } from './state.js';

/** How a command handler folds a token stream. */
// Version 2: a disabled physical token is `disabled`, no longer `deleted`. Version 3: suspended, lost, temporary access,
// reactivation, pooled physical tokens, the app's signing key and challenges, and no display name.
export const tokenFold = foldOwnEvents({ name: 'softtoken/token', version: 3, initialState: initialTokenState, ownEvents: tokenEventCodecs, evolve: evolveToken });
