import type { AwsClientSpec, AwsClients, SdkClient } from '../aws-clients';
import type { CloudTrailRecord } from '../cloudtrail-event';
import type { ReadCache } from '../read-cache';

/** Where resources are read: one region of one account, its clients, and the reads shared by its rules. */
export interface ResourceContext {
  region: string;
  accountId: string;
  partition: string;
  clients: AwsClients;
  /** Reads shared by the rules looking at the same resource; invalidated after a fix. */
  reads: ReadCache;
  /** Page size for `listPage` (a sweep setting); each type keeps to its API's limits. */
  pageSize?: number;
}

/**
 * The resources a CloudTrail record names: a list of ARNs; or "every resource of
 * this type in the event's region" when the record cannot name them (a deleted flow
 * log can no longer be traced back to its VPC); or a read that finds them when the
 * record names related resources instead (RunInstances names instances, not their
 * volumes).
 */
export type ResourceSelection =
  | string[]
  | { all: true; because: string }
  | { lookup: (ctx: ResourceContext) => Promise<string[]>; because: string };

export interface ResourcePage {
  arns: string[];
  next?: string;
}

/**
 * Everything PHI Guard knows about one kind of AWS resource, so that rules only
 * judge (`check`) and act (`plan`): the service client, the ARN shape, which
 * resources a CloudTrail record names, how to list them for the sweep, their tags
 * and console link, and the IAM read actions all of that needs. Learnt from Cloud
 * Custodian's `resource_type`; one module per type under `src/resources/<service>/`.
 */
export interface ResourceType {
  /**
   * The CloudFormation type (`AWS::S3::Bucket`). Rules of one type share a sweep
   * shard: one listing, and one read of each setting.
   */
  readonly type: string;
  /** The service client the type is read (and fixed) through. */
  readonly client: AwsClientSpec<SdkClient>;
  /** IAM actions of the reads below (listing, tags, shared descriptions). */
  readonly permissions: { readonly read: readonly string[] };
  /** Resource ARNs a CloudTrail record of this type's service names. Pure; no AWS calls. */
  resourceIds(record: CloudTrailRecord): ResourceSelection;
  /**
   * One page of this type's resources in `ctx.region` (ARNs), from the service's own
   * pagination; `next` resumes the listing (a sweep shard can stop and go on later).
   */
  listPage(ctx: ResourceContext, token?: string): Promise<ResourcePage>;
  /**
   * The resource's tags, read only to decide exemption of a non-compliant resource
   * (so a compliant one costs no tag read); never logged. Throws
   * {@link ResourceGoneError} when the resource no longer exists.
   */
  tags(arn: string, ctx: ResourceContext): Promise<Record<string, string>>;
  /** Where a person looks at the resource in the AWS console (notifications, tickets). */
  consoleUrl(arn: string, region: string): string | undefined;
  /**
   * Optional: when the service describes many resources in one call, loads the
   * shared reads of all of `arns` (a sweep page, every VPC of a region) into
   * `ctx.reads` in as few calls as the API allows. Best effort: what it could not
   * load, each read makes on its own.
   */
  prefetch?(arns: readonly string[], ctx: ResourceContext): Promise<void>;
  /**
   * Optional: for each write operation on this type, the keys of the shared reads
   * (`ctx.reads`) it makes stale. After a fix, only those are read again — by its
   * read-back and by the resource's later rules — instead of every setting (a fully
   * drifted bucket: 24 S3 calls → 19). A write not listed makes every read of the
   * resource stale (safe when settings depend on each other, as a KMS key's do).
   */
  readonly staleReads?: Readonly<Record<string, readonly string[]>>;
}

/** Identity helper: a resource module's declaration, checked against the contract. */
export function defineResourceType<T extends ResourceType>(type: T): T {
  return type;
}

/** Every resource of a type in the context's region, page after page. */
export async function listAll(
  resource: Pick<ResourceType, 'listPage'>,
  ctx: ResourceContext,
): Promise<string[]> {
  const arns: string[] = [];
  let token: string | undefined;
  do {
    const page = await resource.listPage(ctx, token);
    arns.push(...page.arns);
    token = page.next;
  } while (token);
  return arns;
}
