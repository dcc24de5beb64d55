import { findingId } from './notify/asff';
import type { Outcome, OutcomeStatus } from './outcome';
import { PHIGUARD_VERSION } from './version';

/**
 * An outcome as an OCSF Compliance Finding event (class 2003), for Security Lake
 * and SIEMs: `phiguard scan --format ocsf` writes one per line.
 *
 * Schema 1.1.0: the version Amazon Security Lake ingests for custom sources, and
 * a subset of every later 1.x (1.2+ only add optional attributes to this class).
 * Built from content-free fields only, like every other sink: ARNs (names that look
 * like PHI already redacted by the engine), ids, rule ids, safeguards, actors. No
 * call parameters (a policy body is PHI-bearing): only the names of the calls.
 */
export const OCSF_SCHEMA_VERSION = '1.1.0';
export const OCSF_COMPLIANCE_FINDING = { categoryUid: 2, classUid: 2003 } as const;
export const HIPAA_STANDARD = 'HIPAA Security Rule (45 CFR Part 164 Subpart C)';

/** OCSF activity: every scan is a fresh evaluation (Create); a fix PHI Guard applied closes it. */
const ACTIVITY = { create: 1, close: 3 } as const;
const ACTIVITY_NAMES = { 1: 'Create', 3: 'Close' } as const;
const SEVERITY_IDS = { low: 2, medium: 3, high: 4, critical: 5 } as const;
const SEVERITY_NAMES = { 2: 'Low', 3: 'Medium', 4: 'High', 5: 'Critical' } as const;

/** compliance.status_id: 1 Pass, 2 Warning (no result), 3 Fail. */
type ComplianceStatus = 1 | 2 | 3;
/** Finding status_id: 1 New, 2 In Progress, 3 Suppressed, 4 Resolved. */
type FindingStatus = 1 | 2 | 3 | 4;

const COMPLIANCE_NAMES = { 1: 'Pass', 2: 'Warning', 3: 'Fail' } as const;
const FINDING_STATUS_NAMES = { 1: 'New', 2: 'In Progress', 3: 'Suppressed', 4: 'Resolved' } as const;

/**
 * Statuses that are not an evaluation of a resource: not written as findings
 * (ignored: not evidence; duplicate: counted once elsewhere; gone: nothing to evaluate).
 */
export const NOT_A_FINDING: ReadonlySet<OutcomeStatus> = new Set(['ignored', 'duplicate', 'gone']);

function statusesOf(o: Outcome): { compliance: ComplianceStatus; finding: FindingStatus } {
  switch (o.status) {
    case 'compliant':
      return { compliance: 1, finding: 4 };
    case 'remediated':
      return o.dryRun ? { compliance: 3, finding: 1 } : { compliance: 1, finding: 4 };
    case 'pending':
      // The fix was accepted but not read back yet: still failing, and being worked on.
      return { compliance: 3, finding: 2 };
    case 'exempt':
      // Drift the operator accepted in writing (the phiguard:exempt tag).
      return { compliance: 3, finding: 3 };
    case 'error':
      // The check or the fix could not complete: no result either way.
      return { compliance: 2, finding: 1 };
    default:
      return { compliance: 3, finding: 1 };
  }
}

export interface OcsfComplianceFinding {
  activity_id: number;
  activity_name: string;
  category_uid: number;
  category_name: 'Findings';
  class_uid: number;
  class_name: 'Compliance Finding';
  type_uid: number;
  type_name: string;
  time: number;
  severity_id: number;
  severity: string;
  status_id: FindingStatus;
  status: string;
  status_detail?: string;
  message: string;
  metadata: {
    version: string;
    product: { name: string; vendor_name: string; version: string };
    profiles: string[];
    log_name: string;
    uid: string;
  };
  cloud: { provider: 'AWS'; region?: string; account?: { uid: string; type_id: 10; type: 'AWS Account' } };
  finding_info: {
    uid: string;
    title: string;
    desc: string;
    types: string[];
    analytic: { uid: string; name: string; type_id: 1; type: 'Rule' };
    created_time: number;
  };
  compliance: {
    standards: string[];
    requirements: string[];
    control: string;
    status_id: ComplianceStatus;
    status: string;
    status_detail?: string;
  };
  remediation: { desc: string; references?: string[] };
  resources: { uid: string; type?: string; region?: string; cloud_partition: string }[];
  unmapped: Record<string, string>;
}

function partitionOf(arn: string): string {
  return /^arn:([^:]+):/.exec(arn)?.[1] ?? 'aws';
}

export function toOcsfComplianceFinding(o: Outcome): OcsfComplianceFinding {
  const { compliance, finding } = statusesOf(o);
  const activity = o.status === 'remediated' && !o.dryRun ? ACTIVITY.close : ACTIVITY.create;
  const severity = SEVERITY_IDS[o.severity as keyof typeof SEVERITY_IDS] ?? 3;
  const time = Date.parse(o.time);
  const calls = o.actions.map((a) => `${a.service}:${a.api}`).join(', ');
  const remediation = calls
    ? `PHI Guard ${o.status === 'remediated' && !o.dryRun ? 'called' : 'would call'} ${calls}.`
    : `See rule ${o.rule} (phiguard rules) and the HIPAA safeguards it enforces.`;
  const detail = [...(o.findings ?? []), ...(o.reason ? [o.reason] : [])].join('; ');
  return {
    activity_id: activity,
    activity_name: ACTIVITY_NAMES[activity],
    category_uid: OCSF_COMPLIANCE_FINDING.categoryUid,
    category_name: 'Findings',
    class_uid: OCSF_COMPLIANCE_FINDING.classUid,
    class_name: 'Compliance Finding',
    type_uid: OCSF_COMPLIANCE_FINDING.classUid * 100 + activity,
    type_name: `Compliance Finding: ${ACTIVITY_NAMES[activity]}`,
    time,
    severity_id: severity,
    severity: SEVERITY_NAMES[severity],
    status_id: finding,
    status: FINDING_STATUS_NAMES[finding],
    ...(o.status === 'exempt' && o.reason ? { status_detail: o.reason } : {}),
    message: `${o.title}: ${o.status}${o.dryRun ? ' (dry-run)' : ''}`,
    metadata: {
      version: OCSF_SCHEMA_VERSION,
      product: { name: 'PHI Guard', vendor_name: 'PHI Guard', version: PHIGUARD_VERSION },
      profiles: ['cloud'],
      log_name: 'phiguard-scan',
      uid: `${findingId(o)}/${o.time}`,
    },
    cloud: {
      provider: 'AWS',
      ...(o.region ? { region: o.region } : {}),
      ...(o.account ? { account: { uid: o.account, type_id: 10, type: 'AWS Account' } } : {}),
    },
    finding_info: {
      uid: findingId(o),
      title: o.title,
      desc: detail || `${o.rule}: ${o.status}`,
      types: ['Software and Configuration Checks/Industry and Regulatory Standards/HIPAA Controls'],
      analytic: { uid: o.rule, name: o.rule, type_id: 1, type: 'Rule' },
      created_time: time,
    },
    compliance: {
      standards: [HIPAA_STANDARD],
      requirements: o.safeguards.map((s) => `45 CFR §${s}`),
      control: o.rule,
      status_id: compliance,
      status: COMPLIANCE_NAMES[compliance],
      ...(detail ? { status_detail: detail } : {}),
    },
    remediation: { desc: remediation, ...(o.consoleUrl ? { references: [o.consoleUrl] } : {}) },
    resources: [
      {
        uid: o.resource,
        ...(o.resourceType ? { type: o.resourceType } : {}),
        ...(o.region ? { region: o.region } : {}),
        cloud_partition: partitionOf(o.resource),
      },
    ],
    unmapped: {
      'phiguard.status': o.status,
      'phiguard.dry_run': String(o.dryRun),
      ...(o.eventId ? { 'phiguard.event_id': o.eventId } : {}),
      ...(o.actor ? { 'phiguard.actor': o.actor } : {}),
    },
  };
}

/** One JSON object per line (what Security Lake and most SIEM collectors ingest). */
export function formatOcsfLines(outcomes: readonly Outcome[]): string {
  return outcomes
    .filter((o) => !NOT_A_FINDING.has(o.status))
    .map((o) => JSON.stringify(toOcsfComplianceFinding(o)))
    .join('\n');
}
