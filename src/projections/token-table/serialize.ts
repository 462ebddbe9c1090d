import { emptyMap, setEntry, valuesOf } from '../../collections/persistent-map.js';
import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import { infrastructure, type SdkError } from '../../errors/sdk-error.js';
import type { JsonValue } from '../../events/envelope.js';
import type { CompanyTokenTable, TokenTableRow, TokenTableState } from './state.js';

const RowCodec = t.type({
  serial: t.string,
  userId: t.string,
  userName: t.string,
  kind: t.keyof({ soft: null, physical: null }),
  status: t.keyof({ pending: null, assigned: null, 'pending-activation': null, active: null, deleted: null, disabled: null }),
  locked: t.boolean,
  unlocksAt: t.union([t.string, t.null]),
  lastUpdate: t.string,
});

const StateCodec = t.type({
  companies: t.array(
    t.tuple([t.string, t.type({ configured: t.boolean, quota: t.number, slotsInUse: t.number, rows: t.array(RowCodec) })]),
  ),
});

/** The token table as JSON, for a durable runner's checkpoint. */
export const serializeTokenTable = (state: TokenTableState): JsonValue => ({
  companies: [...state.companies].map(([companyId, table]) => [
    companyId,
    { configured: table.configured, quota: table.quota, slotsInUse: table.slotsInUse, rows: [...valuesOf(table.rows)].map((row) => ({ ...row })) },
  ]),
});

/** The token table back from a checkpoint; a checkpoint that does not fit is an `Infrastructure` error. */
export const deserializeTokenTable = (json: JsonValue): E.Either<SdkError, TokenTableState> => {
  const decoded = StateCodec.decode(json);
  if (E.isLeft(decoded)) return E.left(infrastructure('the token table checkpoint does not match its schema'));
  const companies = new Map<string, CompanyTokenTable>();
  let companyOfSerial = emptyMap<string>();
  for (const [companyId, table] of decoded.right.companies) {
    let rows = emptyMap<TokenTableRow>();
    for (const row of table.rows) {
      rows = setEntry(rows, row.serial, row);
      companyOfSerial = setEntry(companyOfSerial, row.serial, companyId);
    }
    companies.set(companyId, { configured: table.configured, quota: table.quota, slotsInUse: table.slotsInUse, rows });
  }
  return E.right({ companies, companyOfSerial });
};
