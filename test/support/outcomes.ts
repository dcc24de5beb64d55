import type { Ledger } from '../../src/ledger/ledger';
import { type Notification, notificationsFor } from '../../src/notify/notification';
import type { Outcome } from '../../src/outcome';

/** An outcome as the engine reports it, for notification tests. */
export function outcome(overrides: Partial<Outcome> = {}): Outcome {
  return {
    rule: 's3-bucket-public-access',
    title: 'S3 bucket must not be public (Block Public Access on, no public ACL grants)',
    resource: 'arn:aws:s3:::phi-claims',
    status: 'remediated',
    safeguards: ['164.312(a)(1)'],
    severity: 'critical',
    actions: [
      {
        service: 's3',
        api: 'PutPublicAccessBlock',
        params: { Bucket: 'phi-claims', PublicAccessBlockConfiguration: { BlockPublicAcls: true } },
      },
    ],
    dryRun: false,
    time: new Date().toISOString(),
    region: 'us-east-1',
    account: '123456789012',
    eventId: 'evt-1',
    eventName: 'PutBucketAcl',
    actor: 'arn:aws:sts::123456789012:assumed-role/DataEngineer/alice',
    consoleUrl: 'https://s3.console.aws.amazon.com/s3/buckets/phi-claims?region=us-east-1&tab=permissions',
    ...overrides,
  };
}

/**
 * Outcomes the way the engine leaves them: recorded in the registry first (each gets
 * a history id), so tickets can attach to their history entries; then their notifications.
 */
export async function recordedNotifications(ledger: Ledger, outcomes: Outcome[]): Promise<Notification[]> {
  outcomes.forEach((o, i) => {
    o.historyId = `h${Date.now().toString(36)}${i}`;
  });
  await ledger.complete({
    owner: 'test',
    failed: false,
    entries: outcomes.map((o) => ({
      id: o.historyId as string,
      rule: o.rule,
      resource: o.resource,
      status: o.status,
      safeguards: o.safeguards,
      time: o.time,
      dryRun: o.dryRun,
      actions: o.actions,
      eventId: o.eventId,
    })),
    releases: [],
  });
  return notificationsFor(outcomes);
}
