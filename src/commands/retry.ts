import type { Random } from '../ports/random.js';

/** How a command is retried after a version conflict. */
export interface RetryPolicy {
  /** Attempts in all, the first included (default 5). */
  readonly maxAttempts?: number;
  /** The delay before the second attempt, doubled before each later one (default 10 ms). */
  readonly baseDelayMs?: number;
  /** The longest delay (default 1000 ms). */
  readonly maxDelayMs?: number;
  /** How to wait (default setTimeout); tests pass one that does not. */
  readonly sleep?: (ms: number) => Promise<void>;
}

/** The policy with every default filled in. */
export interface ResolvedRetryPolicy {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /** How the runtime waits between attempts. */
  readonly sleep: (ms: number) => Promise<void>;
}

const sleepWithTimer = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Fills in the defaults; nonsense values (0 attempts, negative delays) become the nearest sane ones. */
export const resolveRetryPolicy = (policy: RetryPolicy | undefined): ResolvedRetryPolicy => ({
  maxAttempts: Math.max(1, Math.floor(policy?.maxAttempts ?? 5)),
  baseDelayMs: Math.max(0, policy?.baseDelayMs ?? 10),
  maxDelayMs: Math.max(0, policy?.maxDelayMs ?? 1000),
  sleep: policy?.sleep ?? sleepWithTimer,
});

/**
 * The wait before attempt `attempt` (2, 3, …): exponential, capped, with "equal jitter" (half
 * fixed, half random) so instances that collided once do not collide again in lock step.
 */
export const backoffDelay = (policy: ResolvedRetryPolicy, attempt: number, random: Random): number => {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** Math.max(0, attempt - 2));
  const bytes = random.bytes(4);
  const unit = (((bytes[0] ?? 0) << 24) | ((bytes[1] ?? 0) << 16) | ((bytes[2] ?? 0) << 8) | (bytes[3] ?? 0)) >>> 0;
  return ceiling / 2 + (ceiling / 2) * (unit / 2 ** 32);
};
