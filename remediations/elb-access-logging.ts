/**
 * §164.312(b) Audit controls: an Application or Network Load Balancer in front of
 * PHI keeps access logs (who asked for what, when, from where).
 *
 * The fix turns access logging on to the access-log bucket of the balancer's region
 * (PHIGUARD_ACCESS_LOGS_BUCKET, shared with the S3 and Redshift logging rules), under
 * a prefix naming the balancer. Only the three access-log attributes are written:
 * ModifyLoadBalancerAttributes changes the attributes it is given and keeps the
 * others. Logging already on keeps its destination. Without a bucket configured it
 * is a ticket. The bucket must let Elastic Load Balancing deliver to it (README);
 * AWS checks that when the attribute is set, so a bucket that does not is an
 * `error` naming the refusal, never a false `remediated`. Gateway Load Balancers
 * have no access logs and are not judged.
 *
 * Events: ModifyLoadBalancerAttributes (turning it off) and CreateLoadBalancer (a
 * new balancer does not log).
 */
import {
  DescribeLoadBalancerAttributesCommand,
  ModifyLoadBalancerAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ResourceGoneError } from '../src/errors';
import { awsCall } from '../src/planned-action';
import {
  elbv2,
  isLoadBalancerGone,
  loadBalancerKindOf,
  loadBalancerV2,
} from '../src/resources/elbv2/load-balancer';
import { defineRule } from '../src/rule';
import { accessLogsBucket, accessLogsBucketIn, NO_ACCESS_LOGS_BUCKET } from './s3-bucket-access-logging';

const ENABLED = 'access_logs.s3.enabled';

/** `…:loadbalancer/app/<name>/<id>` → `<name>` */
function nameOf(arn: string): string {
  return arn.split('/').at(-2) ?? 'load-balancer';
}

const settings = { bucket: accessLogsBucket };

export default defineRule<Record<string, never>, typeof settings>({
  id: 'elb-access-logging',
  title: 'Application/Network Load Balancer must keep access logs',
  severity: 'medium',
  safeguards: ['164.312(b)'],
  fix: 'access logs on to the configured access-log bucket, under a prefix naming the balancer (other attributes kept); none configured → ticket',
  resource: loadBalancerV2,
  triggers: [
    {
      source: 'elasticloadbalancing.amazonaws.com',
      events: ['CreateLoadBalancer', 'ModifyLoadBalancerAttributes'],
    },
  ],
  settings,
  permissions: {
    read: ['elasticloadbalancing:DescribeLoadBalancerAttributes'],
    write: ['elasticloadbalancing:ModifyLoadBalancerAttributes'],
  },

  async check(arn, ctx) {
    if (loadBalancerKindOf(arn) === 'gateway') {
      return {
        state: 'compliant',
        findings: [],
        observed: {},
        summary: { accessLogging: 'not available for Gateway Load Balancers' },
      };
    }
    const enabled = await ctx.reads.get(arn, 'elbv2:access-logs', async () => {
      try {
        const out = await ctx.clients
          .get(elbv2)
          .send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerArn: arn }));
        // An attribute never set may be absent: absent is off, as AWS's default is.
        return out.Attributes?.find((a) => a.Key === ENABLED)?.Value === 'true';
      } catch (error) {
        if (isLoadBalancerGone(error)) throw new ResourceGoneError(arn, { cause: error });
        throw error;
      }
    });
    return {
      state: enabled ? 'compliant' : 'non-compliant',
      findings: enabled ? [] : ['access logging is off'],
      observed: {},
      summary: { accessLogging: enabled },
    };
  },

  plan(arn, _observed, ctx) {
    const bucket = accessLogsBucketIn(ctx.settings.bucket, ctx.region);
    if (!bucket) {
      return NO_ACCESS_LOGS_BUCKET;
    }
    return {
      kind: 'fix',
      actions: [
        awsCall(elbv2, ModifyLoadBalancerAttributesCommand, {
          LoadBalancerArn: arn,
          Attributes: [
            { Key: ENABLED, Value: 'true' },
            { Key: 'access_logs.s3.bucket', Value: bucket },
            { Key: 'access_logs.s3.prefix', Value: `elb/${nameOf(arn)}` },
          ],
        }),
      ],
    };
  },
});
