export type { AgreementOutput } from './agreement-handler.js';
export { GrantApproverCommandCodec, grantApproverHandler } from './grant-approver.js';
export { RegisterServiceAgreementCommandCodec, registerServiceAgreementHandler } from './register-service-agreement.js';
export { RevokeApproverCommandCodec, revokeApproverHandler } from './revoke-approver.js';
