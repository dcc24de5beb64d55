import type { Rule } from './rule';

/**
 * The event path is one Lambda function per CloudTrail event source (s3, kms,
 * rds, …), not one for the whole catalogue: each bundle carries only its own
 * rules' SDK clients (one function with every control passed 860 KB and 150 ms
 * of module load), and each role holds only its own rules' permissions. The
 * split is derived from the registry, like the EventBridge patterns and IAM:
 * the stack (infra/stack-fragments.ts) and the generated entry points
 * (handlers/events/, written by `npm run docs`) both read it from here.
 */
export interface EventFunctionGroup {
  /** Short name used in the function, role and file names: `s3`, `elb`, `apigateway`. */
  key: string;
  /** The CloudTrail eventSource routed to it: `s3.amazonaws.com`. */
  eventSource: string;
  /**
   * The rules its bundle holds, in registry order: every rule of a resource type
   * one of its events names, because an event evaluates every rule of the
   * resource it names (a `PutBucketAcl` also re-checks encryption, logging, …).
   */
  rules: readonly Rule[];
}

/** Names longer than a role name can carry next to the stage and Region (IAM: 64 characters). */
const SHORT_KEYS: Record<string, string> = {
  elasticloadbalancing: 'elb',
  elasticmapreduce: 'emr',
};

export function eventFunctionKey(eventSource: string): string {
  const service = eventSource.replace(/\.amazonaws\.com$/, '');
  return SHORT_KEYS[service] ?? service.replace(/[^a-z0-9]+/g, '');
}

/** `s3` → `S3`, `apigateway` → `Apigateway`: for CloudFormation logical ids. */
export function pascalKey(key: string): string {
  return key.charAt(0).toUpperCase() + key.slice(1);
}

/** One group per event source any rule listens to, sorted by source. */
export function eventFunctionGroups(registry: readonly Rule[]): EventFunctionGroup[] {
  const sources = [...new Set(registry.flatMap((rule) => rule.triggers.map((t) => t.source)))].sort();
  return sources.map((eventSource) => {
    const types = new Set(
      registry
        .filter((rule) => rule.triggers.some((t) => t.source === eventSource))
        .map((rule) => rule.resourceType),
    );
    return {
      key: eventFunctionKey(eventSource),
      eventSource,
      rules: registry.filter((rule) => types.has(rule.resourceType)),
    };
  });
}

/** EventBridge `source` for a CloudTrail `eventSource` (`s3.amazonaws.com` → `aws.s3`). */
export function eventBridgeSource(eventSource: string): string {
  const service = eventSource.replace(/\.amazonaws\.com$/, '');
  const exceptions: Record<string, string> = { monitoring: 'aws.cloudwatch' };
  return exceptions[service] ?? `aws.${service}`;
}

/**
 * EventBridge source short name (`elasticloadbalancing`) → its event function's key
 * (`elb`): each names one rule `phiguard-<stage>-<short>` (src/own-event-rules.ts).
 */
export function eventRuleSources(registry: readonly Rule[]): Record<string, string> {
  return Object.fromEntries(
    eventFunctionGroups(registry).map(({ key, eventSource }) => [
      eventBridgeSource(eventSource).replace(/^aws\./, ''),
      key,
    ]),
  );
}
