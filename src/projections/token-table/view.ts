import { valuesOf } from '../../collections/persistent-map.js';
import * as E from 'fp-ts/lib/Either.js';
import { invalidCommand, notFound, type FieldIssue, type SdkError } from '../../errors/sdk-error.js';
import type { TokenTableRow, TokenTableState } from './state.js';

/** Which page of the token table to show, and how. */
export interface TokenTableQuery {
  /** 1-based (default 1). */
  readonly page?: number;
  /** Rows per page, 1 to 100 (default 10). */
  readonly pageSize?: number;
  /** Deleted and disabled tokens are hidden unless asked for. */
  readonly includeDeleted?: boolean;
  /** Default `userName`. */
  readonly sortBy?: 'userName' | 'serial' | 'lastUpdate' | 'status';
  /** Default `asc`. */
  readonly order?: 'asc' | 'desc';
}

/** A row as the screen shows it: `locked` already accounts for a timed unlock that came due. */
export type TokenTableViewRow = Omit<TokenTableRow, 'unlocksAt'>;

/** One page of a company's token table (the Occidente "Token Virtual" screen). */
export interface TokenTablePage {
  readonly companyId: string;
  /** The soft-token quota: slots in all and slots free. */
  readonly quota: { readonly total: number; readonly available: number };
  readonly rows: readonly TokenTableViewRow[];
  /** `from` and `to` are 1-based positions of the first and last row shown (0 and 0 when empty). */
  readonly paging: { readonly page: number; readonly pageSize: number; readonly from: number; readonly to: number; readonly total: number };
  /** "showing 1 to 5 of 5". */
  readonly summary: string;
}

const positiveInt = (value: unknown, path: string, max: number, issues: FieldIssue[]): void => {
  if (value !== undefined && (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > max)) {
    issues.push({ path, message: `must be an integer from 1 to ${max}` });
  }
};

const compare = (sortBy: NonNullable<TokenTableQuery['sortBy']>) => (left: TokenTableViewRow, right: TokenTableViewRow): number => {
  const primary = left[sortBy].localeCompare(right[sortBy]);
  return primary !== 0 ? primary : left.serial.localeCompare(right.serial);
};

/**
 * One page of a company's token table at `nowMs`. Unknown companies are `NotFound`; paging
 * outside its bounds is an `InvalidCommand` naming the field.
 */
export const tokenTablePage = (state: TokenTableState, companyId: string, queryArgument: TokenTableQuery = {}, nowMs: number): E.Either<SdkError, TokenTablePage> => {
  // Hosts call views from plain JavaScript too: anything may arrive, and the answer is a Left.
  if (typeof companyId !== 'string') return E.left(invalidCommand([{ path: 'companyId', message: 'must be a string' }]));
  const query: unknown = queryArgument;
  if (typeof query !== 'object' || query === null) return E.left(invalidCommand([{ path: 'query', message: 'must be an object' }]));
  return pageOf(state, companyId, query, nowMs);
};

const pageOf = (state: TokenTableState, companyId: string, query: TokenTableQuery, nowMs: number): E.Either<SdkError, TokenTablePage> => {
  const issues: FieldIssue[] = [];
  positiveInt(query.page, 'page', Number.MAX_SAFE_INTEGER, issues);
  positiveInt(query.pageSize, 'pageSize', 100, issues);
  // Hosts call views from plain JavaScript too: check what the types promise.
  const sortBy: unknown = query.sortBy;
  const order: unknown = query.order;
  if (sortBy !== undefined && sortBy !== 'userName' && sortBy !== 'serial' && sortBy !== 'lastUpdate' && sortBy !== 'status') {
    issues.push({ path: 'sortBy', message: 'must be one of userName, serial, lastUpdate, status' });
  }
  if (order !== undefined && order !== 'asc' && order !== 'desc') issues.push({ path: 'order', message: 'must be asc or desc' });
  if (issues.length > 0) return E.left(invalidCommand(issues));

  const table = state.companies.get(companyId);
  if (table === undefined) return E.left(notFound('company', companyId));
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 10;
  const rows = [...valuesOf(table.rows)]
    .filter((row) => query.includeDeleted === true || (row.status !== 'deleted' && row.status !== 'disabled'))
    .map(({ unlocksAt, ...row }): TokenTableViewRow => ({ ...row, locked: row.locked && (unlocksAt === null || nowMs < Date.parse(unlocksAt)) }))
    .sort(compare(query.sortBy ?? 'userName'));
  if (query.order === 'desc') rows.reverse();
  const total = rows.length;
  const start = (page - 1) * pageSize;
  const shown = rows.slice(start, start + pageSize);
  const from = shown.length === 0 ? 0 : start + 1;
  const to = shown.length === 0 ? 0 : start + shown.length;
  return E.right({
    companyId,
    quota: { total: table.quota, available: Math.max(0, table.quota - table.slotsInUse) },
    rows: shown,
    paging: { page, pageSize, from, to, total },
    summary: `showing ${from} to ${to} of ${total}`,
  });
};
