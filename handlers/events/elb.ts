// Generated from the rule registry by `npm run docs`: do not edit.
// The event function for elasticloadbalancing.amazonaws.com events: the rules of the resource
// types those events name, in registry order (src/event-functions.ts).
import classicElbAccessLogging from '../../remediations/classic-elb-access-logging';
import classicElbListenerPlaintext from '../../remediations/classic-elb-listener-plaintext';
import elbAccessLogging from '../../remediations/elb-access-logging';
import elbListenerPlaintext from '../../remediations/elb-listener-plaintext';
import { createEventHandler } from '../../src/lambda-event-handler';

export const handler = createEventHandler([
  elbListenerPlaintext,
  elbAccessLogging,
  classicElbListenerPlaintext,
  classicElbAccessLogging,
]);
