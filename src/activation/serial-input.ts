import * as E from 'fp-ts/lib/Either.js';
import { malformed, type ActivationProtocolError } from './errors.js';

/**
 * A token serial as both sides feed it to the protocol: upper case, without spaces or dashes,
 * 1 to 64 letters and digits. Typing "st-0123 4567 89x" on the phone gives the same bytes as the
 * server's "ST0123456789X".
 */
export const normalizeSerial = (typed: unknown): E.Either<ActivationProtocolError, string> => {
  if (typeof typed !== 'string') return E.left(malformed('serial', 'must be a string'));
  if (typed.length > 128) return E.left(malformed('serial', 'is too long'));
  const serial = typed.replace(/[\s-]/g, '').toUpperCase();
  if (!/^[A-Z0-9]{1,64}$/.test(serial)) return E.left(malformed('serial', 'must be 1 to 64 letters and digits'));
  return E.right(serial);
};
