import { sha256 } from '@noble/hashes/sha2.js';
import { bytesToHex, utf8ToBytes } from '@noble/hashes/utils.js';
import { canonicalJson } from '../events/canonical-json.js';
import type { JsonValue } from '../events/envelope.js';
import { isSecretPath } from '../events/field-issues.js';

/**
 * Envelope fields a retry may change without being another command: the key itself, and the
 * tracing ids, and an app confirmation (a retry with a fresh signature is the same command). The actor is judged on its own (a key reused by someone else is a DuplicateCommand).
 */
const NOT_DIGESTED = new Set(['commandId', 'correlationId', 'causationId', 'actor', 'confirmation']);

/** Deeper than any command's shape: what lies below is digested as one marker, so no input can exhaust the stack. */
const MAX_DEPTH = 32;

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The command as plain JSON, with every secret field reduced to `true`: its presence, never its value. */
const digestible = (value: unknown, path: string, secretFields: readonly string[], depth: number): JsonValue | undefined => {
  if (path !== '' && isSecretPath(path, secretFields)) return value === undefined ? undefined : true;
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  if (typeof value === 'bigint') return `${value.toString()}n`;
  if (typeof value !== 'object') return undefined;
  if (depth >= MAX_DEPTH) return '(nested too deep)';
  const child = (key: string): string => (path === '' ? key : `${path}.${key}`);
  if (Array.isArray(value)) return (value as readonly unknown[]).map((item, index) => digestible(item, child(String(index)), secretFields, depth + 1) ?? null);
  if (!isRecord(value)) return undefined;
  const out: Record<string, JsonValue> = {};
  for (const [key, member] of Object.entries(value)) {
    if (depth === 0 && NOT_DIGESTED.has(key)) continue;
    const digested = digestible(member, child(key), secretFields, depth + 1);
    if (digested !== undefined) out[key] = digested;
  }
  return out;
};

/**
 * The digest of a command, the body an idempotency key stands for: SHA-256 over the canonical JSON
 * of its type and fields, without the key and tracing ids, with secret fields (`secretFields`
 * paths) by presence only. A hash of a six-digit code is no secret (a million guesses invert it),
 * so no secret's value goes into it; and a retry with a fresh OTP is the same command.
 */
export const commandDigest = (command: unknown, secretFields: readonly string[]): string =>
  bytesToHex(sha256(utf8ToBytes(canonicalJson(digestible(command, '', secretFields, 0) ?? null))));
