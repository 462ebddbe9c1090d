import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import * as t from 'io-ts';
import type { SdkError } from '../../errors/sdk-error.js';
import { decodeCheckpoint } from '../checkpoint-codec.js';
import type { JsonValue } from '../../events/envelope.js';
import { TokenStatusCodec } from '../../domain/token/codecs.js';
import { auditEntries, fromEntries, type AuditEntry, type AuditState } from './state.js';
import { SharedMap } from '../../collections/shared-map.js';

const ActorCodec = t.union([
  t.type({ kind: t.literal('user'), companyId: t.string, userId: t.string }),
  t.type({ kind: t.literal('bank'), operatorId: t.string }),
  t.type({ kind: t.literal('system') }),
]);

const StatusChangeCodec = t.type({
  serial: t.string,
  status: TokenStatusCodec,
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
  factor: t.union([
    t.type({ kind: t.literal('otp'), serial: t.string, step: t.string }),
    t.type({ kind: t.literal('recovery-code'), serial: t.string, index: t.number }),
    t.type({ kind: t.literal('none') }),
  ]),
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
  ({ entries: [...auditEntries(state)], companyOfSerial: [...state.companyOfSerial] }) as unknown as JsonValue;

/** The audit trail back from a checkpoint; a checkpoint that does not fit is an `Infrastructure` error. */
export const deserializeAudit = (json: JsonValue): E.Either<SdkError, AuditState> =>
  pipe(
    decodeCheckpoint(StateCodec, 'audit')(json),
    E.map((decoded) => {
      const entries: readonly AuditEntry[] = decoded.entries.map((entry) => ({ ...entry, tokenStatuses: entry.tokenStatuses ?? [] }));
      return fromEntries(entries, SharedMap.of(decoded.companyOfSerial));
    }),
  );
