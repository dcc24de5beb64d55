import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClients } from '../../local/clients';
import { bucketEvent, inRegion } from '../../local/fixtures';
import { type RecordingProxy, startRecordingProxy } from '../../local/recording-proxy';
import * as seed from '../../local/seed';
import { rules } from '../../remediations';
import { createClientPool } from '../../src/aws-clients';
import { Engine } from '../../src/engine/engine';
import { MemoryLedger } from '../../src/ledger/memory-ledger';
import { processEvent } from '../../src/process-event';
import { testConfig } from '../support/config';
import { motoEndpoint, uniqueName, useMoto } from '../support/moto';

/**
 * What fixing a fully drifted bucket costs on the wire (issue 16), counted by the
 * recording proxy: every setting read once before the fix and once to verify it, the
 * tags once, each fix written once. A fix makes only its own setting's read stale
 * (`staleReads` of the bucket type), so the bucket's later rules read nothing again.
 */
const REGION = 'sa-east-1';
const LOGS = uniqueName('apply-calls-logs');
let proxy: RecordingProxy;

beforeAll(async () => {
  useMoto();
  await seed.createLogBucket(localClients(REGION).s3(), LOGS);
  proxy = await startRecordingProxy(motoEndpoint());
});

afterAll(async () => {
  await proxy?.close();
});

describe('apply on a fully drifted bucket', () => {
  it('costs 19 S3 calls for its 6 fixes: each setting read twice (before, and to verify), the tags once, each write once', async () => {
    const bucket = uniqueName('phi-fully-drifted');
    // Public ACL and policy; no encryption, TLS-only statement, versioning or access logging.
    await seed.createPublicBucket(localClients(REGION).s3(), bucket);
    const config = testConfig({ PHIGUARD_ACCESS_LOGS_BUCKET: LOGS });
    const engine = new Engine({
      rules,
      config,
      ledger: new MemoryLedger(config.ledger),
      clientsFor: createClientPool({ overrides: { endpoint: proxy.endpoint } }),
    });
    proxy.reset();
    const report = await processEvent(
      engine,
      inRegion(bucketEvent('s3/PutBucketAcl.public-read', bucket), REGION),
    );
    const fixed = report.outcomes.filter((o) => o.status === 'remediated').map((o) => o.rule);
    expect(fixed.sort()).toEqual([
      's3-bucket-access-logging',
      's3-bucket-encryption',
      's3-bucket-public-access',
      's3-bucket-tls-only',
      's3-bucket-versioning',
    ]);
    const calls = proxy.count((c) => c.service === 's3' && c.bucket === bucket);
    expect(calls).toEqual({
      GetBucketAcl: 2,
      GetPublicAccessBlock: 2,
      GetBucketPolicy: 2,
      GetBucketEncryption: 2,
      GetBucketVersioning: 2,
      GetBucketLogging: 2,
      GetBucketTagging: 1,
      PutBucketAcl: 1,
      PutPublicAccessBlock: 1,
      PutBucketPolicy: 1,
      PutBucketEncryption: 1,
      PutBucketVersioning: 1,
      PutBucketLogging: 1,
    });
    expect(Object.values(calls).reduce((a, b) => a + b, 0)).toBe(19);
  });
});
