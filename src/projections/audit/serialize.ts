import { emptyMap, entriesOf, setEntry } from '../../collections/persistent-map.js';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { infrastructure, type SdkError } from '../../errors/sdk-error.js';
import type { JsonValue } from '../../events/envelope.js';
import { auditEntries, fromEntries, type AuditEntry, type AuditState } from './state.js';

const ActorCodec = t.union([
  t.type({ kind: t.literal('user'), companyId: t.string, userId: t.string }),
  t.type({ kind: t.literal('bank'), operatorId: t.string }),
  t.type({ kind: t.literal('system') }),
]);

const StatusChangeCodec = t.type({
  serial: t.string,
  status: t.keyof({ pending: null, assigned: null, 'pending-activation': null, active: null, deleted: null, disabled: null }),
});

const EntryCodec = t.intersection([
  t.type({
  position: t.number,
  commandId: t.string,
  correlationId: t.string,
  occurredAt: t.string,
  actor: ActorCodec,
  action: t.string,
  outcome: t.keyof({ succeeded: null, failed: null }),
  factor: t.union([t.type({ kind: t.literal('otp'), serial: t.string, step: t.string }), t.type({ kind: t.literal('none') })]),
  companyIds: t.array(t.string),
  streams: t.array(t.string),
  events: t.array(t.string),
  }),
  // Absent in a checkpoint written by 0.1.
  t.partial({ tokenStatuses: t.array(StatusChangeCodec) }),
]);

const StateCodec = t.type({ entries: t.array(EntryCodec), companyOfSerial: t.array(t.tuple([t.string, t.string])) });

/** The audit trail as JSON (entries newest first), for a durable runner's checkpoint. */
export const serializeAudit = (state: AuditState): JsonValue =>
  ({ entries: [...auditEntries(state)], companyOfSerial: [...entriesOf(state.companyOfSerial)] }) as unknown as JsonValue;

/** The audit trail back from a checkpoint; a checkpoint that does not fit is an `Infrastructure` error. */
export const deserializeAudit = (json: JsonValue): E.Either<SdkError, AuditState> => {
  const decoded = StateCodec.decode(json);
  if (E.isLeft(decoded)) return E.left(infrastructure('the audit checkpoint does not match its schema'));
  const entries: readonly AuditEntry[] = decoded.right.entries.map((entry) => ({ ...entry, tokenStatuses: entry.tokenStatuses ?? [] }));
  return E.right(fromEntries(entries, decoded.right.companyOfSerial.reduce((map, [serial, companyId]) => setEntry(map, serial, companyId), emptyMap<string>())));
};
