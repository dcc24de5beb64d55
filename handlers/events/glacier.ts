// Generated from the rule registry by `npm run docs`: do not edit.
// The event function for glacier.amazonaws.com events: the rules of the resource
// types those events name, in registry order (src/event-functions.ts).
import glacierVaultNamePhi from '../../remediations/glacier-vault-name-phi';
import glacierVaultPolicyPublic from '../../remediations/glacier-vault-policy-public';
import { createEventHandler } from '../../src/lambda-event-handler';

export const handler = createEventHandler([glacierVaultPolicyPublic, glacierVaultNamePhi]);
