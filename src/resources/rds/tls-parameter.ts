/**
 * The parameter that makes an RDS engine refuse connections without TLS, and its
 * value in a DB (cluster) parameter group. Engines without such a parameter
 * (Oracle and Db2 take TLS from an option group or their own configuration)
 * answer `undefined`: the TLS rules do not judge them.
 */
import { DescribeDBClusterParametersCommand, DescribeDBParametersCommand } from '@aws-sdk/client-rds';
import type { ResourceContext } from '../resource-type';
import { rds, rdsArn } from './rds-client';

export interface TlsParameter {
  name: 'rds.force_ssl' | 'require_secure_transport';
  /** Whether a value (as the API gives it) enforces TLS. */
  enforces(value: string | undefined): boolean;
}

const FORCE_SSL: TlsParameter = { name: 'rds.force_ssl', enforces: (value) => value === '1' };
const REQUIRE_SECURE_TRANSPORT: TlsParameter = {
  name: 'require_secure_transport',
  enforces: (value) => value === '1' || value?.toUpperCase() === 'ON',
};

export function tlsParameterOf(engine: string | undefined): TlsParameter | undefined {
  const name = engine?.toLowerCase() ?? '';
  if (name.startsWith('postgres') || name.startsWith('aurora-postgresql') || name.startsWith('sqlserver')) {
    return FORCE_SSL;
  }
  if (name.startsWith('mysql') || name.startsWith('mariadb') || name.startsWith('aurora')) {
    return REQUIRE_SECURE_TRANSPORT;
  }
  return undefined;
}

/**
 * The value of `parameter` in a DB parameter group (`db`) or a DB cluster parameter
 * group (`cluster`); `undefined` when the group leaves it unset. The groups' pages
 * are read until the parameter is found, once per group for every resource using it
 * (a region's instances often share one group).
 */
export function parameterValue(
  ctx: ResourceContext,
  kind: 'db' | 'cluster',
  group: string,
  parameter: string,
): Promise<string | undefined> {
  const groupArn = rdsArn(
    ctx.partition,
    ctx.region,
    ctx.accountId,
    kind === 'db' ? 'pg' : 'cluster-pg',
    group,
  );
  return ctx.reads.get(groupArn, `rds:parameter:${parameter}`, async () => {
    const client = ctx.clients.get(rds);
    let Marker: string | undefined;
    do {
      // A group named on a live resource exists; DBParameterGroupNotFound is an error outcome.
      const page =
        kind === 'db'
          ? await client.send(new DescribeDBParametersCommand({ DBParameterGroupName: group, Marker }))
          : await client.send(
              new DescribeDBClusterParametersCommand({ DBClusterParameterGroupName: group, Marker }),
            );
      const found = page.Parameters?.find((p) => p.ParameterName === parameter);
      if (found) return found.ParameterValue;
      Marker = page.Marker || undefined;
    } while (Marker);
    return undefined;
  });
}
