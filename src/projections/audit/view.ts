import * as E from 'fp-ts/lib/Either.js';
import { invalidCommand, type FieldIssue, type SdkError } from '../../errors/sdk-error.js';
import { auditEntries, type AuditEntry, type AuditState } from './state.js';

/** Which entries of the audit trail to show. Every filter is optional. */
export interface AuditQuery {
  readonly companyId?: string;
  /** Entries whose actor is this user (or bank operator id). */
  readonly actorId?: string;
  /** Entries that wrote this token's stream. */
  readonly serial?: string;
  readonly action?: string;
  /** 1-based (default 1). */
  readonly page?: number;
  /** 1 to 500 (default 50). */
  readonly pageSize?: number;
}

/** A page of the audit trail, newest first. */
export interface AuditPage {
  readonly entries: readonly AuditEntry[];
  readonly paging: { readonly page: number; readonly pageSize: number; readonly from: number; readonly to: number; readonly total: number };
}

const actorIdOf = (entry: AuditEntry): string | undefined =>
  entry.actor.kind === 'user' ? entry.actor.userId : entry.actor.kind === 'bank' ? entry.actor.operatorId : undefined;

/** One page of the audit trail, newest first, filtered. */
export const auditPage = (state: AuditState, queryArgument: AuditQuery = {}): E.Either<SdkError, AuditPage> => {
  // Hosts call views from plain JavaScript too: anything may arrive, and the answer is a Left.
  const query: unknown = queryArgument;
  if (typeof query !== 'object' || query === null) return E.left(invalidCommand([{ path: 'query', message: 'must be an object' }]));
  const issues: FieldIssue[] = [];
  for (const path of ['companyId', 'actorId', 'serial', 'action'] as const) {
    const value: unknown = (query as AuditQuery)[path];
    if (value !== undefined && typeof value !== 'string') issues.push({ path, message: 'must be a string' });
  }
  if (issues.length > 0) return E.left(invalidCommand(issues));
  return pageOf(state, query);
};

const pageOf = (state: AuditState, query: AuditQuery): E.Either<SdkError, AuditPage> => {
  const issues: FieldIssue[] = [];
  for (const [path, value, max] of [
    ['page', query.page, Number.MAX_SAFE_INTEGER],
    ['pageSize', query.pageSize, 500],
  ] as const) {
    if (value !== undefined && (!Number.isInteger(value) || value < 1 || value > max)) issues.push({ path, message: `must be an integer from 1 to ${max}` });
  }
  if (issues.length > 0) return E.left(invalidCommand(issues));
  const page = query.page ?? 1;
  const pageSize = query.pageSize ?? 50;
  const matches = (entry: AuditEntry): boolean =>
    (query.companyId === undefined || entry.companyIds.includes(query.companyId)) &&
    (query.actorId === undefined || actorIdOf(entry) === query.actorId) &&
    (query.serial === undefined || entry.streams.includes(`token-${query.serial}`)) &&
    (query.action === undefined || entry.action === query.action);
  const start = (page - 1) * pageSize;
  const entries: AuditEntry[] = [];
  let total = 0;
  for (const entry of auditEntries(state)) {
    if (!matches(entry)) continue;
    if (total >= start && entries.length < pageSize) entries.push(entry);
    total++;
  }
  return E.right({
    entries,
    paging: { page, pageSize, from: entries.length === 0 ? 0 : start + 1, to: entries.length === 0 ? 0 : start + entries.length, total },
  });
};
