import { createAwsClients } from '../src/aws-clients';
import { ec2 } from '../src/resources/ec2/vpc';
import { elb } from '../src/resources/elb/load-balancer';
import { elbv2 } from '../src/resources/elbv2/load-balancer';
import { s3 } from '../src/resources/s3/bucket';

/**
 * Clients for building an account in the emulator (the demo, tests, the
 * benchmark), the same instances and options PHI Guard's rules use.
 */
export function localClients(region: string, overrides: Record<string, unknown> = {}) {
  const clients = createAwsClients({ region, overrides });
  return {
    s3: () => clients.get(s3),
    ec2: () => clients.get(ec2),
    elbv2: () => clients.get(elbv2),
    elb: () => clients.get(elb),
  };
}

export type LocalClients = ReturnType<typeof localClients>;
