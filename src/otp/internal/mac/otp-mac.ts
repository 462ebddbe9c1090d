/**
 * HMAC specialised for one-time passwords (RFC 2104 as used by RFC 4226 §5.3): the secret's
 * inner and outer key states are computed once per verification, and each candidate counter
 * then costs exactly two compressions, with no allocation and no byte conversion: the 8-byte
 * counter and the inner digest go into preformatted, prepadded blocks as 32-bit words.
 *
 * Every algorithm has one instance with its own scratch space. JavaScript runs one call at a
 * time and nothing here calls out, so a `load`, the `truncate` calls and the `wipe` that follow
 * can never interleave with another secret's.
 */
import { sha1 } from '@noble/hashes/legacy.js';
import { sha256, sha512 } from '@noble/hashes/sha2.js';
import type { OtpAlgorithm } from '../../engine.js';
import { SHA1_IV, sha1Compress } from './sha1.js';
import { sha2Constants } from './sha2-constants.js';
import { sha256Compressor } from './sha256.js';
import { sha512Compressor } from './sha512.js';

/** HMAC-based OTP arithmetic over one hash algorithm. */
export interface OtpMac {
  /** Computes the inner and outer key states of `secret`, replacing the previous ones. */
  readonly load: (secret: Uint8Array) => void;
  /**
   * The RFC 4226 dynamic truncation (a 31-bit integer) of HMAC(secret, counter), where the
   * 8-byte big-endian counter is the pair of unsigned 32-bit words (high, low).
   */
  readonly truncate: (counterHigh: number, counterLow: number) => number;
  /** The whole HMAC(secret, counter), as bytes: for tests and diagnostics, not the hot path. */
  readonly digest: (counterHigh: number, counterLow: number) => Uint8Array;
  /** Zero-fills the key states and everything derived from them. */
  readonly wipe: () => void;
}

interface HashFunction {
  /** 32-bit words per block: 16 (SHA-1, SHA-256) or 32 (SHA-512). */
  readonly blockWords: number;
  /** 32-bit words of state, which is also the digest: 5, 8 or 16. */
  readonly stateWords: number;
  readonly iv: Int32Array;
  readonly compress: (from: Int32Array, block: Int32Array, into: Int32Array) => void;
  /** The whole hash, for keys longer than a block (RFC 2104 §2). */
  readonly digest: (bytes: Uint8Array) => Uint8Array;
}

const INNER_PAD = 0x36363636;
const OUTER_PAD = 0x5c5c5c5c;
const END_OF_MESSAGE = 0x80000000 | 0;

/** Zero-fills a small array; a plain loop beats a call into `fill` at these sizes. */
const zero = (words: Int32Array): void => {
  for (let i = 0; i < words.length; i++) words[i] = 0;
};

const otpMacOver = (hash: HashFunction): OtpMac => {
  const { blockWords, stateWords, iv, compress } = hash;
  const blockBytes = blockWords * 4;
  const inner = new Int32Array(stateWords);
  const outer = new Int32Array(stateWords);
  const state = new Int32Array(stateWords);
  const keyBlock = new Int32Array(blockWords);
  // The last block of the inner message (key block, then the 8-byte counter): the counter in
  // words 0 and 1, the end marker, zeros, and the message length in bits.
  const innerBlock = new Int32Array(blockWords);
  innerBlock[2] = END_OF_MESSAGE;
  innerBlock[blockWords - 1] = (blockBytes + 8) * 8;
  // The last block of the outer message (key block, then the inner digest): the inner
  // compression writes the digest straight into its first words.
  const outerBlock = new Int32Array(blockWords);
  outerBlock[stateWords] = END_OF_MESSAGE;
  outerBlock[blockWords - 1] = (blockBytes + stateWords * 4) * 8;

  /** Leaves HMAC(secret, counter) in `state`. */
  const hmacOfCounter = (counterHigh: number, counterLow: number): void => {
    innerBlock[0] = counterHigh;
    innerBlock[1] = counterLow;
    compress(inner, innerBlock, outerBlock);
    compress(outer, outerBlock, state);
  };

  return {
    load: (secret) => {
      const key = secret.length > blockBytes ? hash.digest(secret) : secret;
      // The key as big-endian words, zero-padded to a block, under the inner pad.
      for (let word = 0, at = 0; word < blockWords; word++, at += 4) {
        keyBlock[word] =
          (((key[at] ?? 0) << 24) | ((key[at + 1] ?? 0) << 16) | ((key[at + 2] ?? 0) << 8) | (key[at + 3] ?? 0)) ^ INNER_PAD;
      }
      compress(iv, keyBlock, inner);
      for (let word = 0; word < blockWords; word++) keyBlock[word] = (keyBlock[word] as number) ^ (INNER_PAD ^ OUTER_PAD);
      compress(iv, keyBlock, outer);
      zero(keyBlock);
      if (key !== secret) key.fill(0);
    },
    truncate: (counterHigh, counterLow) => {
      hmacOfCounter(counterHigh, counterLow);
      // RFC 4226 §5.4: the low 4 bits of the last byte pick the 4 bytes to keep. The bytes can
      // straddle two words; shifting the second word in two steps keeps a shift of 0 bits from
      // turning into a shift of 32 (which JavaScript reads as 0).
      const offset = (state[stateWords - 1] as number) & 0xf;
      const word = offset >>> 2;
      const shift = (offset & 3) << 3;
      return (((state[word] as number) << shift) | (((state[word + 1] as number) >>> 1) >>> (31 - shift))) & 0x7fffffff;
    },
    digest: (counterHigh, counterLow) => {
      hmacOfCounter(counterHigh, counterLow);
      const bytes = new Uint8Array(stateWords * 4);
      const view = new DataView(bytes.buffer);
      state.forEach((word, index) => {
        view.setInt32(index * 4, word);
      });
      return bytes;
    },
    wipe: () => {
      zero(inner);
      zero(outer);
      zero(state);
      for (let word = 0; word < stateWords; word++) outerBlock[word] = 0;
    },
  };
};

let sha1Mac: OtpMac | undefined;
let sha256Mac: OtpMac | undefined;
let sha512Mac: OtpMac | undefined;

/** The OTP HMAC of `algorithm`; the SHA-2 ones are built on first use. */
export const otpMac = (algorithm: OtpAlgorithm): OtpMac => {
  switch (algorithm) {
    case 'SHA1':
      return (sha1Mac ??= otpMacOver({ blockWords: 16, stateWords: 5, iv: SHA1_IV, compress: sha1Compress, digest: sha1 }));
    case 'SHA256':
      return (sha256Mac ??= otpMacOver({
        blockWords: 16,
        stateWords: 8,
        iv: sha2Constants().iv256,
        compress: sha256Compressor(sha2Constants().k256),
        digest: sha256,
      }));
    case 'SHA512':
      return (sha512Mac ??= otpMacOver({
        blockWords: 32,
        stateWords: 16,
        iv: sha2Constants().iv512,
        compress: sha512Compressor(sha2Constants().k512),
        digest: sha512,
      }));
  }
};
