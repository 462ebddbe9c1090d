/**
 * The screens of the manuals, drawn as text: the token table (Occidente's "Token Virtual"),
 * the orders views and the audit trail.
 */
import type { AuditEntry, AuditPage, OrderPage, TokenTablePage } from '../../src/index.js';
import type { Print } from './stage.js';

/** A text table with a header row, columns as wide as their widest cell. */
export const table = (header: readonly string[], rows: readonly (readonly string[])[]): string[] => {
  const widths = header.map((title, column) => Math.max(title.length, ...rows.map((row) => (row[column] ?? '').length)));
  const rule = (left: string, middle: string, right: string): string => `${left}${widths.map((width) => '─'.repeat(width + 2)).join(middle)}${right}`;
  const line = (cells: readonly string[]): string => `│${widths.map((width, column) => ` ${(cells[column] ?? '').padEnd(width)} `).join('│')}│`;
  return [rule('┌', '┬', '┐'), line(header), rule('├', '┼', '┤'), ...rows.map(line), rule('└', '┴', '┘')];
};

/** `2025-01-15T14:00:05.000Z` as `2025-01-15 14:00:05 UTC`. */
export const shortTime = (iso: string): string => `${iso.slice(0, 10)} ${iso.slice(11, 19)} UTC`;

/** A screen: a title, then its lines, indented. */
export const screen = (print: Print, title: string, lines: readonly string[]): void => {
  print();
  print(`     ┤ ${title} ├`);
  for (const text of lines) print(`     ${text}`);
};

const statusLabel = (row: TokenTablePage['rows'][number]): string =>
  `${row.status}${row.kind === 'physical' ? ' (physical)' : ''}${row.locked ? ', locked' : ''}`;

/** The token table: user, serial, last update, status; the quota; "showing 1 to N of N". */
export const tokenTableScreen = (print: Print, title: string, page: TokenTablePage): void => {
  screen(print, title, [
    `Quota: ${page.quota.total} soft tokens, ${page.quota.available} available`,
    ...table(
      ['User', 'Serial', 'Last update', 'Status'],
      page.rows.map((row) => [row.userName, row.serial, shortTime(row.lastUpdate), statusLabel(row)]),
    ),
    page.summary,
  ]);
};

const actorLabel = (entry: AuditEntry, names: ReadonlyMap<string, string>): string => {
  const { actor } = entry;
  if (actor.kind === 'user') return names.get(`${actor.companyId}/${actor.userId}`) ?? actor.userId;
  return actor.kind === 'bank' ? `bank ${actor.operatorId}` : 'system';
};

/** The last entries of the audit trail, oldest of them first: when, who, what, how it was confirmed, outcome. */
export const auditScreen = (print: Print, title: string, page: AuditPage, names: ReadonlyMap<string, string>): void => {
  const entries = [...page.entries].reverse();
  screen(print, title, [
    ...table(
      ['#', 'When', 'Who', 'Action', 'Confirmed with', 'Outcome'],
      entries.map((entry) => [
        String(entry.position),
        shortTime(entry.occurredAt),
        actorLabel(entry, names),
        entry.action,
        entry.factor.kind === 'otp' ? `OTP of ${entry.factor.serial}, step ${entry.factor.step}` : '—',
        entry.outcome,
      ]),
    ),
    `the last ${page.entries.length} of ${page.paging.total} entries`,
  ]);
};

/** `1234.5` as `1,234.50`: the total as a decimal string, grouped for reading (never through a float). */
export const groupedAmount = (decimal: string): string => {
  const [whole = '0', fraction] = decimal.split('.');
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/gu, ',');
  return fraction === undefined ? grouped : `${grouped}.${fraction}`;
};

/** An orders view (search, Delete, Approve, Revoke): each order with its approvals; the count, totals and paging below. */
export const ordersScreen = (print: Print, title: string, page: OrderPage, names: ReadonlyMap<string, string>): void => {
  const nameOf = (userId: string): string => names.get(userId) ?? userId;
  const totals = Object.entries(page.totals).map(([currency, total]) => `${currency} ${groupedAmount(total)}`);
  screen(print, title, [
    ...table(
      ['Order', 'Reference', 'Txns', 'Total', 'Status', 'Approvals (level, by, at)', 'Note'],
      page.rows.map((row) => [
        row.orderId,
        row.reference,
        String(row.transactionCount),
        `${row.currency} ${groupedAmount(row.total)}`,
        row.status === 'pending-approval' ? `pending ${row.approvals.length}/${row.requiredLevels}` : row.status,
        row.approvals.map((approval) => `L${approval.level} ${nameOf(approval.userId)} ${approval.at.slice(11, 16)}`).join(', ') || '—',
        [row.possibleDuplicate ? `possible duplicate of ${row.duplicateOf.join(', ')}` : '', row.canApprove === true ? 'you may approve the next level' : '']
          .filter((note) => note !== '')
          .join('; '),
      ]),
    ),
    `showing ${page.from} to ${page.to} of ${page.count} · ${page.transactions} transactions · ${totals.length === 0 ? 'no totals' : totals.join(', ')}`,
  ]);
};
