/**
 * What the RDS resource types share: the client, and the ARN scheme
 * `arn:<partition>:rds:<region>:<account>:<kind>:<identifier>` with RDS's own
 * kinds (`db`, `cluster`, `snapshot`, `cluster-snapshot`, `pg`, `cluster-pg`).
 */
import { RDSClient } from '@aws-sdk/client-rds';
import { parseArn, partitionOf } from '../../arn';
import { awsClient } from '../../aws-clients';
import { accountOf, type CloudTrailRecord } from '../../cloudtrail-event';
import { stringField } from '../../record-fields';

export const rds = awsClient(RDSClient, { iamPrefix: 'rds' });

/** RDS's ARN kinds: instances, clusters, their snapshots, and their parameter groups. */
export type RdsKind = 'db' | 'cluster' | 'snapshot' | 'cluster-snapshot' | 'pg' | 'cluster-pg';

/**
 * RDS identifiers: a letter, then letters, digits and hyphens. RDS stores them in
 * lower case whatever case the call used, so a record's `MyDB` is the ARN's `mydb`.
 */
const IDENTIFIER = /^[a-z][a-z0-9-]{0,254}$/;

export function rdsArn(
  partition: string,
  region: string,
  accountId: string,
  kind: RdsKind,
  id: string,
): string {
  return `arn:${partition}:rds:${region}:${accountId}:${kind}:${id}`;
}

/** The identifier in an RDS ARN of `kind`; a TypeError for any other ARN. */
export function rdsIdOf(arn: string, kind: RdsKind): string {
  const parsed = parseArn(arn);
  const prefix = `${kind}:`;
  const id =
    parsed?.service === 'rds' && parsed.resource.startsWith(prefix)
      ? parsed.resource.slice(prefix.length)
      : '';
  if (!IDENTIFIER.test(id)) throw new TypeError(`not an RDS ${kind} ARN: ${arn}`);
  return id;
}

/**
 * The resources of `kind` a record names: the ARN the answer gives (`arnField` of
 * responseElements), else the identifiers the request gives (`idFields` of
 * requestParameters, e.g. `dBInstanceIdentifier` and a rename's
 * `newDBInstanceIdentifier`), in the record's region and account.
 */
export function rdsArnsOf(
  record: CloudTrailRecord,
  kind: RdsKind,
  arnField: string,
  idFields: readonly string[],
): string[] {
  const arns = new Set<string>();
  const answered = stringField(record.responseElements, arnField);
  if (answered) {
    try {
      rdsIdOf(answered, kind);
      arns.add(answered);
    } catch {
      // Not an ARN of this kind: the identifiers below decide.
    }
  }
  const region = record.awsRegion;
  const account = accountOf(record);
  for (const name of idFields) {
    const value = stringField(record.requestParameters, name);
    if (!value) continue;
    if (value.startsWith('arn:')) {
      try {
        rdsIdOf(value, kind);
        arns.add(value);
      } catch {
        // An ARN of another kind names nothing of this one.
      }
      continue;
    }
    const id = value.toLowerCase();
    if (IDENTIFIER.test(id) && region && account)
      arns.add(rdsArn(partitionOf(region), region, account, kind, id));
  }
  return [...arns];
}

/** RDS list calls take 20 to 100 records a page. */
export function rdsPageSize(pageSize: number | undefined): number {
  return Math.min(Math.max(pageSize ?? 100, 20), 100);
}
