// Generated from the rule registry by `npm run docs`: do not edit.
// The event function for kms.amazonaws.com events: the rules of the resource
// types those events name, in registry order (src/event-functions.ts).
import kmsKeyDeletionScheduled from '../../remediations/kms-key-deletion-scheduled';
import kmsKeyDisabled from '../../remediations/kms-key-disabled';
import kmsKeyRotation from '../../remediations/kms-key-rotation';
import { createEventHandler } from '../../src/lambda-event-handler';

export const handler = createEventHandler([kmsKeyDeletionScheduled, kmsKeyDisabled, kmsKeyRotation]);
