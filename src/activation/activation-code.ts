import * as E from 'fp-ts/lib/Either.js';
import type { Random } from '../ports/random.js';
import { dammCheckDigit, hasValidDammCheckDigit } from './check-digit.js';
import { groupDigits, randomDigits, stripSeparators } from './digits.js';
import { malformed, type ActivationProtocolError } from './errors.js';
import { ACTIVATION_CODE_LENGTH, ACTIVATION_CODE_RANDOM_DIGITS } from './protocol.js';

declare const activationCodeBrand: unique symbol;

/**
 * An activation code in canonical form: 28 decimal digits, the last a Damm check digit, without
 * separators. This canonical string (as UTF-8) is the HKDF input keying material.
 */
export type ActivationCode = string & { readonly [activationCodeBrand]: true };

/** Longest input looked at, so hostile input costs nothing to reject. */
const MAX_TYPED_LENGTH = 128;

/** A fresh activation code: 27 uniformly random digits and their check digit. */
export const generateActivationCode = (random: Random): ActivationCode => {
  const body = randomDigits(random, ACTIVATION_CODE_RANDOM_DIGITS);
  return `${body}${dammCheckDigit(body)}` as ActivationCode;
};

/**
 * Reads an activation code as a person typed it: spaces and dashes are ignored; anything else
 * must be exactly 28 digits whose check digit holds (which catches typos before they cost a
 * registration attempt).
 */
export const parseActivationCode = (typed: unknown): E.Either<ActivationProtocolError, ActivationCode> => {
  if (typeof typed !== 'string') return E.left(malformed('activationCode', 'must be a string'));
  if (typed.length > MAX_TYPED_LENGTH) return E.left(malformed('activationCode', 'is too long'));
  const digits = stripSeparators(typed);
  if (!/^[0-9]+$/.test(digits)) return E.left(malformed('activationCode', 'must contain only digits'));
  if (digits.length !== ACTIVATION_CODE_LENGTH) {
    return E.left(malformed('activationCode', `must have ${ACTIVATION_CODE_LENGTH} digits`));
  }
  if (!hasValidDammCheckDigit(digits)) return E.left({ _tag: 'check-digit', field: 'activationCode' });
  return E.right(digits as ActivationCode);
};

/** The code as it is shown to a person: groups of four digits joined by dashes. */
export const formatActivationCode = (code: ActivationCode): string => groupDigits(code);
