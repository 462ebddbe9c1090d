/**
 * The Damm check digit. Its table is a weakly totally anti-symmetric quasigroup of order 10, so one
 * check digit catches every single-digit error and every swap of two adjacent digits: the typing
 * mistakes people make when they copy a long number from one screen to another.
 */
const dammTable: readonly (readonly number[])[] = [
  [0, 3, 1, 7, 5, 9, 8, 6, 4, 2],
  [7, 0, 9, 2, 1, 5, 4, 8, 6, 3],
  [4, 2, 0, 6, 8, 7, 1, 3, 5, 9],
  [1, 7, 5, 0, 9, 8, 3, 4, 2, 6],
  [6, 1, 2, 3, 0, 4, 5, 9, 7, 8],
  [3, 6, 7, 4, 2, 0, 9, 5, 8, 1],
  [5, 8, 6, 9, 7, 2, 0, 1, 3, 4],
  [8, 9, 4, 5, 3, 6, 2, 0, 1, 7],
  [9, 4, 3, 8, 6, 1, 7, 2, 0, 5],
  [2, 5, 8, 1, 4, 3, 6, 7, 9, 0],
];

const interim = (digits: string): number => {
  let row = 0;
  for (const character of digits) {
    row = dammTable[row]?.[character.charCodeAt(0) - 48] ?? Number.NaN;
  }
  return row;
};

/** The Damm check digit of a string of decimal digits (the caller guarantees only 0-9). */
export const dammCheckDigit = (digits: string): string => String(interim(digits));

/** True when a string of decimal digits ends with its own Damm check digit. */
export const hasValidDammCheckDigit = (digitsWithCheck: string): boolean =>
  /^[0-9]+$/.test(digitsWithCheck) && interim(digitsWithCheck) === 0;
