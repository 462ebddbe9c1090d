/**
 * The search at the heart of verification: compare a code with every counter of a window.
 * Every candidate is computed and compared, whether or not an earlier one matched, and the
 * bookkeeping uses masks instead of branches, so the time taken says nothing about where (or
 * whether) the code matched. Nothing is allocated per candidate: each is an integer.
 */
import { equalBit } from './code.js';
import type { OtpMac } from './mac/otp-mac.js';

/** `scanWindow` found no candidate producing the code. */
export const NO_MATCH = -1;
/** `scanWindow` found the code only among the stale candidates (a replay). */
export const STALE_MATCH = -2;

/**
 * Compares `expected` with the codes (modulo `modulus`) of the `count` consecutive counters that
 * start at (`startHigh`, `startLow`), under the secret loaded into `mac`. Candidates before index
 * `firstFresh` are stale: they may only reveal a replay. Returns the index of the last fresh
 * match (the highest counter, so that recording it also retires every lower candidate that
 * happens to produce the same code), else `STALE_MATCH` or `NO_MATCH`.
 */
export const scanWindow = (
  mac: OtpMac,
  startHigh: number,
  startLow: number,
  count: number,
  firstFresh: number,
  expected: number,
  modulus: number,
): number => {
  let high = startHigh;
  let low = startLow;
  let matched = NO_MATCH;
  let stale = 0;
  for (let index = 0; index < count; index++) {
    const equal = equalBit(mac.truncate(high, low) % modulus, expected);
    const fresh = index >= firstFresh ? 1 : 0;
    const take = -(equal & fresh);
    matched = (index & take) | (matched & ~take);
    stale |= equal & (fresh ^ 1);
    low = (low + 1) >>> 0;
    if (low === 0) high = (high + 1) >>> 0;
  }
  return matched !== NO_MATCH ? matched : stale === 1 ? STALE_MATCH : NO_MATCH;
};

/**
 * Like `scanWindow`, for two codes shown one after the other: finds the last fresh index i such
 * that candidate i produces `first` and candidate i + 1 produces `second`. Candidates before
 * `firstFresh` are stale. Returns i, or `STALE_MATCH` / `NO_MATCH`.
 */
export const scanWindowForPair = (
  mac: OtpMac,
  startHigh: number,
  startLow: number,
  count: number,
  firstFresh: number,
  first: number,
  second: number,
  modulus: number,
): number => {
  let high = startHigh;
  let low = startLow;
  let matched = NO_MATCH;
  let stale = 0;
  let previousEqualsFirst = 0;
  for (let index = 0; index < count; index++) {
    const value = mac.truncate(high, low) % modulus;
    const pair = previousEqualsFirst & equalBit(value, second);
    const fresh = index - 1 >= firstFresh ? 1 : 0;
    const take = -(pair & fresh);
    matched = ((index - 1) & take) | (matched & ~take);
    stale |= pair & (fresh ^ 1);
    previousEqualsFirst = equalBit(value, first);
    low = (low + 1) >>> 0;
    if (low === 0) high = (high + 1) >>> 0;
  }
  return matched !== NO_MATCH ? matched : stale === 1 ? STALE_MATCH : NO_MATCH;
};
