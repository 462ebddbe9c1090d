/**
 * The command each order or agreement event stands for, for the audit trail (the audit projection
 * names a command by its events). The fingerprint index events are side effects of another command's
 * events and name nothing.
 */
export const orderAuditActions: Readonly<Record<string, string>> = Object.freeze({
  ServiceAgreementRegistered: 'RegisterServiceAgreement',
  ApprovalLevelsChanged: 'RegisterServiceAgreement',
  ApprovalFactorChanged: 'RegisterServiceAgreement',
  ApproverGranted: 'GrantApprover',
  ApproverRevoked: 'RevokeApprover',
  OrderUploaded: 'UploadOrder',
  OrderLevelApproved: 'ApproveOrders',
  OrderApproved: 'ApproveOrders',
  OrderDeleted: 'DeleteOrder',
  OrderRevoked: 'RevokeOrders',
  OrderExecuted: 'MarkOrderExecuted',
});
