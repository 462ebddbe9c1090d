import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { normalizeSerial } from '../activation/serial-input.js';
import type { SdkError } from '../errors/sdk-error.js';
import { fileError } from './file-error.js';
import { parseOathCsv } from './oath-csv.js';
import { parsePskc, type PskcOptions } from './pskc.js';
import type { HardwareTokenRecord } from './record.js';

/** The file formats a box of hardware tokens comes in. */
export type HardwareTokenFormat = 'pskc' | 'oath-csv';

/** How to read one file. */
export interface ReadHardwareTokensOptions extends PskcOptions {
  readonly format: HardwareTokenFormat;
}

/** Serials as the SDK keeps them (upper case, no spaces or dashes), each once in the file. */
const normalizedAndUnique = (records: readonly HardwareTokenRecord[]): E.Either<SdkError, readonly HardwareTokenRecord[]> => {
  const seen = new Map<string, string>();
  // traverseArray stops at the first problem, so `seen` only ever holds the records before it.
  return E.traverseArray((record: HardwareTokenRecord) =>
    pipe(
      normalizeSerial(record.serial),
      E.mapLeft(() => fileError(record.where, 'the serial number must be 1 to 64 letters and digits')),
      E.chain((serial) => {
        const first = seen.get(serial);
        if (first !== undefined) return E.left(fileError(record.where, `serial ${serial} repeats the token of ${first}`));
        seen.set(serial, record.where);
        return E.right({ ...record, serial });
      }),
    ),
  )(records);
};

/**
 * The hardware tokens of one file, all or nothing: every token is read, decrypted and checked,
 * its serial normalized and unique within the file, or the answer is the first problem (naming
 * its line or element, never a seed).
 */
export const readHardwareTokens = (text: string, options: ReadHardwareTokensOptions): E.Either<SdkError, readonly HardwareTokenRecord[]> =>
  pipe(
    options.format === 'pskc' ? parsePskc(text, options) : parseOathCsv(text, options),
    E.chain(normalizedAndUnique),
    E.chain((records) => (records.length === 0 ? E.left(fileError('the file', 'holds no OTP token')) : E.right(records))),
  );
