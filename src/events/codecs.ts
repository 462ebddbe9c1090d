import * as t from 'io-ts';
import type { Actor } from './envelope.js';

/** A string with at least one character. */
export const nonEmptyString = t.refinement(t.string, (text) => text.length > 0, 'NonEmptyString');

/** A non-empty string of at most `max` characters (identifiers, references). */
export const boundedString = (max: number, name = `NonEmptyString(<=${String(max)})`): t.Type<string, string> =>
  t.refinement(t.string, (text) => text.length > 0 && text.length <= max, name);

const DECIMAL_INTEGER = /^-?(0|[1-9][0-9]*)$/;

/**
 * A bigint carried as a decimal string: JSON has no bigint, and a number would lose digits past
 * 2^53. Decodes only canonical decimal integers ("-12", never "012", "1e3" or " 5").
 */
export const bigIntFromDecimalString = new t.Type<bigint, string, unknown>(
  'BigIntFromDecimalString',
  (value): value is bigint => typeof value === 'bigint',
  (value, context) => (typeof value === 'string' && DECIMAL_INTEGER.test(value) ? t.success(BigInt(value)) : t.failure(value, context)),
  (value) => value.toString(10),
);

/** Who caused an event: extra members are dropped on decoding, so they never reach an event. */
export const actorCodec: t.Type<Actor, Actor> = t.union(
  [
    t.strict({ kind: t.literal('user'), companyId: boundedString(128), userId: boundedString(128) }, 'UserActor'),
    t.strict({ kind: t.literal('bank'), operatorId: boundedString(128) }, 'BankActor'),
    t.strict({ kind: t.literal('system') }, 'SystemActor'),
  ],
  'Actor',
);
