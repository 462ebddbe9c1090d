import type * as t from 'io-ts';
import { GrantApproverCommandCodec } from '../../domain/agreement/commands.js';
import type { Directory } from '../../ports/directory.js';
import type { CommandHandler } from '../command-handler.js';
import type { AgreementOutput } from './agreement-handler.js';
import { agreementHandler } from './agreement-handler.js';

/** `GrantApprover`: the bank lets an active user of the company approve one level of a service. */
export const grantApproverHandler = (directory: Directory): CommandHandler<t.TypeOf<typeof GrantApproverCommandCodec>, AgreementOutput> =>
  agreementHandler(directory, 'GrantApprover', GrantApproverCommandCodec);
