// Generated from the rule registry by `npm run docs`: do not edit.
// The event function for apigateway.amazonaws.com events: the rules of the resource
// types those events name, in registry order (src/event-functions.ts).
import apigatewayStageAccessLogging from '../../remediations/apigateway-stage-access-logging';
import apigatewayStageCacheEncrypted from '../../remediations/apigateway-stage-cache-encrypted';
import { createEventHandler } from '../../src/lambda-event-handler';

export const handler = createEventHandler([apigatewayStageCacheEncrypted, apigatewayStageAccessLogging]);
