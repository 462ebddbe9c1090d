import { randomDigits } from '../../activation/digits.js';
import { DEFAULT_SERIAL_PREFIX, serialCheckCharacter } from '../../domain/token/serial.js';
import type { Random } from '../../ports/random.js';

// Drawing randomness is the shell's part; the serial's format and check character are pure (domain/token/serial.ts).

const SERIAL_DIGITS = 10;

/**
 * A fresh serial from the random port. Uniqueness is not guaranteed here: the command handler
 * creates the token stream with `expectedVersion: 'no-stream'` and draws again on a collision.
 */
export const drawSerial = (random: Random, prefix: string = DEFAULT_SERIAL_PREFIX): string => {
  for (;;) {
    const body = `${prefix}${randomDigits(random, SERIAL_DIGITS)}`;
    const check = serialCheckCharacter(body);
    if (check !== '*') return `${body}${check}`;
  }
};
