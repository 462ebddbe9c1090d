import * as E from 'fp-ts/lib/Either.js';
import type { ActivationCode } from '../activation-code.js';
import type { ActivationProtocolError } from '../errors.js';
import { malformed } from '../errors.js';
import { fromBase64Url, toBase64Url } from './bytes.js';
import { agree, generateAgreementKeyPair, type AgreementKeyPair } from './p256.js';
import { ACTIVATION_PROOF_BYTES, ACTIVATION_PROTOCOL_V2, P256_PUBLIC_KEY_BYTES } from './protocol.js';
import { deriveSeedV2, keyConfirmation, proofMatches, transcript, type DeviceKeyOffer } from './transcript.js';

/** What the app sends in a v2 activation, as text (base64url): its two public keys and the proof. */
export interface ActivationV2Request {
  readonly protocol: number;
  readonly agreementKey: string;
  readonly signingKey: string;
  readonly proof: string;
}

/** The server's answer to the app: its ephemeral public key and the key confirmation, base64url. */
export interface ActivationV2Answer {
  readonly serverKey: string;
  readonly keyConfirmation: string;
}

/** A v2 request whose fields decoded: the keys, the proof, the serial. */
export interface ParsedActivationV2Request {
  readonly offer: DeviceKeyOffer;
  readonly proof: Uint8Array;
}

/**
 * Reads a v2 request: the version, two 65-byte uncompressed keys and a 32-byte proof in unpadded
 * base64url. Whether the keys are on the curve is WebCrypto's call, in `answerActivationV2`.
 */
export const parseActivationV2Request = (serial: string, request: ActivationV2Request): E.Either<ActivationProtocolError, ParsedActivationV2Request> => {
  if (request.protocol !== ACTIVATION_PROTOCOL_V2) return E.left({ _tag: 'unsupported-version', version: Number.isInteger(request.protocol) ? request.protocol : -1 });
  const agreementKey = fromBase64Url(request.agreementKey, P256_PUBLIC_KEY_BYTES);
  const signingKey = fromBase64Url(request.signingKey, P256_PUBLIC_KEY_BYTES);
  const proof = fromBase64Url(request.proof, ACTIVATION_PROOF_BYTES);
  if (agreementKey?.[0] !== 4) return E.left(malformed('agreementKey', 'must be an uncompressed P-256 public key (65 bytes, base64url)'));
  if (signingKey?.[0] !== 4) return E.left(malformed('signingKey', 'must be an uncompressed P-256 public key (65 bytes, base64url)'));
  if (proof === undefined) return E.left(malformed('proof', 'must be 32 bytes in base64url'));
  return E.right({ offer: { serial, agreementKey, signingKey }, proof });
};

/** The seed the server keeps, and what it answers. */
export interface ActivationV2Outcome {
  readonly seed: Uint8Array;
  readonly answer: ActivationV2Answer;
}

/**
 * The server's half of protocol v2: check the proof against the activation code (constant time),
 * agree a secret with a fresh ephemeral key, and derive the seed over the whole transcript.
 * `mismatch` when the proof is wrong; `malformed` when the app's agreement key is not a point of
 * the curve. `ephemeral` is for test vectors only.
 */
export const answerActivationV2 = async (
  activationCode: ActivationCode,
  { offer, proof }: ParsedActivationV2Request,
  ephemeral?: AgreementKeyPair,
): Promise<E.Either<ActivationProtocolError, ActivationV2Outcome>> => {
  if (!proofMatches(activationCode, offer, proof)) return E.left({ _tag: 'mismatch' });
  const server = ephemeral ?? (await generateAgreementKeyPair());
  let shared: Uint8Array;
  try {
    shared = await agree(server.privateKey, offer.agreementKey);
  } catch {
    return E.left(malformed('agreementKey', 'is not a point of P-256'));
  }
  const bytes = transcript(offer, proof, server.publicKey);
  const seed = deriveSeedV2(shared, bytes);
  return E.right({ seed, answer: { serverKey: toBase64Url(server.publicKey), keyConfirmation: toBase64Url(keyConfirmation(seed, bytes)) } });
};
