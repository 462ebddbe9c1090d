import type { TokenStatus } from '../../domain/token/status.js';
import type { Actor, StoredEvent } from '../../events/envelope.js';
import { SharedMap } from '../../collections/shared-map.js';

/** How a command was confirmed: with an OTP (which token, which step), a lost token's one-time code (which one), or not at all. */
export type AuditFactor =
  | { readonly kind: 'otp'; readonly serial: string; readonly step: string }
  | { readonly kind: 'recovery-code'; readonly serial: string; readonly index: number }
  | { readonly kind: 'none' };

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
  TokenSuspended: 'suspended',
  TokenResumed: 'active',
  TokenReportedLost: 'lost',
  DeviceReplaced: 'active',
};

const withStatus = (changes: readonly TokenStatusChange[], event: StoredEvent): readonly TokenStatusChange[] => {
  const status = Object.prototype.hasOwnProperty.call(statusAfter, event.type) ? statusAfter[event.type] : undefined;
  if (status === undefined || !event.streamId.startsWith('token-')) return changes;
  const serial = event.streamId.slice('token-'.length);
  return [...changes.filter((change) => change.serial !== serial), { serial, status }];
};

/** A link of the audit trail's persistent list. */
export interface AuditNode {
  readonly entry: AuditEntry;
  readonly previous: AuditNode | undefined;
  /** The command named by a lifecycle event of the entry, and by its OTP record. */
  readonly named: { readonly byEvent?: string; readonly byOtp?: string };
}

/**
 * The audit projection's state: the entries as a persistent list, newest first, so that folding
 * an event never copies the trail; and the company of every token serial seen.
 */
export interface AuditState {
  readonly newest: AuditNode | undefined;
  readonly count: number;
  readonly companyOfSerial: SharedMap<string>;
}

/** An empty trail. */
export const emptyAudit: AuditState = { newest: undefined, count: 0, companyOfSerial: SharedMap.empty() };

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
  TokenSuspended: 'SuspendToken',
  TokenResumed: 'ResumeToken',
  TokenReportedLost: 'ReportTokenLost',
  ReactivationStarted: 'ReactivateToken',
  DeviceReplaced: 'EnrollDevice',
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
  if (event.streamId.startsWith('token-')) return state.companyOfSerial.get(event.streamId.slice('token-'.length)) ?? dataField(event, 'companyId');
  return dataField(event, 'companyId');
};

const addUnique = (list: readonly string[], value: string | undefined): readonly string[] =>
  value === undefined || list.includes(value) ? list : [...list, value];

const fold = (node: Pick<AuditNode, 'entry' | 'named'>, event: StoredEvent, companyId: string | undefined, actions: Readonly<Record<string, string>>): Pick<AuditNode, 'entry' | 'named'> => {
  const { entry } = node;
  const events = [...entry.events, event.type];
  const isOtpRecord = event.type === 'OtpAccepted' || event.type === 'OtpRejected' || event.type === 'RecoveryCodeUsed';
  const named = {
    ...node.named,
    ...(node.named.byEvent === undefined && !isOtpRecord ? definedAs('byEvent', actionOf(event, actions)) : {}),
    ...(node.named.byOtp === undefined && isOtpRecord ? definedAs('byOtp', dataField(event, 'command')) : {}),
  };
  const factor: AuditFactor = entry.factor.kind === 'none' ? (factorOf(event) ?? entry.factor) : entry.factor;
  return {
    named,
    entry: {
      ...entry,
      action: named.byEvent ?? named.byOtp ?? events[0] ?? '',
      outcome: (entry.events.length === 0 || entry.outcome === 'failed') && isRefusalRecord(event) ? 'failed' : 'succeeded',
      factor,
      companyIds: addUnique(entry.companyIds, companyId),
      streams: addUnique(entry.streams, event.streamId),
      events,
      tokenStatuses: withStatus(entry.tokenStatuses, event),
    },
  };
};

/** The factor an OTP record names: the accepted code's step, or the spent one-time code's index. */
const factorOf = (event: StoredEvent): AuditFactor | undefined => {
  const serial = event.streamId.slice('token-'.length);
  if (event.type === 'OtpAccepted') return { kind: 'otp', serial, step: dataField(event, 'step') ?? '' };
  if (event.type !== 'RecoveryCodeUsed') return undefined;
  const index = (event.data as Readonly<Record<string, unknown>>).index;
  return { kind: 'recovery-code', serial, index: typeof index === 'number' ? index : -1 };
};

const definedAs = <K extends string>(key: K, value: string | undefined): { [P in K]?: string } =>
  (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };

const started = (event: StoredEvent): AuditEntry => ({
  position: event.globalPosition,
  commandId: event.metadata.commandId,
  correlationId: event.metadata.correlationId,
  occurredAt: event.metadata.occurredAt,
  actor: event.metadata.actor,
  action: '',
  outcome: 'succeeded',
  factor: { kind: 'none' },
  companyIds: event.metadata.actor.kind === 'user' ? [event.metadata.actor.companyId] : [],
  streams: [],
  events: [],
  tokenStatuses: [],
});

// Events of one command are normally adjacent in the global order, but a store whose positions
// come from a sequence may interleave two concurrent commits: look a few entries back for it.
const LOOK_BACK = 16;

type NodeUpdate = (node: Pick<AuditNode, 'entry' | 'named'>) => Pick<AuditNode, 'entry' | 'named'>;

const replaceEntry = (node: AuditNode | undefined, commandId: string, depth: number, update: NodeUpdate): AuditNode | undefined => {
  if (node === undefined || depth === LOOK_BACK) return undefined;
  if (node.entry.commandId === commandId) return { ...update(node), previous: node.previous };
  const rest = replaceEntry(node.previous, commandId, depth + 1, update);
  return rest === undefined ? undefined : { ...node, previous: rest };
};

/** Folds one stored event into the audit trail, naming commands with `actions` (default: the token domain's). */
export const evolveAudit = (state: AuditState, event: StoredEvent, actions: Readonly<Record<string, string>> = tokenAuditActions): AuditState => {
  const createdCompany = event.streamId.startsWith('token-') ? dataField(event, 'companyId') : undefined;
  const created = createdCompany !== undefined && (event.type === 'TokenRequested' || event.type === 'PhysicalTokenImported' || event.type === 'PhysicalTokenPooled');
  const companyOfSerial = created ? state.companyOfSerial.with(event.streamId.slice('token-'.length), createdCompany) : state.companyOfSerial;
  const withSerials = { ...state, companyOfSerial };
  const companyId = companyOfStream(withSerials, event);
  const update: NodeUpdate = (node) => fold(node, event, companyId, actions);
  const replaced = replaceEntry(state.newest, event.metadata.commandId, 0, update);
  if (replaced !== undefined) return { ...withSerials, newest: replaced };
  return { ...withSerials, newest: { ...update({ entry: started(event), named: {} }), previous: state.newest }, count: state.count + 1 };
};

/** The entries, newest first (a lazy walk of the persistent list). */
export function* auditEntries(state: AuditState): Generator<AuditEntry> {
  for (let node = state.newest; node !== undefined; node = node.previous) yield node.entry;
}

/**
 * A trail rebuilt from its entries (newest first), as a checkpoint keeps them. The names of
 * commands are taken as recorded.
 */
export const fromEntries = (entries: readonly AuditEntry[], companyOfSerial: SharedMap<string>): AuditState => {
  let newest: AuditNode | undefined;
  for (let index = entries.length - 1; index >= 0; index--) {
    const entry = entries[index];
    if (entry !== undefined) newest = { entry, previous: newest, named: { byEvent: entry.action } };
  }
  return { newest, count: entries.length, companyOfSerial };
};
