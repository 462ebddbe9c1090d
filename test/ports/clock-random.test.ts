import { describe, expect, it } from 'vitest';
import { manualClock, systemClock } from '../../src/ports/clock.js';
import { cryptoRandom, seededRandom } from '../../src/ports/random.js';

describe('clocks', () => {
  it('the manual clock stands still until it is set or advanced', () => {
    const clock = manualClock(1_000);
    expect(clock.now()).toBe(1_000);
    expect(clock.now()).toBe(1_000);
    clock.advance(30_000);
    expect(clock.now()).toBe(31_000);
    clock.set(Date.UTC(2040, 0, 1));
    expect(clock.now()).toBe(Date.UTC(2040, 0, 1));
  });

  it('the system clock reads real time', () => {
    const before = Date.now();
    const now = systemClock.now();
    expect(now).toBeGreaterThanOrEqual(before);
    expect(now).toBeLessThanOrEqual(Date.now());
  });
});

describe('random sources', () => {
  it('the crypto source fills requests of any size, beyond one getRandomValues call', () => {
    const large = cryptoRandom.bytes(200_000);
    expect(large.length).toBe(200_000);
    // The last chunk must be filled too: an all-zero 4 KiB tail is astronomically unlikely.
    expect(large.subarray(196_000).some((byte) => byte !== 0)).toBe(true);
    expect(cryptoRandom.bytes(0).length).toBe(0);
  });

  it('the seeded source is reproducible and differs between seeds', () => {
    expect(seededRandom(7).bytes(64)).toEqual(seededRandom(7).bytes(64));
    const split = seededRandom(7);
    expect(new Uint8Array([...split.bytes(5), ...split.bytes(59)])).toEqual(seededRandom(7).bytes(64));
    expect(seededRandom(7).bytes(64)).not.toEqual(seededRandom(8).bytes(64));
  });

  it('the seeded source spreads its bytes over the whole range', () => {
    // 200 expected per value; a uniform source stays within about 5 standard deviations (±70).
    for (const seed of [0, 1, 42, 2 ** 31, -7, 0.5]) {
      const counts = new Array<number>(256).fill(0);
      for (const byte of seededRandom(seed).bytes(256 * 200)) counts[byte] = (counts[byte] ?? 0) + 1;
      expect(Math.min(...counts)).toBeGreaterThan(130);
      expect(Math.max(...counts)).toBeLessThan(270);
    }
  });
});
