/**
 * AWS::RDS::DBInstance. Records name an instance by identifier (or its answer by
 * ARN); a parameter group change names the group, and the instances using it are
 * found by a read. The sweep keeps each listed instance's description (settings
 * and tags), so its rules read nothing more for a compliant instance.
 *
 * Instances of an Aurora or Multi-AZ DB cluster take their storage encryption,
 * backups and TLS parameters from the cluster: rules judge those on the cluster
 * (AWS::RDS::DBCluster), and only per-instance settings here.
 */
import {
  type DBInstance,
  DescribeDBInstancesCommand,
  paginateDescribeDBInstances,
} from '@aws-sdk/client-rds';
import { partitionOf } from '../../arn';
import { hasErrorCode } from '../../aws-errors';
import { accountOf, type CloudTrailRecord } from '../../cloudtrail-event';
import { ResourceGoneError } from '../../errors';
import { stringField } from '../../record-fields';
import { tagRecord } from '../../tags';
import { consoleHost } from '../console';
import { defineResourceType, type ResourceContext, type ResourceSelection } from '../resource-type';
import { rds, rdsArn, rdsArnsOf, rdsIdOf, rdsPageSize } from './rds-client';

const DESCRIPTION = 'rds:db-instance';
const PARAMETER_GROUP_EVENTS = new Set(['ModifyDBParameterGroup', 'ResetDBParameterGroup']);

export function dbInstanceIdOf(arn: string): string {
  return rdsIdOf(arn, 'db');
}

function instanceSelection(record: CloudTrailRecord): ResourceSelection {
  if (PARAMETER_GROUP_EVENTS.has(record.eventName)) {
    const group = stringField(record.requestParameters, 'dBParameterGroupName');
    const region = record.awsRegion;
    const account = accountOf(record);
    if (!group || !region || !account) return [];
    return {
      because: `${record.eventName} names a parameter group; the instances using it are found by a read`,
      async lookup(ctx) {
        const arns: string[] = [];
        for await (const page of paginateDescribeDBInstances({ client: ctx.clients.get(rds) }, {})) {
          for (const instance of page.DBInstances ?? []) {
            if (!instance.DBInstanceIdentifier) continue;
            if (!instance.DBParameterGroups?.some((g) => g.DBParameterGroupName === group)) continue;
            const arn =
              instance.DBInstanceArn ??
              rdsArn(partitionOf(region), region, account, 'db', instance.DBInstanceIdentifier);
            ctx.reads.prime(arn, DESCRIPTION, instance);
            arns.push(arn);
          }
        }
        return arns;
      },
    };
  }
  // Restores name the new instance dBInstanceIdentifier, or targetDBInstanceIdentifier
  // (point in time); a rename names the new identifier beside the old.
  return rdsArnsOf(record, 'db', 'dBInstanceArn', [
    'dBInstanceIdentifier',
    'targetDBInstanceIdentifier',
    'newDBInstanceIdentifier',
  ]);
}

export function isDbInstanceGone(error: unknown): boolean {
  return hasErrorCode(error, 'DBInstanceNotFound', 'DBInstanceNotFoundFault');
}

/** The instance's description (settings, tags); ResourceGoneError when it no longer exists. */
export function describeDbInstance(ctx: ResourceContext, arn: string): Promise<DBInstance> {
  return ctx.reads.get(arn, DESCRIPTION, async () => {
    try {
      const out = await ctx.clients
        .get(rds)
        .send(new DescribeDBInstancesCommand({ DBInstanceIdentifier: dbInstanceIdOf(arn) }));
      const instance = out.DBInstances?.[0];
      if (!instance) throw new ResourceGoneError(arn);
      return instance;
    } catch (error) {
      if (isDbInstanceGone(error)) throw new ResourceGoneError(arn, { cause: error });
      throw error;
    }
  });
}

/** RDS refuses every modification while an instance is in these states. */
export const INSTANCE_NOT_MODIFIABLE = new Set(['creating', 'deleting', 'stopped', 'stopping', 'starting']);

export const dbInstance = defineResourceType({
  type: 'AWS::RDS::DBInstance',
  client: rds,
  permissions: { read: ['rds:DescribeDBInstances'] },

  resourceIds: instanceSelection,

  async listPage(ctx, token) {
    const page = await ctx.clients
      .get(rds)
      .send(new DescribeDBInstancesCommand({ Marker: token, MaxRecords: rdsPageSize(ctx.pageSize) }));
    const arns: string[] = [];
    for (const instance of page.DBInstances ?? []) {
      if (!instance.DBInstanceIdentifier) continue;
      const arn =
        instance.DBInstanceArn ??
        rdsArn(ctx.partition, ctx.region, ctx.accountId, 'db', instance.DBInstanceIdentifier);
      ctx.reads.prime(arn, DESCRIPTION, instance);
      arns.push(arn);
    }
    return { arns, next: page.Marker || undefined };
  },

  tags: async (arn, ctx) => tagRecord((await describeDbInstance(ctx, arn)).TagList),

  consoleUrl(arn, region) {
    const base = consoleHost(arn, region);
    return base && `${base}/rds/home?region=${region}#database:id=${dbInstanceIdOf(arn)};is-cluster=false`;
  },
});
