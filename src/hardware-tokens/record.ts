import type { OtpAlgorithm } from '../otp/engine.js';

/**
 * One hardware token read from a file, before anything is stored: where it was in the file (for
 * errors), its serial as written, its seed and its OATH parameters. The seed never leaves the
 * import handler but to the vault.
 */
export interface HardwareTokenRecord {
  /** Where the token is in the file, for errors: `line 12` or `<KeyPackage> at line 12`. */
  readonly where: string;
  /** The serial as the file writes it (the handler normalizes it). */
  readonly serial: string;
  readonly seed: Uint8Array;
  readonly mode: 'totp' | 'hotp';
  readonly algorithm: OtpAlgorithm;
  readonly digits: number;
  /** TOTP time step in seconds. */
  readonly period: number;
  /** HOTP: the counter of the token's next code (0 for a new token). */
  readonly counter: bigint;
}

/** The limits of one import file, documented in docs/hardware-tokens.md. */
export const hardwareImportLimits = {
  /** Characters of one file (PSKC or CSV). */
  maxFileCharacters: 32 * 1024 * 1024,
  /** Tokens in one file: one import is one atomic commit. */
  maxTokens: 10_000,
  /** XML element nesting (PSKC needs 8). */
  maxXmlDepth: 32,
  /** XML elements in one file (a PSKC key package has about 20). */
  maxXmlElements: 1_000_000,
  /** Seeds shorter than this many bytes (128 bits) need the legacy flag. */
  minSeedBytes: 16,
  /** Longest seed accepted (a SHA-512 block). */
  maxSeedBytes: 128,
  /** PBKDF2 iterations a PSKC file may ask for. */
  maxPbkdf2Iterations: 1_000_000,
} as const;
