/**
 * §164.312(b) Audit controls: a Classic Load Balancer in front of PHI keeps access
 * logs.
 *
 * The fix turns the AccessLog attribute on to the access-log bucket of the
 * balancer's region (PHIGUARD_ACCESS_LOGS_BUCKET), under a prefix naming the
 * balancer, keeping the emit interval a person chose (60 minutes when none).
 * ModifyLoadBalancerAttributes changes only the attributes it is given, so
 * connection draining, cross-zone and idle timeout stay as they are. Logging
 * already on keeps its destination; no bucket configured is a ticket. The bucket
 * must let Elastic Load Balancing deliver to it (README); AWS checks that when the
 * attribute is set, so a bucket that does not is an `error`, never a false
 * `remediated`.
 *
 * Events: ModifyLoadBalancerAttributes (turning it off) and CreateLoadBalancer (a
 * new balancer does not log). Classic records name the balancer, never its ARN.
 */
import {
  DescribeLoadBalancerAttributesCommand,
  ModifyLoadBalancerAttributesCommand,
} from '@aws-sdk/client-elastic-load-balancing';
import { ResourceGoneError } from '../src/errors';
import { awsCall } from '../src/planned-action';
import {
  classicLoadBalancer,
  elb,
  isClassicLoadBalancerGone,
  requireClassicName,
} from '../src/resources/elb/load-balancer';
import { defineRule } from '../src/rule';
import { accessLogsBucket, accessLogsBucketIn, NO_ACCESS_LOGS_BUCKET } from './s3-bucket-access-logging';

interface Observed {
  /** Minutes between deliveries: 5 or 60. */
  emitInterval: number | undefined;
}

const settings = { bucket: accessLogsBucket };

export default defineRule<Observed, typeof settings>({
  id: 'classic-elb-access-logging',
  title: 'Classic Load Balancer must keep access logs',
  severity: 'medium',
  safeguards: ['164.312(b)'],
  fix: 'AccessLog on to the configured access-log bucket, under a prefix naming the balancer (other attributes kept); none configured → ticket',
  resource: classicLoadBalancer,
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
    const accessLog = await ctx.reads.get(arn, 'elb:access-log', async () => {
      try {
        const out = await ctx.clients
          .get(elb)
          .send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerName: requireClassicName(arn) }));
        return out.LoadBalancerAttributes?.AccessLog ?? { Enabled: false };
      } catch (error) {
        if (isClassicLoadBalancerGone(error)) throw new ResourceGoneError(arn, { cause: error });
        throw error;
      }
    });
    const enabled = accessLog.Enabled === true;
    return {
      state: enabled ? 'compliant' : 'non-compliant',
      findings: enabled ? [] : ['access logging is off'],
      observed: { emitInterval: accessLog.EmitInterval },
      summary: { accessLogging: enabled },
    };
  },

  plan(arn, observed, ctx) {
    const bucket = accessLogsBucketIn(ctx.settings.bucket, ctx.region);
    if (!bucket) {
      return NO_ACCESS_LOGS_BUCKET;
    }
    const name = requireClassicName(arn);
    return {
      kind: 'fix',
      actions: [
        awsCall(elb, ModifyLoadBalancerAttributesCommand, {
          LoadBalancerName: name,
          LoadBalancerAttributes: {
            AccessLog: {
              Enabled: true,
              S3BucketName: bucket,
              S3BucketPrefix: `elb/${name}`,
              EmitInterval: observed.emitInterval === 5 ? 5 : 60,
            },
          },
        }),
      ],
    };
  },
});
