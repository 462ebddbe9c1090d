import * as t from 'io-ts';
import { commandCodec as command } from '../../events/command-envelope.js';
import { boundedString, intBetween } from '../../events/codecs.js';
import { SUMMARY_LENGTH } from './events.js';

const Id = boundedString(128);
/** Base64url of a key, a proof or a signature: bounded; its bytes are checked by the handler. */
const Encoded = boundedString(256);

/**
 * `RequestConfirmation`: a challenge for the actor's app to sign, for `target`, the very command
 * (envelope included) the host will dispatch with the signature as its `confirmation`.
 */
export const RequestConfirmationCodec = command(
  'RequestConfirmation',
  { target: t.unknown },
  { summary: boundedString(SUMMARY_LENGTH), ttlSeconds: intBetween(30, 3600) },
);
/** `RejectConfirmation`: the user rejected a challenge on the phone; the app signed the rejection. */
export const RejectConfirmationCodec = command('RejectConfirmation', { challengeId: Id, signature: Encoded }, {});
/**
 * `EnrollDeviceV2`: activation protocol v2 (online). The owner's app, through the host, sends its
 * public keys and the proof of the activation code; the answer carries the server's key.
 */
export const EnrollDeviceV2Codec = command(
  'EnrollDeviceV2',
  { serial: boundedString(128), protocol: intBetween(0, 99), agreementKey: Encoded, signingKey: Encoded, proof: Encoded },
  { otp: t.unknown },
);

/** The decoded command. */
export type RequestConfirmationCommand = t.TypeOf<typeof RequestConfirmationCodec>;
/** The decoded command. */
export type RejectConfirmationCommand = t.TypeOf<typeof RejectConfirmationCodec>;
/** The decoded command. */
export type EnrollDeviceV2Command = t.TypeOf<typeof EnrollDeviceV2Codec>;
