import { describe, expect, it } from 'vitest';
import { asffResourceType, findingId, toAsffFinding } from '../../../src/notify/asff';
import { type Notification, notificationsFor } from '../../../src/notify/notification';
import type { Outcome } from '../../../src/outcome';

const PRODUCT = { account: '111122223333', region: 'us-east-1', partition: 'aws' };

const outcome = (status: Outcome['status'], dryRun = false): Outcome => ({
  rule: 's3-bucket-public-access',
  title: 'S3 bucket must not be public',
  resource: 'arn:aws:s3:::phi-claims',
  resourceType: 'AWS::S3::Bucket',
  status,
  safeguards: ['164.312(a)(1)'],
  severity: 'critical',
  actions:
    status === 'remediated' || status === 'would-remediate'
      ? [{ service: 's3', api: 'PutPublicAccessBlock', params: { Bucket: 'phi-claims' } }]
      : [],
  findings: ['ACL grants READ to AllUsers'],
  dryRun,
  time: '2026-12-05T12:00:00.000Z',
  region: 'us-east-1',
  account: '444455556666',
  eventId: 'e-1',
  actor: 'arn:aws:sts::444455556666:assumed-role/DataEngineer/alice',
  consoleUrl: 'https://us-east-1.console.aws.amazon.com/s3/buckets/phi-claims',
});
const notification = (o: Outcome) => notificationsFor([o])[0] as Notification;

describe('Security Hub findings (ASFF)', () => {
  it('a resource gone archives its finding (same Id), its compliance not available', () => {
    const active = toAsffFinding(notification(outcome('ticket')), PRODUCT);
    const gone = toAsffFinding(notification({ ...outcome('gone'), actions: [] }), PRODUCT);
    expect(gone.Id).toBe(active.Id);
    expect(gone).toMatchObject({
      RecordState: 'ARCHIVED',
      Compliance: { Status: 'NOT_AVAILABLE' },
      Workflow: { Status: 'RESOLVED' },
    });
    expect(active.RecordState).toBe('ACTIVE');
  });

  it('one finding per (account, Region, rule, resource): the same Id whatever happens to it', () => {
    const ids = [
      notification(outcome('would-remediate', true)),
      notification(outcome('remediated')),
      notification(outcome('ticket')),
    ].map((n) => toAsffFinding(n, PRODUCT).Id);
    expect(new Set(ids).size).toBe(1);
    expect(ids[0]).toMatch(/^phiguard\/s3-bucket-public-access\/[0-9a-f]{32}$/);
    expect(findingId({ ...notification(outcome('ticket')), account: '999988887777' })).not.toBe(ids[0]);
  });

  it('a fix applied is PASSED and RESOLVED; a drift left, or only planned in dry-run, FAILED and NEW', () => {
    const fixed = toAsffFinding(notification(outcome('remediated')), PRODUCT);
    expect(fixed).toMatchObject({
      SchemaVersion: '2018-10-08',
      ProductArn: 'arn:aws:securityhub:us-east-1:111122223333:product/111122223333/default',
      GeneratorId: 'phiguard/s3-bucket-public-access',
      AwsAccountId: '444455556666',
      Types: ['Software and Configuration Checks/Industry and Regulatory Standards/HIPAA Controls'],
      Severity: { Label: 'CRITICAL' },
      Resources: [
        { Type: 'AwsS3Bucket', Id: 'arn:aws:s3:::phi-claims', Partition: 'aws', Region: 'us-east-1' },
      ],
      Compliance: { Status: 'PASSED', RelatedRequirements: ['HIPAA 45 CFR §164.312(a)(1)'] },
      Workflow: { Status: 'RESOLVED' },
      RecordState: 'ACTIVE',
      Remediation: {
        Recommendation: {
          Text: 'PHI Guard called s3:PutPublicAccessBlock.',
          Url: 'https://us-east-1.console.aws.amazon.com/s3/buckets/phi-claims',
        },
      },
    });
    for (const status of ['would-remediate', 'ticket', 'error'] as const) {
      const finding = toAsffFinding(notification(outcome(status, status === 'would-remediate')), PRODUCT);
      expect([finding.Compliance?.Status, finding.Workflow?.Status], status).toEqual(['FAILED', 'NEW']);
    }
  });

  it('names the ASFF resource type where ASFF has one, else Other; account-wide settings are the account', () => {
    expect(asffResourceType('AWS::RDS::DBInstance')).toBe('AwsRdsDbInstance');
    expect(asffResourceType('AWS::EC2::EBSEncryptionByDefault')).toBe('AwsAccount');
    expect(asffResourceType('AWS::Glacier::Vault')).toBe('Other');
    expect(asffResourceType(undefined)).toBe('Other');
  });
});
