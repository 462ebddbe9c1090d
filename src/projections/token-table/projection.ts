import type { Projection } from '../projection.js';
import { deserializeTokenTable, serializeTokenTable } from './serialize.js';
import { emptyTokenTable, evolveTokenTable, type TokenTableState } from './state.js';

/** The token table as a projection: a pure fold of the global event stream, with JSON checkpoints. */
export const tokenTableProjection: Projection<TokenTableState> = {
  name: 'softtoken/token-table',
  initialState: emptyTokenTable,
  evolve: evolveTokenTable,
  serialize: serializeTokenTable,
  deserialize: deserializeTokenTable,
};
