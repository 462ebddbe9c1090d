import type { StoredEvent } from '../../events/envelope.js';
import { decodeCompanyEvent } from '../../domain/company/events.js';
import { decodeTokenEvent, type TokenEvent } from '../../domain/token/events.js';
import type { TokenKind, TokenStatus } from '../../domain/token/status.js';
import { SharedMap } from '../../collections/shared-map.js';

/** One line of the token table: a token of a user of the company. */
export interface TokenTableRow {
  readonly serial: string;
  /** The owner, by id: the name is the Directory's, looked up when the table is shown. */
  readonly userId: string;
  readonly kind: TokenKind;
  readonly status: TokenStatus;
  /** The locked flag as recorded; the view also applies a timed unlock that has come due. */
  readonly locked: boolean;
  /** When a timed unlock reopens the token (ISO), or null. */
  readonly unlocksAt: string | null;
  /** When the token's lifecycle last changed (ISO): OTP uses do not count. */
  readonly lastUpdate: string;
  /** Time-based or counter-based codes: drift is a TOTP clock's. */
  readonly mode: 'totp' | 'hotp';
  /**
   * A TOTP token's clock offset in time steps (+ fast, - slow) as the last accepted code or resync
   * observed it; null before any, for HOTP tokens, and after a new phone replaced the old one.
   */
  readonly drift: number | null;
  /** When `drift` was last observed (ISO), or null. */
  readonly driftObservedAt: string | null;
}

/** The table's row fields that only OTP uses change (they leave `lastUpdate` alone). */
type DriftFields = Pick<TokenTableRow, 'drift' | 'driftObservedAt'>;

/** One company's table: its quota and its tokens by serial. */
export interface CompanyTokenTable {
  readonly configured: boolean;
  readonly quota: number;
  readonly slotsInUse: number;
  readonly rows: SharedMap<TokenTableRow>;
}

/** The token table projection's state: every company's table, and which company each serial belongs to. */
export interface TokenTableState {
  readonly companies: SharedMap<CompanyTokenTable>;
  readonly companyOfSerial: SharedMap<string>;
}

/** No companies, no tokens. */
export const emptyTokenTable: TokenTableState = { companies: SharedMap.empty(), companyOfSerial: SharedMap.empty() };

const emptyCompany: CompanyTokenTable = { configured: false, quota: 0, slotsInUse: 0, rows: SharedMap.empty() };

const COMPANY_PREFIX = 'company-';
const TOKEN_PREFIX = 'token-';

const withCompany = (state: TokenTableState, companyId: string, update: (table: CompanyTokenTable) => CompanyTokenTable): TokenTableState => {
  return { ...state, companies: state.companies.with(companyId, update(state.companies.get(companyId) ?? emptyCompany)) };
};

const withRow = (table: CompanyTokenTable, serial: string, update: (row: TokenTableRow) => TokenTableRow): CompanyTokenTable => {
  const row = table.rows.get(serial);
  if (row === undefined) return table;
  return { ...table, rows: table.rows.with(serial, update(row)) };
};

// What each token event does to its row. Uses and failed attempts (OTP, registration code,
// security answer) leave "last update" alone: it is the lifecycle's last change.
const rowChange = (event: TokenEvent): ((row: TokenTableRow) => TokenTableRow) | undefined => {
  switch (event.type) {
    case 'TokenAssignmentConfirmed':
      return (row) => ({ ...row, status: 'assigned', mode: event.data.parameters.mode });
    case 'ActivationCodeReissued':
      return (row) => ({ ...row, status: 'assigned' });
    case 'DeviceEnrolled':
      return (row) => ({ ...row, status: 'pending-activation' });
    case 'TokenActivated':
      return (row) => ({ ...row, status: 'active' });
    case 'PhysicalTokenAssigned':
      return (row) => ({ ...row, status: 'active', userId: event.data.userId });
    case 'PhysicalTokenDisabled':
      return (row) => ({ ...row, status: 'disabled', locked: false, unlocksAt: null });
    case 'TokenDeleted':
      return (row) => ({ ...row, status: 'deleted', locked: false, unlocksAt: null });
    case 'TokenLocked':
      return (row) => ({ ...row, locked: true, unlocksAt: event.data.unlocksAt });
    case 'TokenUnlocked':
      return (row) => ({ ...row, locked: false, unlocksAt: null });
    case 'TokenResynced':
    case 'ReactivationStarted':
      return (row) => row;
    case 'TokenSuspended':
      return (row) => ({ ...row, status: 'suspended' });
    case 'TokenResumed':
      return (row) => ({ ...row, status: 'active' });
    case 'TokenReportedLost':
      return (row) => ({ ...row, status: 'lost' });
    case 'DeviceReplaced':
      return (row) => ({ ...row, status: 'active', drift: null, driftObservedAt: null });
    default:
      return undefined;
  }
};

// The drift a code or a resync observed: a TOTP clock's offset (an HOTP token records a look-ahead
// distance there, which is no drift: such rows keep null).
const driftChange = (event: TokenEvent, occurredAt: string): DriftFields | undefined =>
  event.type === 'OtpAccepted' || event.type === 'TokenResynced' ? { drift: event.data.drift, driftObservedAt: occurredAt } : undefined;

const evolveToken = (state: TokenTableState, serial: string, event: TokenEvent, occurredAt: string): TokenTableState => {
  if (event.type === 'TokenRequested' || event.type === 'PhysicalTokenImported') {
    // A version 1 event also carried the owner's name: it is not read (see the events' upcasters).
    const { companyId, userId } = event.data;
    const row: TokenTableRow = {
      serial,
      userId,
      kind: event.type === 'TokenRequested' ? 'soft' : 'physical',
      status: event.type === 'TokenRequested' ? 'pending' : 'active',
      locked: false,
      unlocksAt: null,
      lastUpdate: occurredAt,
      mode: event.type === 'PhysicalTokenImported' ? event.data.parameters.mode : 'totp',
      drift: null,
      driftObservedAt: null,
    };
    const companyOfSerial = state.companyOfSerial.with(serial, companyId);
    return withCompany({ ...state, companyOfSerial }, companyId, (table) => ({ ...table, rows: table.rows.with(serial, row) }));
  }
  if (event.type === 'PhysicalTokenPooled') {
    // A pooled token has no owner yet: its row shows no user until AssignPhysicalToken.
    const { companyId } = event.data;
    const row: TokenTableRow = { serial, userId: '', kind: 'physical', status: 'unassigned', locked: false, unlocksAt: null, lastUpdate: occurredAt, mode: event.data.parameters.mode, drift: null, driftObservedAt: null };
    return withCompany({ ...state, companyOfSerial: state.companyOfSerial.with(serial, companyId) }, companyId, (table) => ({ ...table, rows: table.rows.with(serial, row) }));
  }
  const companyId = state.companyOfSerial.get(serial);
  if (companyId === undefined) return state;
  const drift = driftChange(event, occurredAt);
  if (drift !== undefined) return withCompany(state, companyId, (table) => withRow(table, serial, (row) => (row.mode === 'totp' ? { ...row, ...drift } : row)));
  const change = rowChange(event);
  if (change === undefined) return state;
  return withCompany(state, companyId, (table) => withRow(table, serial, (row) => ({ ...change(row), lastUpdate: occurredAt })));
};

/** Folds one stored event into the token table. Events of other streams are ignored. */
export const evolveTokenTable = (state: TokenTableState, stored: StoredEvent): TokenTableState => {
  if (stored.streamId.startsWith(TOKEN_PREFIX)) {
    const event = decodeTokenEvent(stored);
    return event === undefined ? state : evolveToken(state, stored.streamId.slice(TOKEN_PREFIX.length), event, stored.metadata.occurredAt);
  }
  if (stored.streamId.startsWith(COMPANY_PREFIX)) {
    const event = decodeCompanyEvent(stored);
    if (event === undefined) return state;
    const companyId = stored.streamId.slice(COMPANY_PREFIX.length);
    switch (event.type) {
      case 'CompanyConfigured':
        return withCompany(state, companyId, (table) => ({ ...table, configured: true, quota: event.data.quota }));
      case 'TokenSlotReserved':
        return withCompany(state, companyId, (table) => ({ ...table, slotsInUse: table.slotsInUse + 1 }));
      case 'TokenSlotReleased':
        return withCompany(state, companyId, (table) => ({ ...table, slotsInUse: Math.max(0, table.slotsInUse - 1) }));
      default:
        return state;
    }
  }
  return state;
};
