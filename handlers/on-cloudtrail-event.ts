import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createLambdaEngine } from '../src/lambda-engine';
import { createLambdaLogger } from '../src/logger';
import { processEvent } from '../src/process-event';

/**
 * EventBridge → this function, one CloudTrail management event per invocation.
 * Configuration is read at init: a bad setting fails the cold start loudly
 * instead of silently mis-handling events. A malformed event or a failed
 * remediation throws, so Lambda retries it and then sends it to the DLQ.
 */
const logger = createLambdaLogger();
const engine = createLambdaEngine(logger);

export async function onCloudTrailEvent(event: unknown, _context?: Context) {
  const report = await processEvent(engine, event);
  return {
    eventId: report.eventId,
    skipped: report.skipped,
    outcomes: report.outcomes.map(({ rule, resource, status, reason }) => ({
      rule,
      resource,
      status,
      reason,
    })),
  };
}

export const handler = middy(onCloudTrailEvent).use(injectLambdaContext(logger));
