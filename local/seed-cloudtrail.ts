/**
 * Trails for the demo, tests and benchmark: a multi-Region trail that validates
 * its log files and is logging, writing to a bucket made for it (compliant with
 * every S3 rule: CloudTrail delivers to SSE-KMS buckets).
 */
import { CreateTrailCommand, StartLoggingCommand } from '@aws-sdk/client-cloudtrail';
import type { AwsClientSpec, SdkClient } from '../src/aws-clients';
import { cloudtrail } from '../src/resources/cloudtrail/trail';
import { s3 } from '../src/resources/s3/bucket';
import { createCompliantBucket } from './seed';

interface Clients {
  get<C extends SdkClient>(spec: AwsClientSpec<C>): C;
}

/** A logging multi-Region trail named `name` in the clients' Region; returns its ARN. */
export async function createTrail(clients: Clients, name: string): Promise<string> {
  const bucket = `${name}-logs`.toLowerCase().slice(0, 63);
  await createCompliantBucket(clients.get(s3), bucket);
  const out = await clients.get(cloudtrail).send(
    new CreateTrailCommand({
      Name: name,
      S3BucketName: bucket,
      IsMultiRegionTrail: true,
      EnableLogFileValidation: true,
    }),
  );
  await clients.get(cloudtrail).send(new StartLoggingCommand({ Name: name }));
  return out.TrailARN as string;
}
