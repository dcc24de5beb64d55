import {
  type AwsSecurityFinding,
  BatchImportFindingsCommand,
  GetFindingsCommand,
  SecurityHubClient,
} from '@aws-sdk/client-securityhub';
import { beforeAll, describe, expect, it } from 'vitest';
import { toAsffFinding } from '../../src/notify/asff';
import { type Notification, notificationsFor } from '../../src/notify/notification';
import { ACCOUNT, REGION, uniqueName, useMoto } from '../support/moto';

/** PHI Guard's findings as Security Hub stores them (moto implements BatchImportFindings and GetFindings). */
let hub: SecurityHubClient;

beforeAll(() => {
  useMoto();
  hub = new SecurityHubClient({ region: REGION });
});

/** moto's GetFindings ignores filters: every page is read, and the finding found by its Id. */
async function findingsWithId(id: string): Promise<AwsSecurityFinding[]> {
  const found: AwsSecurityFinding[] = [];
  let NextToken: string | undefined;
  do {
    const page = await hub.send(new GetFindingsCommand({ NextToken, MaxResults: 100 }));
    found.push(...(page.Findings ?? []).filter((f) => f.Id === id));
    NextToken = page.NextToken;
  } while (NextToken);
  return found;
}

describe('Security Hub findings, against moto', () => {
  it('imports a finding Security Hub accepts and returns as sent', async () => {
    const bucket = uniqueName('phi-claims');
    const [n] = notificationsFor([
      {
        rule: 's3-bucket-encryption',
        title: 'S3 bucket must encrypt objects at rest',
        resource: `arn:aws:s3:::${bucket}`,
        resourceType: 'AWS::S3::Bucket',
        status: 'ticket',
        safeguards: ['164.312(a)(2)(iv)'],
        severity: 'high',
        actions: [],
        reason: 'the bucket key setting needs a person',
        dryRun: false,
        time: new Date().toISOString(),
        region: REGION,
        account: ACCOUNT,
      },
    ]) as Notification[];
    const finding = toAsffFinding(n as Notification, { account: ACCOUNT, region: REGION, partition: 'aws' });
    const imported = await hub.send(new BatchImportFindingsCommand({ Findings: [finding] }));
    expect(imported).toMatchObject({ FailedCount: 0, SuccessCount: 1 });
    const Findings = await findingsWithId(finding.Id as string);
    expect(Findings).toHaveLength(1);
    expect(Findings?.[0]).toMatchObject({
      Id: finding.Id,
      AwsAccountId: ACCOUNT,
      Compliance: { Status: 'FAILED', RelatedRequirements: ['HIPAA 45 CFR §164.312(a)(2)(iv)'] },
      Resources: [{ Type: 'AwsS3Bucket', Id: `arn:aws:s3:::${bucket}` }],
      Workflow: { Status: 'NEW' },
    });

    // The bucket is deleted: the same finding is archived, not left open for ever.
    const gone: Notification = {
      ...(n as Notification),
      kind: 'gone',
      status: 'gone',
      actions: [],
      time: new Date(Date.now() + 1000).toISOString(),
    };
    const archived = toAsffFinding(gone, {
      account: ACCOUNT,
      region: REGION,
      partition: 'aws',
    });
    expect(archived.Id).toBe(finding.Id);
    expect(await hub.send(new BatchImportFindingsCommand({ Findings: [archived] }))).toMatchObject({
      FailedCount: 0,
    });
    const after = await findingsWithId(finding.Id as string);
    expect(after).toHaveLength(1);
    expect(after[0]).toMatchObject({ RecordState: 'ARCHIVED', Compliance: { Status: 'NOT_AVAILABLE' } });
  });
});
