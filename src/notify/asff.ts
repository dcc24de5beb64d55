import { createHash } from 'node:crypto';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import type { Notification } from './notification';

/**
 * A notification as an AWS Security Finding Format finding, for Security Hub
 * (issue 14's sink; the notifier wiring is the next step). Built only from the
 * notification, which the shared sanitizer already made content-free: ARNs
 * (names looking like PHI redacted), ids, rule ids, safeguards, actors.
 *
 * One finding per (account, Region, rule, resource): its `Id` is derived from
 * those four, so a recurrence, a fix and a person's fix update the same finding.
 */
export const ASFF_SCHEMA_VERSION = '2018-10-08';
export const HIPAA_FINDING_TYPE =
  'Software and Configuration Checks/Industry and Regulatory Standards/HIPAA Controls';

/**
 * ASFF resource types of the CloudFormation types PHI Guard reads. Types ASFF has
 * no name for (an EBS snapshot, a Glacier vault, an EventBridge rule, …) are
 * `Other`; Region- and account-wide settings are the account.
 */
const ASFF_RESOURCE_TYPES: Readonly<Record<string, string>> = {
  'AWS::ApiGateway::Stage': 'AwsApiGatewayStage',
  'AWS::CloudTrail::Trail': 'AwsCloudTrailTrail',
  'AWS::CloudTrail::RegionCoverage': 'AwsAccount',
  'AWS::DynamoDB::Table': 'AwsDynamoDbTable',
  'AWS::EC2::EBSEncryptionByDefault': 'AwsAccount',
  'AWS::EC2::Volume': 'AwsEc2Volume',
  'AWS::EC2::VPC': 'AwsEc2Vpc',
  'AWS::ElasticLoadBalancing::LoadBalancer': 'AwsElbLoadBalancer',
  'AWS::ElasticLoadBalancingV2::LoadBalancer': 'AwsElbv2LoadBalancer',
  'AWS::EMR::BlockPublicAccessConfiguration': 'AwsAccount',
  'AWS::KMS::Key': 'AwsKmsKey',
  'AWS::RDS::DBCluster': 'AwsRdsDbCluster',
  'AWS::RDS::DBClusterSnapshot': 'AwsRdsDbClusterSnapshot',
  'AWS::RDS::DBInstance': 'AwsRdsDbInstance',
  'AWS::RDS::DBSnapshot': 'AwsRdsDbSnapshot',
  'AWS::Redshift::Cluster': 'AwsRedshiftCluster',
  'AWS::S3::Bucket': 'AwsS3Bucket',
  'AWS::SNS::Topic': 'AwsSnsTopic',
  'AWS::SQS::Queue': 'AwsSqsQueue',
};

export function asffResourceType(resourceType: string | undefined): string {
  return (resourceType && ASFF_RESOURCE_TYPES[resourceType]) || 'Other';
}

const SEVERITY_LABELS = { critical: 'CRITICAL', high: 'HIGH', medium: 'MEDIUM', low: 'LOW' } as const;

/** Where findings are imported: the account and Region of the notifier, whose default product it uses. */
export interface FindingProduct {
  account: string;
  region: string;
  partition: string;
}

export function defaultProductArn(product: FindingProduct): string {
  return `arn:${product.partition}:securityhub:${product.region}:${product.account}:product/${product.account}/default`;
}

/** The stable finding id of one (account, Region, rule, resource). */
export function findingId(n: Pick<Notification, 'account' | 'region' | 'rule' | 'resource'>): string {
  const digest = createHash('sha256')
    .update([n.account ?? '', n.region ?? '', n.rule, n.resource].join('\u0000'))
    .digest('hex')
    .slice(0, 32);
  return `phiguard/${n.rule}/${digest}`;
}

/**
 * Fixed (by PHI Guard or a person) is PASSED and RESOLVED; anything still wrong is
 * FAILED and NEW; a resource that no longer exists has no state to judge
 * (NOT_AVAILABLE), and its finding is archived, as Security Hub's own controls do.
 */
function complianceOf(n: Notification): {
  compliance: 'PASSED' | 'FAILED' | 'NOT_AVAILABLE';
  workflow: 'RESOLVED' | 'NEW';
  record: 'ACTIVE' | 'ARCHIVED';
} {
  if (n.kind === 'gone') return { compliance: 'NOT_AVAILABLE', workflow: 'RESOLVED', record: 'ARCHIVED' };
  const fixed = n.kind === 'resolved' || (n.kind === 'remediated' && !n.dryRun);
  return fixed
    ? { compliance: 'PASSED', workflow: 'RESOLVED', record: 'ACTIVE' }
    : { compliance: 'FAILED', workflow: 'NEW', record: 'ACTIVE' };
}

export function toAsffFinding(n: Notification, product: FindingProduct): AwsSecurityFinding {
  const { compliance, workflow, record } = complianceOf(n);
  const description = [
    ...(n.findings?.length ? [`Found: ${n.findings.join('; ')}.`] : []),
    ...(n.reason ? [`${n.reason}.`] : []),
    `PHI Guard ${n.kind}${n.dryRun ? ' (dry-run)' : ''}: ${n.status}.`,
  ]
    .join(' ')
    .slice(0, 1024);
  const recommendation = n.actions.length
    ? `PHI Guard ${n.dryRun ? 'would call' : 'called'} ${n.actions.map((a) => `${a.service}:${a.api}`).join(', ')}.`
    : `See rule ${n.rule} (phiguard rules) and the HIPAA safeguards it enforces.`;
  const region = n.region ?? product.region;
  return {
    SchemaVersion: ASFF_SCHEMA_VERSION,
    Id: findingId(n),
    ProductArn: defaultProductArn(product),
    GeneratorId: `phiguard/${n.rule}`,
    AwsAccountId: n.account ?? product.account,
    Types: [HIPAA_FINDING_TYPE],
    CreatedAt: n.time,
    UpdatedAt: n.time,
    Severity: { Label: SEVERITY_LABELS[n.severity] },
    Title: n.title.slice(0, 256),
    Description: description,
    Remediation: {
      Recommendation: { Text: recommendation.slice(0, 512), ...(n.consoleUrl ? { Url: n.consoleUrl } : {}) },
    },
    ProductFields: {
      'phiguard/rule': n.rule,
      'phiguard/status': n.status,
      ...(n.eventId ? { 'phiguard/eventId': n.eventId } : {}),
      ...(n.actor ? { 'phiguard/actor': n.actor } : {}),
    },
    Resources: [
      {
        Type: asffResourceType(n.resourceType),
        Id: n.resource,
        Partition: product.partition as 'aws',
        Region: region,
      },
    ],
    Compliance: {
      Status: compliance,
      RelatedRequirements: n.safeguards.map((s) => `HIPAA 45 CFR §${s}`),
    },
    Workflow: { Status: workflow },
    RecordState: record,
  };
}
