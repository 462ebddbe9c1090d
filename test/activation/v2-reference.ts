import { createECDH, createHash, createHmac, hkdfSync } from 'node:crypto';

// Protocol v2 written from docs/activation-protocol.md alone, with node:crypto: the second
// implementation the SDK's must interoperate with.

const utf8 = (text: string): Buffer => Buffer.from(text, 'utf8');

/** lp(x): a 2-byte big-endian length, then the bytes. */
export const lp = (...fields: readonly (Uint8Array | string)[]): Buffer =>
  Buffer.concat(
    fields.map((field) => {
      const bytes = typeof field === 'string' ? utf8(field) : Buffer.from(field);
      const length = Buffer.alloc(2);
      length.writeUInt16BE(bytes.length);
      return Buffer.concat([length, bytes]);
    }),
  );

export const b64u = (bytes: Uint8Array): string => Buffer.from(bytes).toString('base64url');
export const unb64u = (text: string): Buffer => Buffer.from(text, 'base64url');

/** An ECDH key from its private scalar (base64url `d` of a JWK). */
export const ecdhFromScalar = (d: string): { readonly publicKey: Buffer; readonly agree: (peer: Uint8Array) => Buffer } => {
  const ecdh = createECDH('prime256v1');
  ecdh.setPrivateKey(unb64u(d));
  return { publicKey: ecdh.getPublicKey(), agree: (peer) => ecdh.computeSecret(Buffer.from(peer)) };
};

export const proof = (activationCode: string, serial: string, agreementKey: Uint8Array, signingKey: Uint8Array): Buffer => {
  const key = Buffer.from(hkdfSync('sha256', utf8(activationCode), Buffer.alloc(0), Buffer.concat([utf8('softtoken-sdk/activation/v2/proof-key'), utf8(serial)]), 32));
  return createHmac('sha256', key).update(lp('softtoken-sdk/activation/v2/proof', serial, agreementKey, signingKey)).digest();
};

export const transcript = (serial: string, proofBytes: Uint8Array, agreementKey: Uint8Array, signingKey: Uint8Array, serverKey: Uint8Array): Buffer =>
  lp('softtoken-sdk/activation/v2/transcript', Uint8Array.of(2), serial, proofBytes, agreementKey, signingKey, serverKey);

export const seed = (shared: Uint8Array, transcriptBytes: Uint8Array): Buffer =>
  Buffer.from(hkdfSync('sha256', shared, createHash('sha256').update(transcriptBytes).digest(), utf8('softtoken-sdk/activation/v2/seed'), 20));

export const keyConfirmation = (seedBytes: Uint8Array, transcriptBytes: Uint8Array): Buffer =>
  createHmac('sha256', seedBytes).update(lp('softtoken-sdk/activation/v2/key-confirmation', createHash('sha256').update(transcriptBytes).digest())).digest();

export const approveMessage = (serial: string, challengeId: string, challenge: string, digest: string): Buffer =>
  lp('softtoken-sdk/confirmation/v1/approve', serial, challengeId, challenge, digest);

/** The fixed keys of the test vector. */
export const vectorKeys = {
  deviceAgreement: { kty: 'EC', crv: 'P-256', x: 'tKUqNzhsO_aOkWtq193eE-HkXj4ch2Zlfh7Cejs0EM8', y: 'WBrokxJ5bhjwA8Dz4Jk3F80A3LjyscQNdZ5hLf3F8QY', d: 'ESVoazqteJofyptCSrLn4sD5FRDLxVUDZqWpSuKqRds' },
  deviceSigning: { kty: 'EC', crv: 'P-256', x: 'Q8nvL01_UtmSffyFIL01B6Mc1Z8WZF0pyGPrRbfp6Yw', y: '0huUbrslrKwEZCuJ0KneSg8T5gr8C0zbmO4fqYq3mwg', d: 'A0aaQ2-4W-SHCFKu9QY9_sAL4LDomcM_H9NMPewCGPM' },
  server: { kty: 'EC', crv: 'P-256', x: 'ITyfvZteAreMUMVo5IrIEPS3eK7ojvyx8E23lBlIF9o', y: 'wmkJO7fU16nASqqkCunijRWB45XHvFAmoDsDX-k6ttI', d: 'H0Ed9uo4rVQVQnAnKmMAJjwc1Eaan85uooiZxULSmsI' },
} as const;

/** The uncompressed public key of a JWK. */
export const rawPublic = (jwk: { readonly x: string; readonly y: string }): Buffer => Buffer.concat([Buffer.of(4), unb64u(jwk.x), unb64u(jwk.y)]);
