import type { RuleContext } from '../rule';
import {
  readBucketAcl,
  readBucketEncryption,
  readBucketPolicy,
  readBucketTags,
  readPublicAccessBlock,
} from './bucket-reads';

/**
 * One bucket's configuration as the S3 rules read it, each part fetched at most
 * once per event or sweep page (through `ctx.reads`), whichever rule asks first.
 */
export function bucketState(ctx: RuleContext, arn: string, bucket: string) {
  const s3 = ctx.clients.s3();
  const read = <T>(key: string, load: () => Promise<T>) => ctx.reads.get(arn, key, load);
  return {
    publicAccessBlock: () => read('publicAccessBlock', () => readPublicAccessBlock(s3, bucket)),
    acl: () => read('acl', () => readBucketAcl(s3, bucket)),
    policy: () => read('policy', () => readBucketPolicy(s3, bucket)),
    encryption: () => read('encryption', () => readBucketEncryption(s3, bucket)),
    tags: () => read('tags', () => readBucketTags(s3, bucket)),
  };
}
