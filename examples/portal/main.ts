/**
 * The portal of both manuals and the phone page, on the in-memory defaults:
 *
 *   npm run portal            then open http://127.0.0.1:8080/portal/ and http://127.0.0.1:8080/phone/
 *
 * The bank's back office has configured both companies, imported a hardware token and uploaded
 * three orders (`manuals-world.ts`); everything else happens in the pages. Sign-in is a stand-in:
 * the page lets you choose whom to act as.
 */
import { createSdk, inMemoryActivationCodeOutbox, inMemoryDirectory } from '../../src/index.js';
import { manualsCompanies, manualsPeople, setUpManualsWorld, signInList } from './manuals-world.js';
import { demoAuthentication } from '../http/service.js';
import { startPortal } from './server.js';

const phone = inMemoryActivationCodeOutbox();
const sdk = createSdk({ directory: inMemoryDirectory(manualsPeople), activationCodeDelivery: phone });
await setUpManualsWorld(sdk);
const portal = await startPortal(sdk, {
  authenticate: demoAuthentication,
  phone,
  people: signInList,
  companies: manualsCompanies,
  host: process.env['HOST'] ?? '127.0.0.1',
  port: Number(process.env['PORT'] ?? '8080'),
});
console.log(`portal: ${portal.url}/portal/   phone: ${portal.url}/phone/   (in memory; Ctrl-C stops it)`);
