import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { Context } from 'aws-lambda';
import { createLambdaEngine } from './lambda-engine';
import { createLambdaLogger } from './logger';
import { processEvent } from './process-event';
import { createRegistry } from './registry';
import type { Rule } from './rule';

/**
 * EventBridge → an event function, one CloudTrail management event per
 * invocation. Each event source has its own function (src/event-functions.ts),
 * whose generated entry point in handlers/events/ passes its rules here.
 * Configuration is read at init: a bad setting fails the cold start loudly
 * instead of silently mis-handling events. A malformed event or a failed
 * remediation throws, so Lambda retries it and then sends it to the DLQ.
 */
export function createEventHandler(rules: readonly Rule[]) {
  const logger = createLambdaLogger();
  const engine = createLambdaEngine(logger, createRegistry(rules), true);

  async function onCloudTrailEvent(event: unknown, _context?: Context) {
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

  return middy(onCloudTrailEvent).use(injectLambdaContext(logger));
}
