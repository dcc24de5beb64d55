import { BatchImportFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { FindingsRefusedError, SecurityHubChannel } from '../../../src/notify/channels/security-hub';
import { type Notification, notificationsFor } from '../../../src/notify/notification';

const PRODUCT = { account: '111122223333', region: 'us-east-1', partition: 'aws' };
const notifications = (count: number) =>
  notificationsFor(
    Array.from({ length: count }, (_, i) => ({
      rule: 's3-bucket-encryption',
      title: 'S3 bucket must encrypt objects at rest',
      resource: `arn:aws:s3:::claims-${i}`,
      resourceType: 'AWS::S3::Bucket',
      status: 'remediated' as const,
      safeguards: ['164.312(a)(2)(iv)' as const],
      severity: 'high',
      actions: [],
      dryRun: false,
      time: '2026-12-05T12:00:00.000Z',
      account: PRODUCT.account,
      region: 'us-east-1',
      eventId: `e-${i}`,
    })),
  ) as Notification[];

describe('the Security Hub channel (client mocks: moto does not report refused findings)', () => {
  const hub = mockClient(SecurityHubClient);
  afterEach(() => hub.reset());

  it('imports every finding of a burst, 100 per call, and sends nothing else', async () => {
    hub.on(BatchImportFindingsCommand).resolves({ FailedCount: 0, SuccessCount: 100, FailedFindings: [] });
    const channel = new SecurityHubChannel(new SecurityHubClient({ region: 'us-east-1' }), PRODUCT);
    await channel.sendDigest(notifications(250));
    expect(hub.calls().map((c) => (c.args[0].input as { Findings: unknown[] }).Findings.length)).toEqual([
      100, 100, 50,
    ]);
  });

  it('a refused finding fails the delivery (the queue retries it), naming error codes only', async () => {
    hub.on(BatchImportFindingsCommand).resolves({
      FailedCount: 1,
      SuccessCount: 0,
      FailedFindings: [{ Id: 'phiguard/x/1', ErrorCode: 'InvalidInput', ErrorMessage: 'claims-0 is bad' }],
    });
    const channel = new SecurityHubChannel(new SecurityHubClient({ region: 'us-east-1' }), PRODUCT);
    const attempt = channel.send(notifications(1)[0] as Notification);
    await expect(attempt).rejects.toBeInstanceOf(FindingsRefusedError);
    await expect(attempt).rejects.toThrow(/^Security Hub refused 1 finding\(s\): InvalidInput$/);
  });
});
