/** Codes as the user types them, and as the generators print them. */

/** The code's numeric value, or -1 when it is not a string of exactly `digits` ASCII digits. */
export const parseCode = (code: unknown, digits: number): number => {
  if (typeof code !== 'string' || code.length !== digits) return -1;
  let value = 0;
  for (let i = 0; i < digits; i++) {
    const digit = code.charCodeAt(i) - 48;
    if (digit < 0 || digit > 9) return -1;
    value = value * 10 + digit;
  }
  return value;
};

/** `value` as exactly `digits` decimal digits, zero-padded on the left. */
export const formatCode = (value: number, digits: number): string => value.toString().padStart(digits, '0');

/** Why `parseCode` refused a code, without repeating it. */
export const malformedDetail = (digits: number): string => `the code must be a string of ${digits} digits`;

/**
 * 1 when `a === b`, 0 otherwise, for non-negative 31-bit integers, computed without a branch
 * so the comparison takes the same time whatever the values.
 */
export const equalBit = (a: number, b: number): number => {
  const difference = a ^ b;
  return ((difference | -difference) >>> 31) ^ 1;
};
