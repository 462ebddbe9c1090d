import type { StoredEvent } from '../../events/envelope.js';
import type { Projection } from '../projection.js';
import { deserializeAudit, serializeAudit } from './serialize.js';
import { emptyAudit, evolveAudit, tokenAuditActions, type AuditState } from './state.js';

/**
 * The audit trail as a projection, with JSON checkpoints. `actions` names other domains' commands
 * by their events' types (their OTP records name them anyway).
 */
export const auditProjection = (options: { readonly actions?: Readonly<Record<string, string>> } = {}): Projection<AuditState> => {
  const actions = { ...tokenAuditActions, ...options.actions };
  return {
    name: 'softtoken/audit',
    initialState: emptyAudit,
    evolve: (state: AuditState, event: StoredEvent): AuditState => evolveAudit(state, event, actions),
    serialize: serializeAudit,
    deserialize: deserializeAudit,
  };
};
