import type { CloudTrailRecord } from './cloudtrail-event';
import type { PhiNames } from './phi-names';
import type { PlannedAction } from './planned-action';
import type {
  ResourceContext,
  ResourcePage,
  ResourceSelection,
  ResourceType,
} from './resources/resource-type';
import type { SettingDeclarations, SettingValues } from './rule-settings';

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

/** A rule's view of where it runs: its resource's context, and its own resolved settings. */
export interface RuleContext<S = Readonly<Record<string, unknown>>> extends ResourceContext {
  settings: S;
  /** What of PHI a resource's name looks like to contain (src/phi-names.ts). */
  phiNames: Pick<PhiNames, 'match'>;
}

/**
 * How the engine confirms a fix that takes time to show (an RDS modification, a
 * Redshift cluster change): it waits up to `timeoutSeconds` — with `waitFor` (an
 * SDK waiter such as `waitUntilDBInstanceAvailable`) or by reading the resource
 * again every `intervalSeconds` — and if the change is still not visible then,
 * reports `pending`: the change was accepted, and the next event or sweep
 * confirms it. Never `error`, which would retry and dead-letter a fix under way.
 */
export interface Settle {
  timeoutSeconds: number;
  intervalSeconds?: number;
  waitFor?: (ctx: ResourceContext, timeoutSeconds: number) => Promise<void>;
}

export type Plan =
  /** Idempotent calls that make the resource compliant, merged with what exists. */
  | { kind: 'fix'; actions: PlannedAction[]; settle?: Settle }
  /** No safe automatic fix: a person must act. `reason` says why, without content. */
  | { kind: 'ticket'; reason: string }
  /**
   * A fix exists but the resource cannot take it yet (a database still being
   * created refuses every modification for its first minutes). Reported `pending`
   * with `reason` and no actions: the pair stays open in the registry and the next
   * event or sweep makes the fix (and tells people). Never `error`: retrying the
   * event within minutes would meet the same state and end in the dead-letter queue.
   */
  | { kind: 'defer'; reason: string };

/**
 * What `check` saw. `findings` are short, content-free sentences ("Block Public
 * Access setting BlockPublicAcls is off"); `summary` is the handful of settings
 * that matter (flags, algorithms, action types), safe to log and record. A
 * resource that no longer exists is `gone` (or its reads throw ResourceGoneError).
 */
export type CheckResult<Observed> =
  | {
      state: 'compliant' | 'non-compliant';
      findings: string[];
      observed: Observed;
      summary: Record<string, unknown>;
    }
  | { state: 'gone' };

/** What a rule file declares: one HIPAA control on one resource type. */
export interface RuleDefinition<Observed, S extends SettingDeclarations> {
  /** kebab-case, equal to the file name in `remediations/`. */
  id: string;
  title: string;
  severity: Severity;
  safeguards: readonly Safeguard[];
  /** What the fix does, in a line for people (`phiguard rules`, the README's rules table); `ticket` when none is safe. */
  fix: string;
  /** The resource type it guards: its listing, ids from records, tags and console link. */
  resource: ResourceType;
  triggers: readonly Trigger[];
  /** Settings the fix needs, declared here and nowhere else. */
  settings?: S;
  /** Settings that are each valid but wrong together: the message of the ConfigError, else undefined. */
  checkSettings?(values: SettingValues<S>): string | undefined;
  /** IAM actions of `check` and of the fix, beyond the resource type's own reads. */
  permissions: {
    read: readonly string[];
    write: readonly string[];
    /** Service principals the fix hands an IAM role to (`iam:PassRole` is granted for these alone). */
    passRole?: readonly string[];
  };
  /** Reads LIVE state. A missing resource is `{ state: 'gone' }` or a ResourceGoneError. */
  check(arn: string, ctx: RuleContext<SettingValues<S>>): Promise<CheckResult<Observed>>;
  /**
   * Optional: loads what `check` will read for all of `arns` (a sweep page) into
   * `ctx.reads` in as few calls as the API allows, beyond the resource type's own
   * prefetch. Best effort: what it could not load, `check` reads on its own.
   */
  prefetch?(arns: readonly string[], ctx: RuleContext<SettingValues<S>>): Promise<void>;
  /** The idempotent calls that would fix what `check` observed, or a ticket. Pure. */
  plan(arn: string, observed: Observed, ctx: RuleContext<SettingValues<S>>): Plan;
}

/**
 * A rule as the engine sees it: the definition, with what its resource type
 * provides and its permissions complete (the type's reads included).
 */
export interface Rule<Observed = unknown> {
  readonly id: string;
  readonly title: string;
  readonly severity: Severity;
  readonly safeguards: readonly Safeguard[];
  readonly fix: string;
  readonly resource: ResourceType;
  /** `resource.type`, the sweep's shard key. */
  readonly resourceType: string;
  readonly triggers: readonly Trigger[];
  readonly settings: SettingDeclarations;
  readonly permissions: {
    readonly read: readonly string[];
    readonly write: readonly string[];
    readonly passRole: readonly string[];
  };
  checkSettings?(values: Readonly<Record<string, unknown>>): string | undefined;
  resourceIds(record: CloudTrailRecord): ResourceSelection;
  listPage(ctx: ResourceContext, token?: string): Promise<ResourcePage>;
  consoleUrl(arn: string, region: string): string | undefined;
  check(arn: string, ctx: RuleContext): Promise<CheckResult<Observed>>;
  prefetch?(arns: readonly string[], ctx: RuleContext): Promise<void>;
  plan(arn: string, observed: Observed, ctx: RuleContext): Plan;
}

const union = (...lists: (readonly string[])[]) => [...new Set(lists.flat())];

/** Builds a rule from its definition; the registry stores it as `Rule<unknown>`. */
export function defineRule<Observed, S extends SettingDeclarations = Record<never, never>>(
  definition: RuleDefinition<Observed, S>,
): Rule<Observed> {
  const { resource } = definition;
  return {
    id: definition.id,
    title: definition.title,
    severity: definition.severity,
    safeguards: definition.safeguards,
    fix: definition.fix,
    resource,
    resourceType: resource.type,
    triggers: definition.triggers,
    settings: definition.settings ?? {},
    permissions: {
      read: union(resource.permissions.read, definition.permissions.read),
      write: union(definition.permissions.write),
      passRole: union(definition.permissions.passRole ?? []),
    },
    ...(definition.checkSettings ? { checkSettings: definition.checkSettings as Rule['checkSettings'] } : {}),
    resourceIds: (record) => resource.resourceIds(record),
    listPage: (ctx, token) => resource.listPage(ctx, token),
    consoleUrl: (arn, region) => resource.consoleUrl(arn, region),
    check: definition.check as Rule<Observed>['check'],
    ...(definition.prefetch ? { prefetch: definition.prefetch as Rule['prefetch'] } : {}),
    plan: definition.plan as Rule<Observed>['plan'],
  };
}
