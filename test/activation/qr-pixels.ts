/**
 * Reads a drawn QR code back into pixels, the way a camera would see it, so that a decoder can
 * read it: the SVG's module squares, or the terminal's half-block characters.
 */
import { jsQR } from '../../examples/phone/jsqr-entry.js';

/** A grey image as RGBA bytes (what jsQR reads), `scale` pixels per module. */
const toImage = (dark: readonly (readonly boolean[])[], scale: number): { data: Uint8ClampedArray; width: number; height: number } => {
  const rows = dark.length;
  const columns = Math.max(...dark.map((row) => row.length));
  const width = columns * scale;
  const height = rows * scale;
  const data = new Uint8ClampedArray(width * height * 4).fill(255);
  dark.forEach((row, y) => {
    row.forEach((isDark, x) => {
      if (!isDark) return;
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < scale; dx++) {
          const at = ((y * scale + dy) * width + x * scale + dx) * 4;
          data.fill(0, at, at + 3);
        }
      }
    });
  });
  return { data, width, height };
};

/** The dark modules of the SVG: every `M x,y h s v s h -s z` square of its black path. */
export const svgModules = (svg: string): boolean[][] => {
  const view = /viewBox="0 0 (\d+) (\d+)"/u.exec(svg);
  const squares = [...svg.matchAll(/M(\d+),(\d+)h(\d+)v\1?(\d+)h-\d+z/gu)];
  if (view === null || squares.length === 0) throw new Error('not an SVG of squares');
  const size = Number(squares[0]?.[3]);
  const modules = Number(view[1]) / size;
  const grid = Array.from({ length: modules }, () => Array.from({ length: modules }, () => false));
  for (const square of squares) {
    const row = grid[Number(square[2]) / size];
    if (row !== undefined) row[Number(square[1]) / size] = true;
  }
  return grid;
};

/**
 * The modules of the terminal drawing: each character is two modules, top and bottom. The
 * drawing is for a dark terminal, where a drawn half is light: a blank half is a dark module.
 */
export const terminalModules = (text: string): boolean[][] => {
  const top: Record<string, boolean> = { ' ': false, '▀': true, '▄': false, '█': true };
  const bottom: Record<string, boolean> = { ' ': false, '▀': false, '▄': true, '█': true };
  return text.split('\n').flatMap((line) => {
    const characters = Array.from(line);
    if (characters.some((character) => !(character in top))) throw new Error('an unexpected character in the terminal drawing');
    return [characters.map((character) => !top[character]), characters.map((character) => !bottom[character])];
  });
};

/** What a decoder reads from the modules, or undefined when it finds no QR code. */
export const decodeModules = (modules: readonly (readonly boolean[])[]): string | undefined => {
  const image = toImage(modules, 3);
  return jsQR(image.data, image.width, image.height, { inversionAttempts: 'dontInvert' })?.data;
};
