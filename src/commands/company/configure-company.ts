import * as E from 'fp-ts/lib/Either.js';
import * as TE from 'fp-ts/lib/TaskEither.js';
import { pipe } from 'fp-ts/lib/function.js';
import { actorFacts } from '../../domain/actor/actor-facts.js';
import type { CommandHandler } from '../command-handler.js';
import { companyDecider } from '../../domain/company/decide.js';
import { companyStreamId, decodeCompanyEvent } from '../../domain/company/events.js';
import type { CompanyPolicy } from '../../domain/company/policy.js';
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
  handle: (command, context) =>
    pipe(
      TE.Do,
      // A bank-side command: the directory knows nothing that decides it.
      TE.bind('actor', () => TE.right(actorFacts(command.actor, undefined))),
      TE.bind('company', () => loadCompany(context, command.companyId)),
      TE.bind('events', ({ actor, company }) =>
        TE.fromEither(
          companyDecider.decide(
            {
              type: 'ConfigureCompany',
              companyId: command.companyId,
              ...(command.quota === undefined ? {} : { quota: command.quota }),
              ...(command.policy === undefined ? {} : { policy: command.policy }),
            },
            company.state,
            { actor },
          ),
        ),
      ),
      TE.chainEitherK(({ company, events }) => {
        const configured = events[0];
        return configured?.type === 'CompanyConfigured'
          ? E.right({
              writes: [{ streamId: companyStreamId(command.companyId), expectedVersion: company.version, events }],
              output: { companyId: command.companyId, quota: configured.data.quota, policy: configured.data.policy },
            })
          : E.left(infrastructure('ConfigureCompany decided no configuration'));
      }),
    ),
  outcomeOf: (events, command) => {
    for (const stored of events) {
      const event = decodeCompanyEvent(stored);
      if (event?.type === 'CompanyConfigured') return E.right({ companyId: command.companyId, quota: event.data.quota, policy: event.data.policy });
    }
    return E.left(infrastructure('the recorded events do not tell this command\'s outcome'));
  },
});
