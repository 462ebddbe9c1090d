import type { Random } from '../ports/random.js';
import { DISPLAY_GROUP } from './protocol.js';

/**
 * n uniformly distributed decimal digits. Bytes of 250 and above are dropped (rejection
 * sampling) so that every digit is equally likely: `byte % 10` alone would favour 0-5.
 */
export const randomDigits = (random: Random, count: number): string => {
  let digits = '';
  while (digits.length < count) {
    const bytes = random.bytes(count - digits.length + 4);
    for (const byte of bytes) {
      if (byte < 250 && digits.length < count) digits += String(byte % 10);
    }
  }
  return digits;
};

/** What a person typed, without the spaces and dashes they may have used to group it. */
export const stripSeparators = (typed: string): string => typed.replace(/[\s-]/g, '');

/** A digit string in groups of four separated by dashes, for showing to a person. */
export const groupDigits = (digits: string): string => {
  // A formatter, not a parser: from plain JavaScript a non-string formats as nothing rather than throwing.
  if (typeof digits !== 'string') return '';
  const groups: string[] = [];
  for (let index = 0; index < digits.length; index += DISPLAY_GROUP) {
    groups.push(digits.slice(index, index + DISPLAY_GROUP));
  }
  return groups.join('-');
};
