import { emptyMap, getEntry, setEntry, type PersistentMap } from '../../collections/persistent-map.js';
import type { TokenStatus } from '../../domain/token/status.js';
import type { Actor, StoredEvent } from '../../events/envelope.js';
import { emptyLists, firstEventType, listsAsArrays, listsOf, withEvent, type EntryLists } from './entry-lists.js';

/** How a command was confirmed: with an OTP (which token, which step), or not at all. */
export type AuditFactor = { readonly kind: 'otp'; readonly serial: string; readonly step: string } | { readonly kind: 'none' };

/** One command in the audit trail: who did what, when, confirmed how, and whether it went through. */
export interface AuditEntry {
  /** Global position of the command's first event. */
  readonly position: number;
  readonly commandId: string;
  readonly correlationId: string;
  readonly occurredAt: string;
  readonly actor: Actor;
  /** The command, as named by its events. */
  readonly action: string;
  /** `failed`: only the record of a refusal was kept (a wrong OTP, registration code or answer). */
  readonly outcome: 'succeeded' | 'failed';
  readonly factor: AuditFactor;
  /** Companies the command touched: the actor's, and those of the streams it wrote. */
  readonly companyIds: readonly string[];
  /** Streams the command wrote. */
  readonly streams: readonly string[];
  /** The event types it appended, in order. */
  readonly events: readonly string[];
  /**
   * The tokens whose lifecycle status the command changed, and to what (a soft token's activation
   * also shows the user's hardware token `disabled`). Empty in entries kept by a 0.1 checkpoint.
   */
  readonly tokenStatuses: readonly TokenStatusChange[];
}

/** A token's lifecycle status after a command. */
export interface TokenStatusChange {
  readonly serial: string;
  readonly status: TokenStatus;
}

/** The status each lifecycle event leaves its token in. */
const statusAfter: Readonly<Record<string, TokenStatus>> = {
  TokenRequested: 'pending',
  TokenAssignmentConfirmed: 'assigned',
  DeviceEnrolled: 'pending-activation',
  TokenActivated: 'active',
  PhysicalTokenImported: 'active',
  PhysicalTokenPooled: 'unassigned',
  PhysicalTokenAssigned: 'active',
  TokenDeleted: 'deleted',
  PhysicalTokenDisabled: 'disabled',
};

const statusChangeOf = (event: StoredEvent): TokenStatusChange | undefined => {
  const status = Object.prototype.hasOwnProperty.call(statusAfter, event.type) ? statusAfter[event.type] : undefined;
  return status === undefined || !event.streamId.startsWith('token-') ? undefined : { serial: event.streamId.slice('token-'.length), status };
};

/** An entry's fields but its growing lists. */
type AuditHead = Omit<AuditEntry, 'events' | 'streams' | 'tokenStatuses'>;

/** An entry as it is folded: its head, its lists, and the command its events named. */
interface Draft {
  readonly head: AuditHead;
  readonly lists: EntryLists;
  /** The command named by a lifecycle event of the entry, and by its OTP record. */
  readonly named: { readonly byEvent?: string; readonly byOtp?: string };
}

/** A link of the audit trail's persistent list; `entry` is built from the draft when first read. */
export interface AuditNode extends Draft {
  readonly entry: AuditEntry;
  readonly previous: AuditNode | undefined;
}

const nodeOf = (draft: Draft, previous: AuditNode | undefined): AuditNode => {
  let built: AuditEntry | undefined;
  return {
    ...draft,
    previous,
    get entry(): AuditEntry {
      built ??= { ...draft.head, ...listsAsArrays(draft.lists) };
      return built;
    },
  };
};

/**
 * The audit projection's state: the entries as a persistent list, newest first, so that folding
 * an event never copies the trail; and the company of every token serial seen.
 */
export interface AuditState {
  readonly newest: AuditNode | undefined;
  readonly count: number;
  readonly companyOfSerial: PersistentMap<string>;
}

/** An empty trail. */
export const emptyAudit: AuditState = { newest: undefined, count: 0, companyOfSerial: emptyMap() };

/**
 * The command each lifecycle event stands for; OTP events name theirs in `data.command`. Other
 * domains add their own with `auditProjection({ actions })`.
 */
export const tokenAuditActions: Readonly<Record<string, string>> = {
  CompanyConfigured: 'ConfigureCompany',
  TokenRequested: 'RequestTokenAssignment',
  ActivationCodeReissued: 'ReissueActivationCode',
  RegistrationCodeRejected: 'EnrollDevice',
  DeviceEnrolled: 'EnrollDevice',
  SecurityAnswerRejected: 'ActivateToken',
  TokenActivated: 'ActivateToken',
  TokenDeleted: 'DeleteToken',
  PhysicalTokenImported: 'ImportPhysicalToken',
  PhysicalTokenPooled: 'ImportPhysicalTokens',
  PhysicalTokenAssigned: 'AssignPhysicalToken',
  TokenResynced: 'ResyncToken',
  SecurityAnswerFailed: 'ActivateToken',
};

const refusals = new Set(['OtpRejected', 'RegistrationCodeRejected', 'SecurityAnswerRejected', 'SecurityAnswerFailed', 'TokenLocked', 'TokenUnlocked']);

// A timed unlock rides along with whatever the command recorded; an admin's or the bank's unlock is the command's own success.
const isRefusalRecord = (event: StoredEvent): boolean =>
  refusals.has(event.type) && !(event.type === 'TokenUnlocked' && dataField(event, 'by') !== 'timer');

const dataField = (event: StoredEvent, field: string): string | undefined => {
  const value = (event.data as Readonly<Record<string, unknown>>)[field];
  return typeof value === 'string' ? value : undefined;
};

const actionOf = (event: StoredEvent, actions: Readonly<Record<string, string>>): string | undefined => {
  if (event.type === 'TokenAssignmentConfirmed') return dataField(event, 'confirmation') === 'none' ? 'RequestTokenAssignment' : 'ConfirmTokenAssignment';
  if (event.type === 'TokenUnlocked') return dataField(event, 'by') === 'timer' ? undefined : 'UnlockToken';
  // A correct answer forgets the wrong ones as part of ActivateToken; an admin's or the bank's clearing is its own command.
  if (event.type === 'SecurityAnswerFailuresCleared') return dataField(event, 'by') === 'correct-answer' ? undefined : 'ClearSecurityQuestionLock';
  return Object.prototype.hasOwnProperty.call(actions, event.type) ? actions[event.type] : undefined;
};

const companyOfStream = (state: AuditState, event: StoredEvent): string | undefined => {
  if (event.streamId.startsWith('company-')) return event.streamId.slice('company-'.length);
  if (event.streamId.startsWith('token-')) return getEntry(state.companyOfSerial, event.streamId.slice('token-'.length)) ?? dataField(event, 'companyId');
  return dataField(event, 'companyId');
};

const addUnique = (list: readonly string[], value: string | undefined): readonly string[] =>
  value === undefined || list.includes(value) ? list : [...list, value];

const fold = (node: Draft, event: StoredEvent, companyId: string | undefined, actions: Readonly<Record<string, string>>): Draft => {
  const { head: entry } = node;
  const first = node.lists.events.size === 0;
  const lists = withEvent(node.lists, event.type, event.streamId, statusChangeOf(event));
  const isOtpRecord = event.type === 'OtpAccepted' || event.type === 'OtpRejected';
  const named = {
    ...node.named,
    ...(node.named.byEvent === undefined && !isOtpRecord ? definedAs('byEvent', actionOf(event, actions)) : {}),
    ...(node.named.byOtp === undefined && isOtpRecord ? definedAs('byOtp', dataField(event, 'command')) : {}),
  };
  const factor: AuditFactor =
    event.type === 'OtpAccepted' && entry.factor.kind === 'none'
      ? { kind: 'otp', serial: event.streamId.slice('token-'.length), step: dataField(event, 'step') ?? '' }
      : entry.factor;
  return {
    named,
    lists,
    head: {
      ...entry,
      action: named.byEvent ?? named.byOtp ?? firstEventType(lists) ?? '',
      outcome: (first || entry.outcome === 'failed') && isRefusalRecord(event) ? 'failed' : 'succeeded',
      factor,
      companyIds: addUnique(entry.companyIds, companyId),
    },
  };
};

const definedAs = <K extends string>(key: K, value: string | undefined): { [P in K]?: string } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };

const started = (event: StoredEvent): AuditHead => ({
  position: event.globalPosition,
  commandId: event.metadata.commandId,
  correlationId: event.metadata.correlationId,
  occurredAt: event.metadata.occurredAt,
  actor: event.metadata.actor,
  action: '',
  outcome: 'succeeded',
  factor: { kind: 'none' },
  companyIds: event.metadata.actor.kind === 'user' ? [event.metadata.actor.companyId] : [],
});

// Events of one command are normally adjacent in the global order, but a store whose positions
// come from a sequence may interleave two concurrent commits: look a few entries back for it.
const LOOK_BACK = 16;

type NodeUpdate = (node: Draft) => Draft;

const replaceEntry = (node: AuditNode | undefined, commandId: string, depth: number, update: NodeUpdate): AuditNode | undefined => {
  if (node === undefined || depth === LOOK_BACK) return undefined;
  if (node.head.commandId === commandId) return nodeOf(update(node), node.previous);
  const rest = replaceEntry(node.previous, commandId, depth + 1, update);
  return rest === undefined ? undefined : nodeOf(node, rest);
};

/** Folds one stored event into the audit trail, naming commands with `actions` (default: the token domain's). */
export const evolveAudit = (state: AuditState, event: StoredEvent, actions: Readonly<Record<string, string>> = tokenAuditActions): AuditState => {
  let companyOfSerial = state.companyOfSerial;
  const createdCompany = event.streamId.startsWith('token-') ? dataField(event, 'companyId') : undefined;
  if (createdCompany !== undefined && (event.type === 'TokenRequested' || event.type === 'PhysicalTokenImported' || event.type === 'PhysicalTokenPooled')) {
    companyOfSerial = setEntry(companyOfSerial, event.streamId.slice('token-'.length), createdCompany);
  }
  const withSerials = { ...state, companyOfSerial };
  const companyId = companyOfStream(withSerials, event);
  const update: NodeUpdate = (node) => fold(node, event, companyId, actions);
  const replaced = replaceEntry(state.newest, event.metadata.commandId, 0, update);
  if (replaced !== undefined) return { ...withSerials, newest: replaced };
  return { ...withSerials, newest: nodeOf(update({ head: started(event), lists: emptyLists, named: {} }), state.newest), count: state.count + 1 };
};

/** The entries, newest first (a lazy walk of the persistent list). */
export function* auditEntries(state: AuditState): Generator<AuditEntry> {
  for (let node = state.newest; node !== undefined; node = node.previous) yield node.entry;
}

/**
 * A trail rebuilt from its entries (newest first), as a checkpoint keeps them. The names of
 * commands are taken as recorded.
 */
export const fromEntries = (entries: readonly AuditEntry[], companyOfSerial: PersistentMap<string>): AuditState => {
  let newest: AuditNode | undefined;
  for (let index = entries.length - 1; index >= 0; index--) {
    const entry = entries[index];
    if (entry !== undefined) {
      const { events: _events, streams: _streams, tokenStatuses: _statuses, ...head } = entry;
      newest = nodeOf({ head, lists: listsOf(entry), named: { byEvent: entry.action } }, newest);
    }
  }
  return { newest, count: entries.length, companyOfSerial };
};
