import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { renderQr, type QrRenderError, type RenderedQr } from '../qr/render.js';
import { formatKeyUri, type KeyUriError, type KeyUriInput } from './key-uri.js';

/**
 * An `otpauth://` Key URI as a QR code, for standard authenticator apps (plain TOTP enrolment).
 * The seed itself travels in this QR code: a host shows it only where a company's policy chose
 * plain TOTP enrolment explicitly (the activation protocol keeps the seed off the wire, and is
 * the default), shows it once, to the token's owner, and never stores or logs the result.
 */
export const keyUriQr = (input: KeyUriInput): E.Either<KeyUriError | QrRenderError, RenderedQr> => pipe(formatKeyUri(input), E.chainW(renderQr));
