import type { StreamFold } from '../../events/stream-fold.js';
import type { DomainEvent } from '../../events/decider.js';
import { tokenEventCodecs, type TokenEvent } from './events.js';
import { evolveToken, initialTokenState, type TokenState } from './state.js';

const isTokenEvent = (event: DomainEvent): event is TokenEvent => Object.prototype.hasOwnProperty.call(tokenEventCodecs, event.type);

/** How a command handler folds a token stream. */
export const tokenFold: StreamFold<TokenState> = {
  name: 'softtoken/token',
  version: 1,
  initialState: initialTokenState,
  evolve: (state, event) => (isTokenEvent(event) ? evolveToken(state, event) : state),
};
