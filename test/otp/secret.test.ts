import { describe, expect, it } from 'vitest';
import { cryptoRandom, generateSecret } from '../../src/index.js';
import { seededRandom } from '../../src/ports/random.js';
import type { GenerateSecretOptions, Random } from '../../src/index.js';

describe('generateSecret', () => {
  it('gives 20 random bytes by default', () => {
    const first = generateSecret();
    const second = generateSecret(cryptoRandom);
    expect(first).toMatchObject({ _tag: 'Right' });
    if (first._tag === 'Right' && second._tag === 'Right') {
      expect(first.right).toHaveLength(20);
      expect(first.right).not.toEqual(second.right);
    }
  });

  it('uses the Random port it is given', () => {
    expect(generateSecret(seededRandom(7))).toEqual(generateSecret(seededRandom(7)));
    expect(generateSecret(seededRandom(7), { bytes: 32 })).toMatchObject({ _tag: 'Right', right: { length: 32 } });
  });

  it('refuses seeds under 16 bytes unless the legacy flag is set, and silly lengths always', () => {
    expect(generateSecret(cryptoRandom, { bytes: 15 })).toEqual({ _tag: 'Left', left: { _tag: 'weak-secret' } });
    expect(generateSecret(cryptoRandom, { bytes: 16 })).toMatchObject({ _tag: 'Right', right: { length: 16 } });
    expect(generateSecret(cryptoRandom, { bytes: 10, allowShortSecret: true })).toMatchObject({ _tag: 'Right', right: { length: 10 } });
    for (const bytes of [0, -1, 2.5, 129, Number.NaN]) {
      expect(generateSecret(cryptoRandom, { bytes, allowShortSecret: true })).toMatchObject({ _tag: 'Left', left: { _tag: 'invalid-options' } });
    }
    expect(generateSecret(cryptoRandom, 'x' as unknown as GenerateSecretOptions)).toMatchObject({ _tag: 'Left', left: { _tag: 'invalid-options' } });
  });

  it('a failing or lying Random port is unavailable', () => {
    const failing: Random = {
      bytes: () => {
        throw new Error('no entropy');
      },
    };
    const short: Random = { bytes: (n) => new Uint8Array(n - 1) };
    expect(generateSecret(failing)).toMatchObject({ _tag: 'Left', left: { _tag: 'unavailable' } });
    expect(generateSecret(short)).toMatchObject({ _tag: 'Left', left: { _tag: 'unavailable' } });
  });
});
