import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';

/** The schema the adapters use when the host names none. */
export const DEFAULT_SCHEMA = 'softtoken';

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** Whether `name` is a schema name the adapters accept: lower-case letters, digits, `_`, at most 63. */
export const isValidSchemaName = (name: string): boolean => typeof name === 'string' && SCHEMA_NAME.test(name);

/** A double-quoted SQL identifier. Names are validated first; quoting is a second line of defence. */
export const quoteIdentifier = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** A single-quoted SQL string literal (standard_conforming_strings is on since PostgreSQL 9.1). */
export const quoteLiteral = (text: string): string => `'${text.replaceAll("'", "''")}'`;

const digest = (text: string): Uint8Array => sha256(utf8ToBytes(text));

/**
 * A positive 31-bit advisory-lock key derived from a text. Two texts may share a key; the locks
 * built on these keys stay correct when they do (a shared key only serialises more than needed).
 */
export const advisoryKey = (text: string): number => {
  const bytes = digest(text);
  return new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0) & 0x7fffffff;
};

/** The advisory-lock namespace (first key) of every lock this package takes. */
export const LOCK_NAMESPACE = advisoryKey('softtoken-sdk');

/**
 * A prepared-statement name unique to the statement's text: two stores on one pool (two schemas)
 * never collide, and a changed statement in a new release never reuses an old name.
 */
export const statementName = (text: string): string => `softtoken_${bytesToHex(digest(text)).slice(0, 24)}`;
