import * as E from 'fp-ts/lib/Either.js';
import { dammCheckDigit, hasValidDammCheckDigit } from './check-digit.js';
import { groupDigits, stripSeparators } from './digits.js';
import { malformed, type ActivationProtocolError } from './errors.js';
import { ACTIVATION_PROTOCOL_VERSION, MAC_DIGITS, NONCE_DIGITS, REGISTRATION_CODE_LENGTH } from './protocol.js';

/** The parts of a registration code: version digit, device nonce, truncated MAC. */
export interface RegistrationCodeParts {
  readonly version: number;
  readonly nonce: string;
  readonly mac: string;
}

const MAX_TYPED_LENGTH = 128;

/** version || nonce || mac || Damm check digit, as 24 digits without separators. */
export const composeRegistrationCode = (nonce: string, mac: string): string => {
  const body = `${ACTIVATION_PROTOCOL_VERSION}${nonce}${mac}`;
  return `${body}${dammCheckDigit(body)}`;
};

/** The registration code as the phone shows it: groups of four digits joined by dashes. */
export const formatRegistrationCode = (code: string): string => groupDigits(code);

/**
 * Reads a registration code as a person typed it (spaces and dashes ignored): 24 digits, a valid
 * check digit, and a version this library speaks.
 */
export const parseRegistrationCode = (typed: unknown): E.Either<ActivationProtocolError, RegistrationCodeParts> => {
  if (typeof typed !== 'string') return E.left(malformed('registrationCode', 'must be a string'));
  if (typed.length > MAX_TYPED_LENGTH) return E.left(malformed('registrationCode', 'is too long'));
  const digits = stripSeparators(typed);
  if (!/^[0-9]+$/.test(digits)) return E.left(malformed('registrationCode', 'must contain only digits'));
  if (digits.length !== REGISTRATION_CODE_LENGTH) {
    return E.left(malformed('registrationCode', `must have ${REGISTRATION_CODE_LENGTH} digits`));
  }
  if (!hasValidDammCheckDigit(digits)) return E.left({ _tag: 'check-digit', field: 'registrationCode' });
  const version = Number(digits[0]);
  if (version !== ACTIVATION_PROTOCOL_VERSION) return E.left({ _tag: 'unsupported-version', version });
  return E.right({
    version,
    nonce: digits.slice(1, 1 + NONCE_DIGITS),
    mac: digits.slice(1 + NONCE_DIGITS, 1 + NONCE_DIGITS + MAC_DIGITS),
  });
};
