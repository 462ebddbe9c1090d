/**
 * The portal of both manuals and the phone page, on the in-memory defaults:
 *
 *   npm run portal            then open http://127.0.0.1:8080/portal/ and http://127.0.0.1:8080/phone/
 *
 * The bank's back office has configured both companies, imported a hardware token and uploaded
 * three orders (`manuals-world.ts`); everything else happens in the pages. Sign-in is a stand-in:
 * the page lets you choose whom to act as.
 */
import * as E from 'fp-ts/lib/Either.js';
import { createSdk, inMemoryActivationCodeOutbox, inMemoryDirectory, keyUriQr } from '../../src/index.js';
import { manualsCompanies, manualsPeople, PHYSICAL_SERIAL, setUpManualsWorld, signInList } from './manuals-world.js';
import { demoAuthentication } from '../http/service.js';
import { startPortal } from './server.js';

const phone = inMemoryActivationCodeOutbox();
const sdk = createSdk({ directory: inMemoryDirectory(manualsPeople), activationCodeDelivery: phone });
const { physicalSeed } = await setUpManualsWorld(sdk);
const portal = await startPortal(sdk, {
  authenticate: demoAuthentication,
  phone,
  people: signInList,
  companies: manualsCompanies,
  host: process.env['HOST'] ?? '127.0.0.1',
  port: Number(process.env['PORT'] ?? '8080'),
});
// VictorP1 enrolls his phone with a code of his hardware token (the manual's 8.2): here is that
// keyfob as a Key URI QR code, for any authenticator app to play it. Demo only: a real hardware
// token's seed never leaves the bank's vault.
const keyfob = keyUriQr({ type: 'totp', issuer: 'Banco de Occidente', account: `VictorP1 ${PHYSICAL_SERIAL}`, secret: physicalSeed });
if (E.isRight(keyfob)) console.log(`VictorP1's hardware token ${PHYSICAL_SERIAL} (demo only), for an authenticator app:\n${keyfob.right.terminal}`);
console.log(`portal: ${portal.url}/portal/   phone: ${portal.url}/phone/   (in memory; Ctrl-C stops it)`);
