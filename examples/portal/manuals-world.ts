/**
 * What the bank's back office has done before anybody opens the portal, so that the pages start
 * where both manuals start: the two companies configured (Occidente: quota 5, the admin confirms
 * assignments with a code and activates tokens; Internacional: quota 3, self-service, activation
 * by security question, lock after 5 wrong codes), VictorP1's hardware token imported, the PAGOS
 * service with 3 approval levels and its approvers, and three orders PedroR3 uploaded (the third
 * a duplicate by mistake). The bank's own screens are not part of this example.
 */
import * as E from 'fp-ts/lib/Either.js';
import { encodeBase32 } from '../../src/device/index.js';
import type { InMemoryDirectoryUser, Sdk } from '../../src/index.js';
import { INTERNACIONAL, internacionalPeople } from '../demo/internacional.js';
import { OCCIDENTE, occidentePeople } from '../demo/occidente.js';
import type { PortalPerson } from './server.js';

/** VictorP1's hardware token, disabled when his soft token becomes active. */
export const PHYSICAL_SERIAL = 'FEF4900032';

/** The bank operator of the sign-in list. */
export const BANK_ACTOR = 'bank:op-1';

/** The directory of both manuals. */
export const manualsPeople: readonly InMemoryDirectoryUser[] = [...occidentePeople, ...internacionalPeople];

/** The companies the bank's pages offer. */
export const manualsCompanies = [OCCIDENTE, INTERNACIONAL] as const;

/** The stand-in sign-in list: every person of the directory, then the bank. */
export const signInList: readonly PortalPerson[] = [
  ...manualsPeople.map((person) => ({
    actor: `user:${person.companyId}:${person.userId}`,
    label: `${person.displayName}${person.isCompanyAdmin ? ' (administrador)' : ''} · ${person.companyId}`,
    companyId: person.companyId,
    userId: person.userId,
    isCompanyAdmin: person.isCompanyAdmin,
  })),
  { actor: BANK_ACTOR, label: 'Operador del banco (op-1)' },
];

const payroll = { kind: 'file', reference: 'NOMINA_ENERO_2025.TXT', transactionCount: 120, total: '45250.00', currency: 'USD' } as const;

/** The back office's commands, in order. */
const setUp = (physicalSeed: Uint8Array): readonly (Readonly<Record<string, unknown>> & { readonly actor: unknown })[] => {
  const bank = { kind: 'bank', operatorId: 'op-1' };
  const pedro = { kind: 'user', companyId: OCCIDENTE, userId: 'pedror3' };
  const upload = { type: 'UploadOrder', companyId: OCCIDENTE, serviceId: 'PAGOS', actor: pedro };
  return [
    { type: 'ConfigureCompany', companyId: OCCIDENTE, quota: 5, policy: { assignmentConfirmation: 'admin-otp', activation: 'admin' }, actor: bank },
    { type: 'ImportPhysicalToken', companyId: OCCIDENTE, userId: 'victorp1', serial: PHYSICAL_SERIAL, seed: encodeBase32(physicalSeed), actor: bank },
    { type: 'ConfigureCompany', companyId: INTERNACIONAL, quota: 3, policy: { assignmentConfirmation: 'none', activation: 'security-question', maxFailures: 5 }, actor: bank },
    { type: 'RegisterServiceAgreement', companyId: OCCIDENTE, serviceId: 'PAGOS', approvalLevels: 3, actor: bank },
    ...([['victorp1', 1], ['pedror3', 1], ['luciag2', 2], ['adqd1', 3]] as const).map(([userId, level]) => ({ type: 'GrantApprover', companyId: OCCIDENTE, serviceId: 'PAGOS', userId, level, actor: bank })),
    { ...upload, orderId: 'ORD-0001', ...payroll },
    { ...upload, orderId: 'ORD-0002', kind: 'single', reference: 'FACTURA ACME 7781', total: '1200.00', currency: 'USD' },
    { ...upload, orderId: 'ORD-0003', ...payroll },
  ];
};

/** What the back office leaves for the people: the hardware token's seed, which its keyfob holds. */
export interface ManualsWorld {
  readonly physicalSeed: Uint8Array;
}

/** Runs the back office's commands; rejects with the SDK's message when one is refused. */
export const setUpManualsWorld = async (sdk: Sdk): Promise<ManualsWorld> => {
  const physicalSeed = globalThis.crypto.getRandomValues(new Uint8Array(20));
  const commands = setUp(physicalSeed);
  for (const [index, command] of commands.entries()) {
    const result = await sdk.dispatchJson({ ...command, commandId: `back-office-${String(index + 1)}` })();
    if (E.isLeft(result)) throw new Error(`the back office's step ${String(index + 1)} (${String(command['type'])}) was refused: ${result.left.message}`);
  }
  return { physicalSeed };
};
