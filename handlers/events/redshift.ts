// Generated from the rule registry by `npm run docs`: do not edit.
// The event function for redshift.amazonaws.com events: the rules of the resource
// types those events name, in registry order (src/event-functions.ts).
import redshiftClusterAuditLogging from '../../remediations/redshift-cluster-audit-logging';
import redshiftClusterEncrypted from '../../remediations/redshift-cluster-encrypted';
import redshiftClusterPublicAccess from '../../remediations/redshift-cluster-public-access';
import redshiftClusterTlsEnforced from '../../remediations/redshift-cluster-tls-enforced';
import { createEventHandler } from '../../src/lambda-event-handler';

export const handler = createEventHandler([
  redshiftClusterPublicAccess,
  redshiftClusterAuditLogging,
  redshiftClusterEncrypted,
  redshiftClusterTlsEnforced,
]);
