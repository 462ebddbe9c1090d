import * as E from 'fp-ts/lib/Either.js';
import { pipe } from 'fp-ts/lib/function.js';
import { renderQr, type QrRenderError, type RenderedQr } from '../qr/render.js';
import type { ActivationProtocolError } from './errors.js';
import { formatActivationPayload, type ActivationPayload } from './payload.js';

/**
 * The activation QR code the portal shows its token's owner beside the serial and the activation
 * code: the activation payload, drawn as SVG and as terminal text. It holds the activation code,
 * so it is shown where the code is shown (to the owner, once) and never logged.
 */
export const activationQr = (payload: ActivationPayload): E.Either<ActivationProtocolError | QrRenderError, RenderedQr> =>
  pipe(formatActivationPayload(payload), E.chainW(renderQr));
