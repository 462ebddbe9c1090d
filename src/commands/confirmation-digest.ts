import { commandDigest } from './command-digest.js';

/** The fields that carry a command's confirmation factor: never part of what is confirmed. */
const FACTOR_FIELDS = new Set(['otp', 'confirmation']);

/**
 * The digest an app confirmation signs: the command's digest (its type and fields, secret fields
 * by presence only, without the commandId, tracing ids and actor) taken without its factor fields,
 * so the command the challenge was issued for and the same command carrying the signature agree.
 */
export const confirmationDigest = (command: unknown, secretFields: readonly string[]): string =>
  commandDigest(
    typeof command === 'object' && command !== null && !Array.isArray(command)
      ? Object.fromEntries(Object.entries(command).filter(([key]) => !FACTOR_FIELDS.has(key)))
      : command,
    secretFields,
  );
