import { invalidCommand, type SdkError } from '../errors/sdk-error.js';

/**
 * An import file's error: an `InvalidCommand` on the `file` field naming where (a line, an
 * element and its line) and what, never a value read from the file, so no seed can leak through it.
 */
export const fileError = (where: string, message: string): SdkError => invalidCommand([{ path: 'file', message: `${where}: ${message}` }]);
