import { isoOf } from './codecs.js';
import type { Token } from './state.js';

/** A day, the period over which timed unlocks are capped. */
export const DAY_MS = 86_400_000;

/**
 * At most this many timed unlocks of one token within any 24 hours. Without a cap a timed unlock
 * hands a guesser a fresh budget of `maxFailures` guesses every `timedUnlockSeconds` (1,440 a day
 * at 60 s); with it a guesser gets at most `maxFailures × (TIMED_UNLOCKS_PER_DAY + 1)` guesses a
 * day, and then the token waits for a company admin or the bank (see docs/decisions.md).
 */
export const TIMED_UNLOCKS_PER_DAY = 3;

/** The policy settings a lock needs. */
export interface LockPolicy {
  readonly timedUnlockSeconds: number | null;
}

/** How many of the token's timed unlocks fall within the 24 hours before `nowMs` (or later). */
export const timedUnlocksWithinADay = (token: Token, nowMs: number): number =>
  (token.timedUnlocksMs ?? []).filter((unlocksAtMs) => unlocksAtMs > nowMs - DAY_MS).length;

/**
 * When a lock decided at `nowMs` lifts by itself (the `unlocksAt` of `TokenLocked`): never when
 * the policy sets no timer, nor when the token already had {@link TIMED_UNLOCKS_PER_DAY} timed
 * unlocks within the last 24 hours; else `timedUnlockSeconds` from now.
 */
export const unlocksAtOf = (token: Token, policy: LockPolicy, nowMs: number): string | null =>
  policy.timedUnlockSeconds === null || timedUnlocksWithinADay(token, nowMs) >= TIMED_UNLOCKS_PER_DAY
    ? null
    : isoOf(nowMs + policy.timedUnlockSeconds * 1000);

/** The timed unlocks a token remembers after a lock: the latest ones, as many as the cap looks at. */
export const rememberTimedUnlock = (token: Token, unlocksAtMs: number): readonly number[] =>
  [...(token.timedUnlocksMs ?? []), unlocksAtMs].slice(-TIMED_UNLOCKS_PER_DAY);
