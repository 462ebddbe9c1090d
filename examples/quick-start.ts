import * as E from 'fp-ts/lib/Either.js';
import { createSdk, inMemoryDirectory, type Actor, type CommandOf, type CommandType, type OutputOf } from '../src/index.js';
import { activateDevice } from '../src/device/index.js';

// Your bank's user directory goes here (the Directory port); every other port defaults to memory.
const directory = inMemoryDirectory([
  { companyId: 'acme', userId: 'ana', displayName: 'Ana Gómez', active: true, isCompanyAdmin: false, email: 'ana@acme.example', mobile: '+57 300 555 0100', securityAnswer: 'Quito' },
]);
const sdk = createSdk({ directory });
const bank: Actor = { kind: 'bank', operatorId: 'op-1' };
const ana: Actor = { kind: 'user', companyId: 'acme', userId: 'ana' }; // authenticated by your host

const by = (actor: Actor) => ({ commandId: crypto.randomUUID(), actor });
// Commands are typed: a misspelt field is a compile error, and each output has its command's type.
const send = async <T extends CommandType>(command: CommandOf<T>): Promise<OutputOf<T>> => {
  const result = await sdk.dispatch(command)();
  if (E.isLeft(result)) throw new Error(`${command.type}: ${result.left.code} ${result.left.message}`);
  return result.right.output;
};

await send({ ...by(bank), type: 'ConfigureCompany', companyId: 'acme', quota: 10, policy: { assignmentConfirmation: 'none', activation: 'security-question' } });
const token = await send({ ...by(ana), type: 'RequestTokenAssignment' });
// Ana's phone app (softtoken-sdk/device): serial + activation code in, registration code out.
const app = activateDevice({ serial: token.serial, activationCode: token.activation?.activationCode });
if (E.isLeft(app)) throw new Error(app.left._tag);
await send({ ...by(ana), type: 'EnrollDevice', serial: token.serial, registrationCode: app.right.registrationCode });
await send({ ...by(ana), type: 'ActivateToken', serial: token.serial, securityAnswer: 'quito' });
await send({ ...by(ana), type: 'VerifyOtp', otp: app.right.token.code() }); // a step-up check: a code from the app

const table = await sdk.views.tokenTable('acme')();
if (E.isRight(table)) console.log(table.right.rows.map((row) => `${row.userName} ${row.serial} ${row.status}`), table.right.summary);
