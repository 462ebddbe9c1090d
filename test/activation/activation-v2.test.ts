import { createHash, generateKeyPairSync, sign as nodeSign, verify } from 'node:crypto';
import * as E from 'fp-ts/lib/Either.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseActivationCode, type ActivationCode } from '../../src/activation/activation-code.js';
import { fromBase64Url, toBase64Url } from '../../src/activation/v2/bytes.js';
import { importAgreementKeyPair, verifySignature } from '../../src/activation/v2/p256.js';
import { answerActivationV2, parseActivationV2Request } from '../../src/activation/v2/server.js';
import { activationProof, deriveSeedV2, transcript } from '../../src/activation/v2/transcript.js';
import { confirmationMessage } from '../../src/activation/v2/confirmation-message.js';
import { approveConfirmation, generateDeviceKeys, startActivationV2, totp } from '../../src/device/index.js';
import * as ref from './v2-reference.js';

const CODE = '0123-4567-8901-2345-6789-0123-4561';
const SERIAL = 'ST00000000014';
const code = (): ActivationCode => {
  const parsed = parseActivationCode(CODE);
  if (E.isLeft(parsed)) throw new Error('vector code');
  return parsed.right;
};

// The vector of docs/activation-protocol.md, version 2.
const VECTOR = {
  agreementKey: 'BLSlKjc4bDv2jpFratfd3hPh5F4-HIdmZX4ewno7NBDPWBrokxJ5bhjwA8Dz4Jk3F80A3LjyscQNdZ5hLf3F8QY',
  signingKey: 'BEPJ7y9Nf1LZkn38hSC9NQejHNWfFmRdKchj60W36emM0huUbrslrKwEZCuJ0KneSg8T5gr8C0zbmO4fqYq3mwg',
  serverKey: 'BCE8n72bXgK3jFDFaOSKyBD0t3iu6I78sfBNt5QZSBfawmkJO7fU16nASqqkCunijRWB45XHvFAmoDsDX-k6ttI',
  proof: 'Nk8Oq6KZUV1H4QYxOsj9APTtDFRw4E_5QF6ynMK6KlU',
  transcriptSha256: 'd36ae06f56f6b2b77816ee8e8ee3c0c924728164e793145196c0a6d09a4d2986',
  sharedSecret: '12529d03e8dd9de94e669d3facbf77507b657b886fef6acc8d85922755355b79',
  seed: 'c90d1b374fda252db0cd6921c122527d2f599fd1',
  keyConfirmation: 'wlAEKVyqTVlaYTSSOwFmxC9vg6OwCxdbqEAohH6lFig',
};

const bytes = (text: string, length: number): Uint8Array => {
  const decoded = fromBase64Url(text, length);
  if (decoded === undefined) throw new Error('vector bytes');
  return decoded;
};

describe('activation protocol v2: the test vector', () => {
  it('fixed keys give the documented proof, transcript, seed and key confirmation', async () => {
    const offer = { serial: SERIAL, agreementKey: bytes(VECTOR.agreementKey, 65), signingKey: bytes(VECTOR.signingKey, 65) };
    expect(toBase64Url(activationProof(code(), offer))).toBe(VECTOR.proof);
    const server = await importAgreementKeyPair(ref.vectorKeys.server);
    expect(toBase64Url(server.publicKey)).toBe(VECTOR.serverKey);
    const request = parseActivationV2Request(SERIAL, { protocol: 2, agreementKey: VECTOR.agreementKey, signingKey: VECTOR.signingKey, proof: VECTOR.proof });
    if (E.isLeft(request)) throw new Error('request');
    const answered = await answerActivationV2(code(), request.right, server);
    expect(answered).toEqual(E.right({ seed: expect.any(Uint8Array) as unknown, answer: { serverKey: VECTOR.serverKey, keyConfirmation: VECTOR.keyConfirmation } }));
    if (E.isLeft(answered)) throw new Error('answer');
    expect(Buffer.from(answered.right.seed).toString('hex')).toBe(VECTOR.seed);
    const transcriptBytes = transcript(offer, bytes(VECTOR.proof, 32), server.publicKey);
    expect(createHash('sha256').update(transcriptBytes).digest('hex')).toBe(VECTOR.transcriptSha256);
    expect(Buffer.from(deriveSeedV2(Buffer.from(VECTOR.sharedSecret, 'hex'), transcriptBytes)).toString('hex')).toBe(VECTOR.seed);
  });

  it('the node:crypto implementation written from the document gives the same vector', () => {
    const device = ref.ecdhFromScalar(ref.vectorKeys.deviceAgreement.d);
    const server = ref.ecdhFromScalar(ref.vectorKeys.server.d);
    const signing = ref.rawPublic(ref.vectorKeys.deviceSigning);
    const proof = ref.proof(code(), SERIAL, device.publicKey, signing);
    const bytesOf = ref.transcript(SERIAL, proof, device.publicKey, signing, server.publicKey);
    expect(ref.b64u(proof)).toBe(VECTOR.proof);
    expect(device.agree(server.publicKey).toString('hex')).toBe(VECTOR.sharedSecret);
    expect(ref.seed(device.agree(server.publicKey), bytesOf).toString('hex')).toBe(VECTOR.seed);
    expect(ref.b64u(ref.keyConfirmation(ref.seed(server.agree(device.publicKey), bytesOf), bytesOf))).toBe(VECTOR.keyConfirmation);
  });
});

describe('activation protocol v2: interoperation with an implementation from the document', () => {
  it('a node:crypto app activates against the SDK server, and its signatures verify', async () => {
    const agreement = ref.ecdhFromScalar(generateKeyPairSync('ec', { namedCurve: 'P-256' }).privateKey.export({ format: 'jwk' }).d ?? '');
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    const jwk = publicKey.export({ format: 'jwk' });
    const signing = ref.rawPublic({ x: jwk.x ?? '', y: jwk.y ?? '' });
    const proof = ref.proof(code(), SERIAL, agreement.publicKey, signing);
    const request = parseActivationV2Request(SERIAL, { protocol: 2, agreementKey: ref.b64u(agreement.publicKey), signingKey: ref.b64u(signing), proof: ref.b64u(proof) });
    if (E.isLeft(request)) throw new Error('request');
    const answered = await answerActivationV2(code(), request.right);
    if (E.isLeft(answered)) throw new Error('answer');
    const serverKey = ref.unb64u(answered.right.answer.serverKey);
    const bytesOf = ref.transcript(SERIAL, proof, agreement.publicKey, signing, serverKey);
    const seed = ref.seed(agreement.agree(serverKey), bytesOf);
    expect(seed.equals(Buffer.from(answered.right.seed))).toBe(true);
    expect(ref.b64u(ref.keyConfirmation(seed, bytesOf))).toBe(answered.right.answer.keyConfirmation);
    const challenge = { serial: SERIAL, challengeId: 'c1', challenge: 'AAAA', digest: 'ab'.repeat(32) };
    const message = ref.approveMessage(SERIAL, 'c1', 'AAAA', 'ab'.repeat(32));
    expect(Buffer.from(confirmationMessage('approve', challenge)).equals(message)).toBe(true);
    const signature = nodeSign('sha256', message, { key: privateKey, dsaEncoding: 'ieee-p1363' });
    expect(await verifySignature(signing, ref.b64u(signing), message, signature)).toBe(true);
    expect(await verifySignature(signing, ref.b64u(signing), ref.approveMessage(SERIAL, 'c1', 'AAAA', 'cd'.repeat(32)), signature)).toBe(false);
  });

  it('the SDK app activates against a node:crypto server and signs what node:crypto verifies', async () => {
    const pending = await startActivationV2({ serial: SERIAL, activationCode: CODE });
    if (E.isLeft(pending)) throw new Error('start');
    const { offer } = pending.right;
    const agreementKey = ref.unb64u(offer.agreementKey);
    const signingKey = ref.unb64u(offer.signingKey);
    expect(ref.b64u(ref.proof(code(), SERIAL, agreementKey, signingKey))).toBe(offer.proof);
    const server = ref.ecdhFromScalar(ref.b64u(Buffer.from(createHash('sha256').update('server').digest())));
    const bytesOf = ref.transcript(SERIAL, ref.unb64u(offer.proof), agreementKey, signingKey, server.publicKey);
    const seed = ref.seed(server.agree(agreementKey), bytesOf);
    const finished = await pending.right.finish({ serverKey: ref.b64u(server.publicKey), keyConfirmation: ref.b64u(ref.keyConfirmation(seed, bytesOf)) });
    if (E.isLeft(finished)) throw new Error('finish');
    expect(finished.right.token.code(59_000)).toBe(totp(seed, 59_000));
    const approved = await approveConfirmation(finished.right.signingKey, { serial: SERIAL, challengeId: 'c9', challenge: 'BBBB', digest: 'ef'.repeat(32) });
    if (E.isLeft(approved)) throw new Error('approve');
    const publicKey = { key: { kty: 'EC', crv: 'P-256', x: ref.b64u(signingKey.subarray(1, 33)), y: ref.b64u(signingKey.subarray(33)) }, format: 'jwk' as const, dsaEncoding: 'ieee-p1363' as const };
    expect(verify('sha256', ref.approveMessage(SERIAL, 'c9', 'BBBB', 'ef'.repeat(32)), publicKey, ref.unb64u(approved.right.signature))).toBe(true);
  });

  it('a wrong key confirmation (another server, a man in the middle) is refused by the app', async () => {
    const pending = await startActivationV2({ serial: SERIAL, activationCode: CODE });
    if (E.isLeft(pending)) throw new Error('start');
    const server = ref.ecdhFromScalar(ref.vectorKeys.server.d);
    expect(await pending.right.finish({ serverKey: ref.b64u(server.publicKey), keyConfirmation: VECTOR.keyConfirmation })).toEqual(E.left({ _tag: 'mismatch' }));
    expect(E.isLeft(await pending.right.finish({ serverKey: 'x', keyConfirmation: VECTOR.keyConfirmation }))).toBe(true);
    expect(E.isLeft(await pending.right.finish(null))).toBe(true);
  });
});

describe('activation protocol v2: the observer', () => {
  it('who holds the activation code and every message derives no seed the server derived', async () => {
    const keys = await generateDeviceKeys();
    const pending = await startActivationV2({ serial: SERIAL, activationCode: CODE, keys });
    if (E.isLeft(pending)) throw new Error('start');
    const request = parseActivationV2Request(SERIAL, pending.right.offer);
    if (E.isLeft(request)) throw new Error('request');
    const answered = await answerActivationV2(code(), request.right);
    if (E.isLeft(answered)) throw new Error('answer');
    // What the observer can compute: everything but an ECDH private key. Its best tries at the
    // seed use every public input it saw in place of the shared secret.
    const { offer } = pending.right;
    const seen = [CODE, code(), offer.agreementKey, offer.signingKey, offer.proof, answered.right.answer.serverKey, answered.right.answer.keyConfirmation];
    const transcriptBytes = transcript(request.right.offer, request.right.proof, bytes(answered.right.answer.serverKey, 65));
    const server = Buffer.from(answered.right.seed).toString('hex');
    for (const guess of seen) {
      const candidate = deriveSeedV2(Buffer.from(guess), transcriptBytes);
      expect(Buffer.from(candidate).toString('hex')).not.toBe(server);
    }
    // And a key agreement of its own with the server's public key gives another secret.
    const observer = ref.ecdhFromScalar(ref.vectorKeys.deviceAgreement.d);
    expect(ref.seed(observer.agree(bytes(answered.right.answer.serverKey, 65)), transcriptBytes).toString('hex')).not.toBe(server);
  });
});

describe('base64url of protocol v2', () => {
  it('round-trips every byte string and accepts one text form only', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 80 }), (input) => {
        const text = toBase64Url(input);
        expect(text).toBe(Buffer.from(input).toString('base64url'));
        expect(fromBase64Url(text, input.length)).toEqual(input);
      }),
      { numRuns: 500 },
    );
  });

  it('refuses anything else without throwing', () => {
    fc.assert(
      fc.property(fc.anything(), fc.integer({ min: 0, max: 70 }), (input, length) => {
        const decoded = fromBase64Url(input, length);
        if (decoded !== undefined) expect(toBase64Url(decoded)).toBe(input);
      }),
      { numRuns: 1000 },
    );
  });
});
