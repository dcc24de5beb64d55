import type { AwsClients } from './aws-clients';
import type { CloudTrailRecord } from './cloudtrail-event';
import type { ReadCache } from './read-cache';

/** 45 CFR 164 citations, written the way the regulation numbers them. */
export type Safeguard = `164.${string}`;

export type Severity = 'critical' | 'high' | 'medium' | 'low';

/** What the engine may do about a non-compliant resource of one rule. */
export const RULE_MODES = ['remediate', 'ticket', 'notify', 'off'] as const;
export type RuleMode = (typeof RULE_MODES)[number];

export interface Trigger {
  /** CloudTrail `eventSource`, e.g. `s3.amazonaws.com`. */
  source: string;
  /** CloudTrail `eventName`s that can introduce the drift. */
  events: readonly string[];
}

/**
 * Settings a rule may need to build its fix. The engine reads them from the
 * configuration; rules never read the environment themselves.
 */
export interface RuleSettings {
  /** KMS key for S3 default encryption; undefined means the AWS-managed `aws/s3` key. */
  s3KmsKeyId?: string;
  /** Where new VPC flow logs deliver: an S3 bucket ARN or a CloudWatch Logs group ARN. */
  flowLogsDestination?: string;
  /** IAM role the flow-logs service assumes to write to CloudWatch Logs. */
  flowLogsDeliveryRoleArn?: string;
}

export interface RuleContext {
  region: string;
  accountId: string;
  partition: string;
  clients: AwsClients;
  settings: RuleSettings;
  /** Reads shared by the rules looking at the same resource; invalidated after a fix. */
  reads: ReadCache;
  /** Page size for `listPage` (a sweep setting); each rule keeps to its API's limits. */
  pageSize?: number;
}

/** One AWS API call a plan would make. */
export interface PlannedAction {
  /** AWS service, as in the IAM prefix (`s3`, `ec2`, `elasticloadbalancing`). */
  service: string;
  /** The operation name, e.g. `PutPublicAccessBlock`. */
  api: string;
  /**
   * The call's parameters as shown to people. Content that could carry PHI (a
   * policy document) is summarised here; the exact payload lives in `run`.
   */
  params: Record<string, unknown>;
  /** Performs the call. Only the engine invokes it, and never in dry-run. */
  run: (ctx: RuleContext) => Promise<unknown>;
}

export type Plan =
  /** Idempotent calls that make the resource compliant, merged with what exists. */
  | { kind: 'fix'; actions: PlannedAction[] }
  /** No safe automatic fix: a person must act. `reason` says why, without content. */
  | { kind: 'ticket'; reason: string };

/**
 * What `check` saw. `findings` are short, content-free sentences ("Block Public
 * Access setting BlockPublicAcls is off"); `summary` is the handful of settings
 * that matter (flags, algorithms, action types), safe to log and record.
 */
export type CheckResult<Observed> =
  | {
      state: 'compliant' | 'non-compliant';
      findings: string[];
      observed: Observed;
      summary: Record<string, unknown>;
      /**
       * The resource's tags, read only to decide exemption of a non-compliant
       * resource (so a compliant one costs no tag read); never logged.
       */
      tags: () => Promise<Record<string, string>>;
    }
  | { state: 'gone' };

/**
 * Resource selector returned by `resourceIds`: a list of ARNs, or "every resource
 * of this rule in the event's region" when the record cannot name them (a deleted
 * flow log can no longer be traced back to its VPC).
 */
export type ResourceSelection = string[] | { all: true; because: string };

export interface ResourcePage {
  arns: string[];
  next?: string;
}

/** Every resource of a rule in the context's region, page after page. */
export async function listAll(rule: Pick<Rule, 'listPage'>, ctx: RuleContext): Promise<string[]> {
  const arns: string[] = [];
  let token: string | undefined;
  do {
    const page = await rule.listPage(ctx, token);
    arns.push(...page.arns);
    token = page.next;
  } while (token);
  return arns;
}

export interface Rule<Observed = unknown> {
  /** kebab-case, equal to the file name in `remediations/`. */
  id: string;
  title: string;
  severity: Severity;
  safeguards: readonly Safeguard[];
  /**
   * The CloudFormation type of the resources it guards (`AWS::S3::Bucket`). Rules
   * of one type share a sweep shard: one listing, and one read of each setting.
   */
  resourceType: string;
  triggers: readonly Trigger[];
  /** Resource ARNs this CloudTrail record touched, for this rule. Pure; no AWS calls. */
  resourceIds(record: CloudTrailRecord): ResourceSelection;
  /**
   * One page of this rule's resources in `ctx.region` (ARNs), from the service's
   * own pagination; `next` resumes the listing (a sweep shard can stop and go on later).
   */
  listPage(ctx: RuleContext, token?: string): Promise<ResourcePage>;
  /** Reads LIVE state. Must not throw for a missing resource: return `{ state: 'gone' }`. */
  check(arn: string, ctx: RuleContext): Promise<CheckResult<Observed>>;
  /**
   * Optional: when the service can describe many resources in one call, loads what
   * `check` will read for all of `arns` (a sweep page, every VPC of a DeleteFlowLogs
   * event) into `ctx.reads`, in as few calls as the API allows. Best effort: what it
   * could not load, `check` reads on its own (and a failure here is not reported).
   */
  prefetch?(arns: readonly string[], ctx: RuleContext): Promise<void>;
  /** The idempotent calls that would fix what `check` observed, or a ticket. */
  plan(arn: string, observed: Observed, ctx: RuleContext): Plan;
  /** IAM actions, split so that a read-only deployment can be generated. */
  permissions: { read: readonly string[]; write: readonly string[] };
  /** Where a person looks at the resource in the AWS console (for notifications and tickets). */
  consoleUrl?(arn: string, region: string): string | undefined;
}

/**
 * Identity helper so rule files get full type inference for `Observed` while the
 * registry stores them as `Rule<unknown>`.
 */
export function defineRule<Observed>(rule: Rule<Observed>): Rule<Observed> {
  return rule;
}
