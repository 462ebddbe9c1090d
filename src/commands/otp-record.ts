import * as E from 'fp-ts/lib/Either.js';
import type { Decision, DecisionWrite } from './command-handler.js';
import type { OtpCheck } from './confirmation.js';
import { concurrencyConflict, type SdkError } from '../errors/sdk-error.js';

// What the OTP rule's verdict does to a command's decision: a refused code is committed and fails the
// command; an accepted code's record joins the command's own atomic append. `confirmation.ts` reaches
// the verdict; this file writes it down.

/** The decision for a refused code: the rejection (and a lock) is committed, and the command fails. */
export const refusal = <O>(check: Extract<OtpCheck, { _tag: 'Refused' }>): Decision<O> => ({
  writes: [check.write],
  // Never read: a decision with a failure has no output.
  output: undefined as O,
  failure: check.error,
});

/**
 * Writes to the same stream combined into one, in order. Two writes that expect different
 * versions of one stream mean it moved between two reads of this attempt: a conflict, which the
 * runtime retries.
 */
export const mergeWrites = (writes: readonly DecisionWrite[]): E.Either<SdkError, readonly DecisionWrite[]> => {
  const merged: DecisionWrite[] = [];
  for (const write of writes) {
    const index = merged.findIndex((existing) => existing.streamId === write.streamId);
    const existing = merged[index];
    if (existing === undefined) {
      merged.push(write);
    } else if (existing.expectedVersion !== write.expectedVersion) {
      return E.left(concurrencyConflict(write.streamId, String(write.expectedVersion), typeof existing.expectedVersion === 'number' ? existing.expectedVersion : -1));
    } else {
      merged[index] = { ...existing, events: [...existing.events, ...write.events] };
    }
  }
  return E.right(merged);
};

/** A command's decision with the accepted code's (or app signature's) record added to the same atomic append. */
export const withOtpRecord = <O>(check: OtpCheck, decision: Decision<O>): E.Either<SdkError, Decision<O>> => {
  if (check._tag !== 'Confirmed' && check._tag !== 'Signed') return E.right(decision);
  return E.map((writes: readonly DecisionWrite[]) => ({ ...decision, writes }))(mergeWrites([check.write, ...decision.writes]));
};
