// Generated from the rule registry by `npm run docs`: do not edit.
// The event function for ec2.amazonaws.com events: the rules of the resource
// types those events name, in registry order (src/event-functions.ts).
import ebsEncryptionByDefault from '../../remediations/ebs-encryption-by-default';
import ebsSnapshotPublic from '../../remediations/ebs-snapshot-public';
import ebsVolumeEncrypted from '../../remediations/ebs-volume-encrypted';
import vpcFlowLogs from '../../remediations/vpc-flow-logs';
import { createEventHandler } from '../../src/lambda-event-handler';

export const handler = createEventHandler([
  vpcFlowLogs,
  ebsEncryptionByDefault,
  ebsSnapshotPublic,
  ebsVolumeEncrypted,
]);
