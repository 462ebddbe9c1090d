import { infrastructure, thrownClass } from '../errors/sdk-error.js';
import type { SdkError } from '../errors/sdk-error.js';

/** The SQLSTATE of a driver error, when it carries one. */
export const sqlStateOf = (cause: unknown): string | undefined => {
  const code: unknown = typeof cause === 'object' && cause !== null ? (cause as { readonly code?: unknown }).code : undefined;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
};

/** The DETAIL of a driver error ('' when it carries none). */
export const detailOf = (cause: unknown): string => {
  const detail: unknown = typeof cause === 'object' && cause !== null ? (cause as { readonly detail?: unknown }).detail : undefined;
  return typeof detail === 'string' ? detail : '';
};

// Socket-level failures carry a Node system code; node-postgres reports a dropped connection in words.
const connectionFailure = /^E[A-Z]+$/;
const droppedConnection = /connection (terminated|ended|timeout)|not queryable|timeout exceeded/i;

const isConnectionFailure = (cause: unknown): boolean => {
  if (typeof cause !== 'object' || cause === null) return false;
  const { code, message } = cause as { readonly code?: unknown; readonly message?: unknown };
  return (typeof code === 'string' && connectionFailure.test(code)) || (typeof message === 'string' && droppedConnection.test(message));
};

/**
 * The constraint a driver error names, when it is a plain identifier: schema names are the
 * store's own, unlike the DETAIL and message, which quote the row ("Key (x)=(...) already exists").
 */
const constraintOf = (cause: unknown): string | undefined => {
  const constraint: unknown = typeof cause === 'object' && cause !== null ? (cause as { readonly constraint?: unknown }).constraint : undefined;
  return typeof constraint === 'string' && /^[A-Za-z_][A-Za-z0-9_$]{0,62}$/.test(constraint) ? constraint : undefined;
};

const hints: Readonly<Record<string, string>> = {
  '3F000': 'the schema does not exist; run migrate() first',
  '42P01': 'a table is missing; run migrate() first',
  '42883': 'a function is missing; run migrate() first',
  '57P01': 'the connection was terminated',
  '57014': 'the statement was cancelled',
  '40P01': 'a deadlock was detected',
  '53300': 'the server has no free connection',
};

/**
 * An `Infrastructure` error for a failed database call. Only the operation, the SQLSTATE, a
 * fixed hint and the constraint's name are kept: driver messages and DETAILs can quote parameters
 * (stream ids, payloads, `Key (x)=(...)`), and stacks say nothing a caller can act on.
 */
export const databaseFailure =
  (operation: string) =>
  (cause: unknown): SdkError => {
    const code = sqlStateOf(cause);
    if (code === undefined) return infrastructure(`PostgreSQL: ${operation} failed (${isConnectionFailure(cause) ? 'no answer from the server: connection lost or refused' : `unexpected ${thrownClass(cause)} in the client`})`);
    const hint = hints[code];
    const constraint = constraintOf(cause);
    return infrastructure(`PostgreSQL: ${operation} failed (SQLSTATE ${code}${hint === undefined ? '' : `: ${hint}`}${constraint === undefined ? '' : `; constraint ${constraint}`})`);
  };
