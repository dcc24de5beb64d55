// Generated from the rule registry by `npm run docs`: do not edit.
// The event function for events.amazonaws.com events: the rules of the resource
// types those events name, in registry order (src/event-functions.ts).
import phiguardEventRule from '../../remediations/phiguard-event-rule';
import { createEventHandler } from '../../src/lambda-event-handler';

export const handler = createEventHandler([phiguardEventRule]);
