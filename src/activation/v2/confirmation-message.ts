import { lengthPrefixed } from './bytes.js';
import { APPROVE_LABEL, REJECT_LABEL } from './protocol.js';

/** A confirmation challenge as the phone receives it (all public). */
export interface ConfirmationChallenge {
  /** The token whose key must sign. */
  readonly serial: string;
  readonly challengeId: string;
  /** 32 random bytes, base64url. */
  readonly challenge: string;
  /** The SHA-256 digest (hex) of the command to be confirmed, without its factor fields. */
  readonly digest: string;
}

/**
 * The bytes an app signs: lp(label) || lp(serial) || lp(challengeId) || lp(challenge) ||
 * lp(digest), strings as UTF-8. The label tells an approval from a rejection, so one can never
 * be replayed as the other.
 */
export const confirmationMessage = (decision: 'approve' | 'reject', challenge: ConfirmationChallenge): Uint8Array =>
  lengthPrefixed(decision === 'approve' ? APPROVE_LABEL : REJECT_LABEL, challenge.serial, challenge.challengeId, challenge.challenge, challenge.digest);
