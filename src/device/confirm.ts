import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { malformed, type ActivationProtocolError } from '../activation/errors.js';
import { toBase64Url } from '../activation/v2/bytes.js';
import { confirmationMessage, type ConfirmationChallenge } from '../activation/v2/confirmation-message.js';
import type { DeviceSigningKey } from './keys.js';

/** The app's answer to a challenge: what the host puts in the command's `confirmation` (or `RejectConfirmation`). */
export interface AppConfirmation {
  readonly challengeId: string;
  /** ECDSA P-256 signature (P1363), base64url. */
  readonly signature: string;
}

const isText = (value: unknown, max: number): value is string => typeof value === 'string' && value.length > 0 && value.length <= max;

const readChallenge = (input: unknown): E.Either<ActivationProtocolError, ConfirmationChallenge> => {
  if (typeof input !== 'object' || input === null) return E.left(malformed('challenge', 'must be the challenge the host delivered'));
  const { serial, challengeId, challenge, digest } = input as Readonly<Record<string, unknown>>;
  return isText(serial, 128) && isText(challengeId, 128) && isText(challenge, 128) && isText(digest, 128)
    ? E.right({ serial, challengeId, challenge, digest })
    : E.left(malformed('challenge', 'must have serial, challengeId, challenge and digest'));
};

const signed = (decision: 'approve' | 'reject', key: DeviceSigningKey, input: unknown): Promise<E.Either<ActivationProtocolError, AppConfirmation>> =>
  pipe(
    readChallenge(input),
    E.match(
      (problem) => Promise.resolve(E.left(problem)),
      (challenge) => signChallenge(decision, key, challenge),
    ),
  );

const signChallenge = async (decision: 'approve' | 'reject', key: DeviceSigningKey, challenge: ConfirmationChallenge): Promise<E.Either<ActivationProtocolError, AppConfirmation>> => {
  try {
    const signature = await key.sign(confirmationMessage(decision, challenge));
    return E.right({ challengeId: challenge.challengeId, signature: toBase64Url(signature) });
  } catch {
    return E.left(malformed('keys', 'the signing key failed'));
  }
};

/**
 * Approves a challenge the user saw (show its `summary` first): signs challenge and command digest
 * with the token's key. The host sends the answer as the command's `confirmation`.
 */
export const approveConfirmation = (key: DeviceSigningKey, challenge: unknown): Promise<E.Either<ActivationProtocolError, AppConfirmation>> =>
  signed('approve', key, challenge);

/** Rejects a challenge: the host sends the answer as `RejectConfirmation`, which records it. */
export const rejectConfirmation = (key: DeviceSigningKey, challenge: unknown): Promise<E.Either<ActivationProtocolError, AppConfirmation>> =>
  signed('reject', key, challenge);
