// The phone app, played in the browser by softtoken-sdk/device itself (its browser bundle):
// serial and activation code typed or scanned from the QR code's image (decoded here with jsQR),
// the registration code for the portal, then the current code with its countdown.
import { activateDevice, decodeBase32, encodeBase32, parseActivationPayload, restoreDeviceToken } from '/assets/softtoken-device.js';
import { jsQR } from '/assets/jsqr.js';

/** Where the demo keeps the token: localStorage, for the demonstration only (the page says so). */
const STORAGE_KEY = 'softtoken-demo-token';

const $ = (id) => document.getElementById(id);

/** Why the app refused something, in words, from the SDK's typed error. */
const FIELDS = { serial: 'el serial', activationCode: 'el código de activación', payload: 'el código QR', parameters: 'los parámetros del token' };
const explain = (error) => {
  const field = FIELDS[error.field] ?? error.field;
  switch (error._tag) {
    case 'check-digit': return `${field} tiene un error de escritura (su dígito de control no cuadra): revíselo`;
    case 'unsupported-version': return `este código QR es de una versión ${error.version} que la app no conoce: actualice la app`;
    case 'malformed': return `${field} no es válido: ${error.detail}`;
    default: return 'la activación no coincide';
  }
};

const showError = (text) => {
  $('error').textContent = text;
  $('error').hidden = text === '';
};

const save = (token, registrationCode) => {
  localStorage.setItem(STORAGE_KEY, JSON.stringify({ serial: token.serial, seed: encodeBase32(token.seed()), parameters: token.parameters, registrationCode }));
};

const load = () => {
  const text = localStorage.getItem(STORAGE_KEY);
  if (text === null) return undefined;
  try {
    const stored = JSON.parse(text);
    const seed = decodeBase32(stored.seed);
    if (seed._tag === 'Left') return undefined;
    const token = restoreDeviceToken({ serial: stored.serial, seed: seed.right, parameters: stored.parameters });
    return token._tag === 'Right' ? { token: token.right, registrationCode: stored.registrationCode } : undefined;
  } catch {
    return undefined;
  }
};

let ticker;
let parameters;

const showToken = ({ token, registrationCode }) => {
  $('activate').hidden = true;
  $('token').hidden = false;
  $('token-serial').textContent = token.serial;
  $('registration').hidden = registrationCode === undefined;
  $('registration-code').textContent = registrationCode ?? '';
  const period = token.parameters.period;
  $('countdown-bar').max = period;
  const tick = () => {
    const now = Date.now();
    $('current-code').textContent = token.code(now);
    const left = period - Math.floor(now / 1000) % period;
    $('countdown').textContent = `cambia en ${left} s`;
    $('countdown-bar').value = left;
  };
  tick();
  clearInterval(ticker);
  ticker = setInterval(tick, 500);
};

const showActivation = () => {
  clearInterval(ticker);
  $('token').hidden = true;
  $('activate').hidden = false;
};

/** Reads the QR code in an image: draws it on a canvas, hands the pixels to jsQR, reads the payload with the SDK. */
const scan = async (file) => {
  showError('');
  let bitmap;
  try {
    bitmap = await createImageBitmap(file);
  } catch {
    showError('No se pudo leer la imagen.');
    return;
  }
  const canvas = document.createElement('canvas');
  canvas.width = bitmap.width;
  canvas.height = bitmap.height;
  const context = canvas.getContext('2d', { willReadFrequently: true });
  context.drawImage(bitmap, 0, 0);
  const pixels = context.getImageData(0, 0, canvas.width, canvas.height);
  const found = jsQR(pixels.data, pixels.width, pixels.height);
  if (found === null) {
    showError('No se encontró un código QR en la imagen.');
    return;
  }
  const payload = parseActivationPayload(found.data);
  if (payload._tag === 'Left') {
    showError(`No se puede activar: ${explain(payload.left)}.`);
    return;
  }
  $('serial').value = payload.right.serial;
  $('activation-code').value = payload.right.activationCode;
  parameters = payload.right.otpParameters;
  $('activate-form').requestSubmit();
};

$('qr-image').addEventListener('change', (event) => {
  const [file] = event.target.files;
  if (file !== undefined) void scan(file);
});

$('activate-form').addEventListener('submit', (event) => {
  event.preventDefault();
  showError('');
  const activated = activateDevice({ serial: $('serial').value, activationCode: $('activation-code').value, ...(parameters === undefined ? {} : { parameters }) });
  if (activated._tag === 'Left') {
    showError(`No se puede activar: ${explain(activated.left)}.`);
    return;
  }
  save(activated.right.token, activated.right.registrationCode);
  showToken({ token: activated.right.token, registrationCode: activated.right.registrationCode });
});

$('forget').addEventListener('click', () => {
  localStorage.removeItem(STORAGE_KEY);
  parameters = undefined;
  showActivation();
});

const stored = load();
if (stored === undefined) showActivation();
else showToken(stored);
document.body.dataset.ready = 'phone';
