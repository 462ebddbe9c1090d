import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import type { SdkError } from '../errors/sdk-error.js';
import { decodeBase32 } from '../otp/base32.js';
import { fileError } from './file-error.js';
import { hardwareImportLimits, type HardwareTokenRecord } from './record.js';

// The OATH TOTP CSV that Microsoft Entra ID takes for hardware tokens:
//   upn,serial number,secret key,time interval,manufacturer,model
// one header line, then one token a line; the secret key in Base32 (as Entra requires); TOTP,
// HMAC-SHA1, 6 digits (the format has no column for other parameters). Fields may be quoted
// (RFC 4180). The upn is read but never assigns a token (docs/decisions.md).

/** The columns, in order, as the header names them. */
export const oathCsvHeader = ['upn', 'serial number', 'secret key', 'time interval', 'manufacturer', 'model'] as const;

/** One line's fields (RFC 4180 quoting), or why not. */
const fieldsOf = (line: string): E.Either<string, readonly string[]> => {
  const fields: string[] = [];
  let index = 0;
  for (;;) {
    let field = '';
    if (line[index] === '"') {
      index += 1;
      for (;;) {
        if (index >= line.length) return E.left('a quoted field is not closed');
        const character = line[index] ?? '';
        if (character === '"' && line[index + 1] === '"') {
          field += '"';
          index += 2;
        } else if (character === '"') {
          index += 1;
          break;
        } else {
          field += character;
          index += 1;
        }
      }
      if (index < line.length && line[index] !== ',') return E.left('a quoted field is followed by text');
    } else {
      const end = line.indexOf(',', index);
      field = line.slice(index, end === -1 ? line.length : end);
      if (field.includes('"')) return E.left('a quote appears inside an unquoted field');
      index = end === -1 ? line.length : end;
    }
    fields.push(field.trim());
    if (index >= line.length) return E.right(fields);
    index += 1;
  }
};

const lineAt = (number: number): string => `line ${String(number)}`;

const tokenOf = (fields: readonly string[], number: number, allowShortSeeds: boolean): E.Either<SdkError, HardwareTokenRecord> => {
  const where = lineAt(number);
  if (fields.length !== oathCsvHeader.length) return E.left(fileError(where, `has ${String(fields.length)} fields; the format has ${String(oathCsvHeader.length)}`));
  const [, serial = '', secret = '', interval = ''] = fields;
  if (serial === '') return E.left(fileError(where, 'the serial number is empty'));
  return pipe(
    decodeBase32(secret),
    E.mapLeft(() => fileError(where, 'the secret key is not Base32 (hex keys are not accepted)')),
    E.chain((seed) => checkedSeed(seed, allowShortSeeds, where)),
    E.chain((seed) => {
      const period = /^\d{1,4}$/.test(interval) ? Number(interval) : Number.NaN;
      if (!(period >= 1 && period <= 3600)) return E.left(fileError(where, 'the time interval must be whole seconds from 1 to 3600 (Entra uses 30 or 60)'));
      return E.right({ where, serial, seed, mode: 'totp' as const, algorithm: 'SHA1' as const, digits: 6, period, counter: 0n });
    }),
  );
};

/** The seed when its length is one the SDK keeps; else the line's error. */
const checkedSeed = (seed: Uint8Array, allowShortSeeds: boolean, where: string): E.Either<SdkError, Uint8Array> => {
  if (seed.length === 0) return E.left(fileError(where, 'the secret key is not Base32 (hex keys are not accepted)'));
  if (seed.length > hardwareImportLimits.maxSeedBytes) return E.left(fileError(where, `the secret key is longer than ${String(hardwareImportLimits.maxSeedBytes)} bytes`));
  if (seed.length < hardwareImportLimits.minSeedBytes && !allowShortSeeds) {
    return E.left(fileError(where, 'the secret key is shorter than 128 bits; legacy seeds need legacyShortSeeds and an SDK configured to allow them'));
  }
  return E.right(seed);
};

/**
 * The tokens of an OATH CSV file, all or nothing: the first problem is the answer, naming its
 * line, never a value of the file but the serial.
 */
export const parseOathCsv = (text: string, options: { readonly allowShortSeeds: boolean }): E.Either<SdkError, readonly HardwareTokenRecord[]> => {
  if (text.length > hardwareImportLimits.maxFileCharacters) {
    return E.left(fileError('the file', `is longer than ${String(hardwareImportLimits.maxFileCharacters)} characters`));
  }
  const lines = text.replace(/^\uFEFF/, '').split(/\r?\n/);
  const header = lines[0] ?? '';
  const headerFields = pipe(fieldsOf(header), E.getOrElseW(() => undefined));
  if (headerFields?.map((field) => field.toLowerCase()).join(',') !== oathCsvHeader.join(',')) {
    return E.left(fileError(lineAt(1), `the header must be: ${oathCsvHeader.join(',')}`));
  }
  const rows = lines.flatMap((line, index) => (index === 0 || line.trim() === '' ? [] : [{ line, number: index + 1 }]));
  if (rows.length > hardwareImportLimits.maxTokens) return E.left(fileError('the file', `holds more than ${String(hardwareImportLimits.maxTokens)} tokens: split the file`));
  return E.traverseArray(({ line, number }: { readonly line: string; readonly number: number }) =>
    pipe(
      fieldsOf(line),
      E.mapLeft((reason) => fileError(lineAt(number), reason)),
      E.chain((fields) => tokenOf(fields, number, options.allowShortSeeds)),
    ),
  )(rows);
};
