import { emptyMap, getEntry, setEntry, type PersistentMap } from '../../collections/persistent-map.js';
import type { StoredEvent } from '../../events/envelope.js';
import { decodeCompanyEvent } from '../../domain/company/events.js';
import { decodeTokenEvent, type TokenEvent } from '../../domain/token/events.js';
import type { TokenKind, TokenStatus } from '../../domain/token/status.js';

/** One line of the token table: a token of a user of the company. */
export interface TokenTableRow {
  readonly serial: string;
  readonly userId: string;
  readonly userName: string;
  readonly kind: TokenKind;
  readonly status: TokenStatus;
  /** The locked flag as recorded; the view also applies a timed unlock that has come due. */
  readonly locked: boolean;
  /** When a timed unlock reopens the token (ISO), or null. */
  readonly unlocksAt: string | null;
  /** When the token's lifecycle last changed (ISO): OTP uses do not count. */
  readonly lastUpdate: string;
}

/** One company's table: its quota and its tokens by serial. */
export interface CompanyTokenTable {
  readonly configured: boolean;
  readonly quota: number;
  readonly slotsInUse: number;
  /** Rows by serial, structurally shared: adding a row never copies the table (an import adds thousands). */
  readonly rows: PersistentMap<TokenTableRow>;
}

/** The token table projection's state: every company's table, and which company each serial belongs to. */
export interface TokenTableState {
  readonly companies: ReadonlyMap<string, CompanyTokenTable>;
  readonly companyOfSerial: PersistentMap<string>;
}

/** No companies, no tokens. */
export const emptyTokenTable: TokenTableState = { companies: new Map(), companyOfSerial: emptyMap() };

const emptyCompany: CompanyTokenTable = { configured: false, quota: 0, slotsInUse: 0, rows: emptyMap() };

const COMPANY_PREFIX = 'company-';
const TOKEN_PREFIX = 'token-';

const withCompany = (state: TokenTableState, companyId: string, update: (table: CompanyTokenTable) => CompanyTokenTable): TokenTableState => {
  const companies = new Map(state.companies);
  companies.set(companyId, update(state.companies.get(companyId) ?? emptyCompany));
  return { ...state, companies };
};

const withRow = (table: CompanyTokenTable, serial: string, update: (row: TokenTableRow) => TokenTableRow): CompanyTokenTable => {
  const row = getEntry(table.rows, serial);
  return row === undefined ? table : { ...table, rows: setEntry(table.rows, serial, update(row)) };
};

// What each token event does to its row. Uses and failed attempts (OTP, registration code,
// security answer) leave "last update" alone: it is the lifecycle's last change.
const rowChange = (event: TokenEvent): ((row: TokenTableRow) => TokenTableRow) | undefined => {
  switch (event.type) {
    case 'TokenAssignmentConfirmed':
    case 'ActivationCodeReissued':
      return (row) => ({ ...row, status: 'assigned' });
    case 'DeviceEnrolled':
      return (row) => ({ ...row, status: 'pending-activation' });
    case 'TokenActivated':
      return (row) => ({ ...row, status: 'active' });
    case 'PhysicalTokenAssigned':
      return (row) => ({ ...row, status: 'active', userId: event.data.userId, userName: event.data.userName });
    case 'PhysicalTokenDisabled':
      return (row) => ({ ...row, status: 'disabled', locked: false, unlocksAt: null });
    case 'TokenDeleted':
      return (row) => ({ ...row, status: 'deleted', locked: false, unlocksAt: null });
    case 'TokenLocked':
      return (row) => ({ ...row, locked: true, unlocksAt: event.data.unlocksAt });
    case 'TokenUnlocked':
      return (row) => ({ ...row, locked: false, unlocksAt: null });
    case 'TokenResynced':
      return (row) => row;
    default:
      return undefined;
  }
};

/** The row a token's first event creates (a pooled token has no user yet), with its company. */
const createdRow = (serial: string, event: TokenEvent, occurredAt: string): { readonly companyId: string; readonly row: TokenTableRow } | undefined => {
  const row = (fields: Pick<TokenTableRow, 'userId' | 'userName' | 'kind' | 'status'>): TokenTableRow => ({ serial, ...fields, locked: false, unlocksAt: null, lastUpdate: occurredAt });
  switch (event.type) {
    case 'TokenRequested':
      return { companyId: event.data.companyId, row: row({ userId: event.data.userId, userName: event.data.userName, kind: 'soft', status: 'pending' }) };
    case 'PhysicalTokenImported':
      return { companyId: event.data.companyId, row: row({ userId: event.data.userId, userName: event.data.userName, kind: 'physical', status: 'active' }) };
    case 'PhysicalTokenPooled':
      return { companyId: event.data.companyId, row: row({ userId: '', userName: '', kind: 'physical', status: 'unassigned' }) };
    default:
      return undefined;
  }
};

const evolveToken = (state: TokenTableState, serial: string, event: TokenEvent, occurredAt: string): TokenTableState => {
  const created = createdRow(serial, event, occurredAt);
  if (created !== undefined) {
    const { companyId, row } = created;
    return withCompany({ ...state, companyOfSerial: setEntry(state.companyOfSerial, serial, companyId) }, companyId, (table) => ({
      ...table,
      rows: setEntry(table.rows, serial, row),
    }));
  }
  const companyId = getEntry(state.companyOfSerial, serial);
  const change = rowChange(event);
  if (companyId === undefined || change === undefined) return state;
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
