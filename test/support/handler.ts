import type { Context } from 'aws-lambda';
import { vi } from 'vitest';
import { rules } from '../../remediations';
import { eventFunctionGroups } from '../../src/event-functions';
import { useMoto } from './moto';

/** A Lambda context as the runtime passes it (what injectLambdaContext reads). */
export const lambdaContext = {
  functionName: 'phiguard-test-on-cloudtrail-event',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:phiguard-test-on-cloudtrail-event',
  memoryLimitInMB: '512',
  awsRequestId: 'test-request',
  logGroupName: '/aws/lambda/phiguard-test',
  logStreamName: 'test',
  getRemainingTimeInMillis: () => 60_000,
} as unknown as Context;

export type HandlerResult = {
  outcomes: { rule: string; resource: string; status: string; reason?: string }[];
};
export type Handler = (event: unknown, context: Context) => Promise<HandlerResult>;

/**
 * Imports the deployed handler module afresh with `env` applied, as a cold start
 * would: configuration is read at import, so each variant is its own instance.
 */
/** A cold start: fresh module instances, and the environment the function would have. */
function coldStart(env: Record<string, string | undefined>): void {
  vi.resetModules();
  for (const [key, value] of Object.entries(env)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
}

/**
 * The deployed event functions (handlers/events/, one per event source), cold
 * started with `env`, behind the routing EventBridge does: each event goes to the
 * function of its `detail.eventSource`. An event no pattern would match (a
 * malformed one) goes to the S3 function, so bad input still meets a deployed
 * handler's parsing.
 */
export async function loadHandler(env: Record<string, string | undefined>): Promise<Handler> {
  coldStart(env);
  const handlers = new Map<string, Handler>();
  for (const { key, eventSource } of eventFunctionGroups(rules)) {
    const module = await import(`../../handlers/events/${key}.ts`);
    handlers.set(eventSource, module.handler as unknown as Handler);
  }
  return (event, context) => {
    const detail = (event as { detail?: { eventSource?: unknown } } | null)?.detail;
    const routed = typeof detail?.eventSource === 'string' ? handlers.get(detail.eventSource) : undefined;
    return (routed ?? (handlers.get('s3.amazonaws.com') as Handler))(event, context);
  };
}

export type NotifierHandler = (
  event: { Records: { messageId: string; body: string }[] },
  context: Context,
) => Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;

/** Imports the deployed notifier handler afresh (configuration and secrets are read at import). */
export async function loadNotifierHandler(env: Record<string, string | undefined>): Promise<NotifierHandler> {
  coldStart(env);
  const module = await import('../../handlers/notifier');
  return module.handler as unknown as NotifierHandler;
}

/**
 * The deployed event functions against the emulator, applying fixes (dry-run off),
 * with `table` as their registry, the registry's rule modes, and quiet logs.
 */
export function loadEmulatorHandler(table: string, env: Record<string, string | undefined> = {}) {
  return loadHandler({
    ...useMoto(),
    PHIGUARD_LEDGER_TABLE: table,
    PHIGUARD_DRY_RUN: 'false',
    PHIGUARD_RULE_MODES: undefined,
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    ...env,
  });
}
