import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { parseActivationCode } from '../activation/activation-code.js';
import { constantTimeEqual } from '../activation/constant-time.js';
import { malformed, type ActivationProtocolError } from '../activation/errors.js';
import { normalizeSerial } from '../activation/serial-input.js';
import { fromBase64Url, toBase64Url } from '../activation/v2/bytes.js';
import { ACTIVATION_PROTOCOL_V2, KEY_CONFIRMATION_BYTES, P256_PUBLIC_KEY_BYTES } from '../activation/v2/protocol.js';
import { activationProof, deriveSeedV2, keyConfirmation, transcript } from '../activation/v2/transcript.js';
import { OtpParametersCodec } from '../domain/token/codecs.js';
import { isValidSerial } from '../domain/token/serial.js';
import { defaultOtpParameters, type OtpParameters } from '../otp/engine.js';
import { restoreDeviceToken, type DeviceToken } from './activate.js';
import { generateDeviceKeys, type DeviceKeys, type DeviceSigningKey } from './keys.js';

/** What the app sends the server (through the host, as an `EnrollDeviceV2` command's fields). */
export interface ActivationV2Offer {
  readonly serial: string;
  readonly protocol: 2;
  /** The app's ECDH public key, base64url. */
  readonly agreementKey: string;
  /** The app's signing public key, base64url: it confirms commands later. */
  readonly signingKey: string;
  /** HMAC proof of the activation code over the keys, base64url. */
  readonly proof: string;
}

/** A token activated with protocol v2: OTP codes from the seed, and the key that signs confirmations. */
export interface DeviceTokenV2 {
  readonly token: DeviceToken;
  readonly signingKey: DeviceSigningKey;
}

/** A v2 activation waiting for the server's answer. */
export interface PendingActivationV2 {
  /** Send these fields to the server (`EnrollDeviceV2`). */
  readonly offer: ActivationV2Offer;
  /**
   * The server's answer (`serverKey`, `keyConfirmation` from `EnrollDeviceV2`'s output): derives
   * the seed and checks the server derived the same one.
   */
  readonly finish: (answer: unknown) => Promise<E.Either<ActivationProtocolError, DeviceTokenV2>>;
}

/** What the user gives the app: the serial and the activation code; optionally keys of its own. */
export interface StartActivationV2Input {
  readonly serial: unknown;
  readonly activationCode: unknown;
  readonly parameters?: OtpParameters;
  /** Keys from the phone's secure hardware; default: fresh WebCrypto keys. */
  readonly keys?: DeviceKeys;
}

const answerField = (answer: unknown, field: 'serverKey' | 'keyConfirmation', length: number): Uint8Array | undefined =>
  typeof answer === 'object' && answer !== null ? fromBase64Url((answer as Readonly<Record<string, unknown>>)[field], length) : undefined;

/**
 * The app side of activation protocol v2 (docs/activation-protocol.md): fresh ECDH and signing
 * keys, the proof of the activation code over them; then, with the server's answer, the seed from
 * the key agreement and the whole transcript. Whoever sees the codes and every message cannot
 * derive the seed: it needs one of the two ECDH private keys.
 */
export const startActivationV2 = async (input: StartActivationV2Input): Promise<E.Either<ActivationProtocolError, PendingActivationV2>> => {
  const given: unknown = input;
  if (typeof given !== 'object' || given === null) return E.left(malformed('input', 'must be an object with serial and activationCode'));
  const parameters: unknown = input.parameters ?? defaultOtpParameters;
  if (!OtpParametersCodec.is(parameters)) return E.left(malformed('parameters', 'must be OATH parameters: mode, algorithm, digits, period'));
  const parsed = pipe(
    normalizeSerial(input.serial),
    E.filterOrElse(isValidSerial, (): ActivationProtocolError => ({ _tag: 'check-digit', field: 'serial' })),
    E.bindTo('serial'),
    E.bind('activationCode', () => parseActivationCode(input.activationCode)),
  );
  return pipe(
    parsed,
    E.match(
      (problem) => Promise.resolve(E.left(problem)),
      ({ serial, activationCode }) => offerActivationV2(input, serial, activationCode, parameters),
    ),
  );
};

/** The offer and its finishing step, for a serial and activation code already checked. */
const offerActivationV2 = async (
  input: StartActivationV2Input,
  serial: string,
  activationCode: Parameters<typeof activationProof>[0],
  parameters: OtpParameters,
): Promise<E.Either<ActivationProtocolError, PendingActivationV2>> => {
  let keys: DeviceKeys;
  try {
    keys = input.keys ?? (await generateDeviceKeys());
  } catch {
    return E.left(malformed('keys', 'the device keys could not be generated'));
  }
  const offer = { serial, agreementKey: keys.agreement.publicKey, signingKey: keys.signing.publicKey };
  if (offer.agreementKey.length !== P256_PUBLIC_KEY_BYTES || offer.signingKey.length !== P256_PUBLIC_KEY_BYTES) {
    return E.left(malformed('keys', 'must be P-256 public keys of 65 bytes'));
  }
  const proof = activationProof(activationCode, offer);
  return E.right({
    offer: { serial, protocol: ACTIVATION_PROTOCOL_V2, agreementKey: toBase64Url(offer.agreementKey), signingKey: toBase64Url(offer.signingKey), proof: toBase64Url(proof) },
    finish: async (answer) => {
      const serverKey = answerField(answer, 'serverKey', P256_PUBLIC_KEY_BYTES);
      const confirmation = answerField(answer, 'keyConfirmation', KEY_CONFIRMATION_BYTES);
      if (serverKey === undefined) return E.left(malformed('serverKey', 'must be a P-256 public key of 65 bytes in base64url'));
      if (confirmation === undefined) return E.left(malformed('keyConfirmation', 'must be 32 bytes in base64url'));
      let shared: Uint8Array;
      try {
        shared = await keys.agreement.agree(serverKey);
      } catch {
        return E.left(malformed('serverKey', 'is not a point of P-256'));
      }
      const bytes = transcript(offer, proof, serverKey);
      const seed = deriveSeedV2(shared, bytes);
      // The server proves it derived the same seed: a wrong answer (or a man in the middle) stops here.
      if (!constantTimeEqual(toBase64Url(keyConfirmation(seed, bytes)), toBase64Url(confirmation))) return E.left({ _tag: 'mismatch' });
      return E.map((token: DeviceToken) => ({ token, signingKey: keys.signing }))(restoreDeviceToken({ serial, seed, parameters }));
    },
  });
};
