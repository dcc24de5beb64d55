// Generated from the rule registry by `npm run docs`: do not edit.
// The event function for snowball.amazonaws.com events: the rules of the resource
// types those events name, in registry order (src/event-functions.ts).
import snowballImportJobKms from '../../remediations/snowball-import-job-kms';
import { createEventHandler } from '../../src/lambda-event-handler';

export const handler = createEventHandler([snowballImportJobKms]);
