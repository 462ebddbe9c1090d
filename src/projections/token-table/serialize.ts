import * as E from 'fp-ts/lib/Either.js';
import * as t from 'io-ts';
import type { SdkError } from '../../errors/sdk-error.js';
import { decodeCheckpoint } from '../checkpoint-codec.js';
import type { JsonValue } from '../../events/envelope.js';
import { TokenStatusCodec } from '../../domain/token/codecs.js';
import type { CompanyTokenTable, TokenTableRow, TokenTableState } from './state.js';
import { SharedMap } from '../../collections/shared-map.js';

const RowCodec = t.intersection([
  t.type({
    serial: t.string,
    userId: t.string,
    kind: t.keyof({ soft: null, physical: null }),
    status: TokenStatusCodec,
    locked: t.boolean,
    unlocksAt: t.union([t.string, t.null]),
    lastUpdate: t.string,
  }),
  // Checkpoints written before the drift columns lack them.
  t.partial({ mode: t.keyof({ totp: null, hotp: null }), drift: t.union([t.number, t.null]), driftObservedAt: t.union([t.string, t.null]) }),
]);

const StateCodec = t.type({
  companies: t.array(
    t.tuple([t.string, t.type({ configured: t.boolean, quota: t.number, slotsInUse: t.number, rows: t.array(RowCodec) })]),
  ),
});

/** The token table as JSON, for a durable runner's checkpoint. */
export const serializeTokenTable = (state: TokenTableState): JsonValue => ({
  companies: [...state.companies].map(([companyId, table]) => [
    companyId,
    { configured: table.configured, quota: table.quota, slotsInUse: table.slotsInUse, rows: [...table.rows.values()].map((row) => ({ ...row })) },
  ]),
});

/** The token table back from a checkpoint; a checkpoint that does not fit is an `Infrastructure` error. */
export const deserializeTokenTable = (json: JsonValue): E.Either<SdkError, TokenTableState> => E.map(tokenTableOf)(decodeCheckpoint(StateCodec, 'token table')(json));

const tokenTableOf = (decoded: t.TypeOf<typeof StateCodec>): TokenTableState => {
  const companies = decoded.companies.map(([companyId, table]): [string, CompanyTokenTable] => [
    companyId,
    { configured: table.configured, quota: table.quota, slotsInUse: table.slotsInUse, rows: SharedMap.of(table.rows.map((row): [string, TokenTableRow] => [row.serial, { ...row, mode: row.mode ?? 'totp', drift: row.drift ?? null, driftObservedAt: row.driftObservedAt ?? null }])) },
  ]);
  const companyOfSerial = decoded.companies.flatMap(([companyId, table]) => table.rows.map((row): [string, string] => [row.serial, companyId]));
  return { companies: SharedMap.of(companies), companyOfSerial: SharedMap.of(companyOfSerial) };
};
