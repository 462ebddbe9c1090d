export type { AgreementOutput } from './agreement-handler.js';
export { grantApproverHandler } from './grant-approver.js';
export { GrantApproverCommandCodec } from '../../domain/agreement/commands.js';
export { registerServiceAgreementHandler } from './register-service-agreement.js';
export { RegisterServiceAgreementCommandCodec } from '../../domain/agreement/commands.js';
export { revokeApproverHandler } from './revoke-approver.js';
export { RevokeApproverCommandCodec } from '../../domain/agreement/commands.js';
