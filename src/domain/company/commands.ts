import type * as t from 'io-ts';
import { commandCodec } from '../../events/command-envelope.js';
import { EntityIdCodec } from '../../events/codecs.js';
import { CompanyPolicyPatchCodec, QuotaCodec } from './policy.js';

/** `ConfigureCompany`: bank side. `quota` is required the first time; omitted policy settings keep their value. */
export const ConfigureCompanyCodec = commandCodec('ConfigureCompany', { companyId: EntityIdCodec }, { quota: QuotaCodec, policy: CompanyPolicyPatchCodec });

/** The decoded command. */
export type ConfigureCompanyCommand = t.TypeOf<typeof ConfigureCompanyCodec>;
