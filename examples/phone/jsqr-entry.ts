/**
 * jsQR re-exported as an ES module's named export, for the phone page's bundle (and the tests).
 * jsQR is CommonJS: under NodeNext its default import is the exports object, bundled the function.
 */
import jsQRImport from 'jsqr';

type Decode = typeof jsQRImport.default;
const loaded: unknown = jsQRImport;

/** Finds and decodes a QR code in RGBA pixels. */
export const jsQR = (typeof loaded === 'function' ? loaded : jsQRImport.default) as Decode;
