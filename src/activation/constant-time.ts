/**
 * Compares two strings without an early exit on the first difference, so the time taken does not
 * tell an attacker how much of a guess was right. Length is not secret here (it is fixed by the
 * protocol), so a length mismatch may return at once.
 */
export const constantTimeEqual = (left: string, right: string): boolean => {
  if (left.length !== right.length) return false;
  let difference = 0;
  for (let index = 0; index < left.length; index++) {
    difference |= left.charCodeAt(index) ^ right.charCodeAt(index);
  }
  return difference === 0;
};
