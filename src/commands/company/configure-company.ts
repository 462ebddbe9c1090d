import * as E from 'fp-ts/lib/Either.js';
import type { CommandHandler } from '../command-handler.js';
import { decideConfigureCompany } from '../../domain/company/decide.js';
import { companyStreamId, decodeCompanyEvent } from '../../domain/company/events.js';
import type { CompanyPolicy } from '../../domain/company/policy.js';
import { authorize } from '../../domain/token/authorize.js';
import { infrastructure } from '../../errors/sdk-error.js';
import { ConfigureCompanyCodec, type ConfigureCompanyCommand } from '../../domain/company/commands.js';
import { loadCompany } from '../token/context.js';

/** What ConfigureCompany returns: the company's configuration as it now stands. */
export interface ConfigureCompanyOutput {
  readonly companyId: string;
  readonly quota: number;
  readonly policy: CompanyPolicy;
}

/** ConfigureCompany: the bank sets a company's soft-token quota and policy. */
export const configureCompanyHandler = (): CommandHandler<ConfigureCompanyCommand, ConfigureCompanyOutput> => ({
  type: 'ConfigureCompany',
  codec: ConfigureCompanyCodec,
  handle: (command, context) => async () => {
    const company = await loadCompany(context, command.companyId);
    if (E.isLeft(company)) return company;
    const allowed = authorize('ConfigureCompany', { bank: command.actor.kind === 'bank', admin: false, owner: false }, company.right.state.policy);
    if (E.isLeft(allowed)) return allowed;
    const events = decideConfigureCompany(company.right.state, {
      ...(command.quota === undefined ? {} : { quota: command.quota }),
      ...(command.policy === undefined ? {} : { policy: command.policy }),
    });
    if (E.isLeft(events)) return events;
    const configured = events.right[0];
    if (configured?.type !== 'CompanyConfigured') return E.left(infrastructure('ConfigureCompany decided no configuration'));
    return E.right({
      writes: [{ streamId: companyStreamId(command.companyId), expectedVersion: company.right.version, events: events.right }],
      output: { companyId: command.companyId, quota: configured.data.quota, policy: configured.data.policy },
    });
  },
  outcomeOf: (events, command) => {
    for (const stored of events) {
      const event = decodeCompanyEvent(stored);
      if (event?.type === 'CompanyConfigured') return E.right({ companyId: command.companyId, quota: event.data.quota, policy: event.data.policy });
    }
    return E.left(infrastructure('the recorded events do not tell this command\'s outcome'));
  },
});
