/**
 * A QR code of a short text, drawn two ways: SVG for a page and Unicode half blocks for a
 * terminal. The encoding is uqr's (ISO/IEC 18004, byte mode); this file only fixes the choices
 * every QR of this library shares and turns the library's exceptions into an answer.
 */
import * as E from 'fp-ts/lib/Either.js';
import { renderSVG, renderUnicodeCompact } from 'uqr';

/** A QR code drawn for a page and for a terminal. */
export interface RenderedQr {
  /** What the QR code holds. */
  readonly text: string;
  /** A standalone `<svg>` element (black modules on white, a quiet zone of four modules). */
  readonly svg: string;
  /** The same code in Unicode half blocks, two modules a character row, for a terminal. */
  readonly terminal: string;
}

/** Why a QR code could not be drawn (the text is never repeated: it may be a secret). */
export interface QrRenderError {
  /** Tells this error from the others of a union. */
  readonly _tag: 'qr-render';
  /** What was wrong, for a log (never the text itself). */
  readonly detail: string;
}

/**
 * Error correction level M (15 % of the modules may be lost): a screen photographed at an angle
 * or a printout with a crease still scans, and a 100-character payload stays at version 5.
 */
const OPTIONS = { ecc: 'M', border: 4 } as const;

/** The longest text drawn: far above every payload here, far below a QR code's capacity. */
export const MAX_QR_TEXT_LENGTH = 1024;

/** Draws `text` as a QR code, for a page (SVG) and for a terminal. */
export const renderQr = (text: string): E.Either<QrRenderError, RenderedQr> => {
  if (text.length === 0 || text.length > MAX_QR_TEXT_LENGTH) return E.left({ _tag: 'qr-render', detail: `the text must have 1 to ${String(MAX_QR_TEXT_LENGTH)} characters` });
  return E.tryCatch(
    () => ({ text, svg: renderSVG(text, { ...OPTIONS, pixelSize: 8 }), terminal: renderUnicodeCompact(text, OPTIONS) }),
    (): QrRenderError => ({ _tag: 'qr-render', detail: 'the QR library could not encode the text' }),
  );
};
