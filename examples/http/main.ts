/**
 * The example service on the in-memory defaults: `npx tsx examples/http/main.ts`, then e.g.
 *
 *   curl -s -X POST localhost:8080/commands -H 'content-type: application/json' -H 'x-demo-actor: bank:op-1' \
 *     -d '{"type":"ConfigureCompany","commandId":"c-1","companyId":"occidente-co","quota":5}'
 *   curl -s localhost:8080/companies/occidente-co/tokens -H 'x-demo-actor: user:occidente-co:adqd1'
 *
 * The directory holds the demo's people; a real host implements the Directory port over its own
 * user systems, and replaces `demoAuthentication` with its sign-in. An activation code an admin
 * issues goes to an in-memory outbox that stands in for the owner's phone (the owner reads it at
 * `GET /phone/activation-codes/<serial>`); a real host implements `ActivationCodeDelivery` over
 * its SMS, e-mail or app channel.
 */
import { createSdk, inMemoryActivationCodeOutbox, inMemoryDirectory } from '../../src/index.js';
import { internacionalPeople } from '../demo/internacional.js';
import { occidentePeople } from '../demo/occidente.js';
import { demoAuthentication, startService } from './service.js';

const phone = inMemoryActivationCodeOutbox();
const sdk = createSdk({ directory: inMemoryDirectory([...occidentePeople, ...internacionalPeople]), activationCodeDelivery: phone });
const service = await startService(sdk, { authenticate: demoAuthentication, phone, port: Number(process.env['PORT'] ?? '8080') });
console.log(`softtoken-sdk example service on ${service.url} (in memory; Ctrl-C stops it)`);
