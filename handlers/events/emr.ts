// Generated from the rule registry by `npm run docs`: do not edit.
// The event function for elasticmapreduce.amazonaws.com events: the rules of the resource
// types those events name, in registry order (src/event-functions.ts).
import emrBlockPublicAccess from '../../remediations/emr-block-public-access';
import emrClusterEncryption from '../../remediations/emr-cluster-encryption';
import { createEventHandler } from '../../src/lambda-event-handler';

export const handler = createEventHandler([emrBlockPublicAccess, emrClusterEncryption]);
