import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { formatCsv } from '../../src/cli/format-csv';
import {
  formatOcsfLines,
  OCSF_SCHEMA_VERSION,
  toOcsfComplianceFinding,
} from '../../src/ocsf-compliance-finding';
import { OUTCOME_STATUSES, type OutcomeStatus } from '../../src/outcome';
import { outcome } from '../support/outcomes';

/** The required fields, enums and types of the schema version we write, vendored (see its `source`). */
const SCHEMA = JSON.parse(
  readFileSync(join(import.meta.dirname, '..', 'fixtures', 'ocsf', 'compliance-finding-1.1.0.json'), 'utf8'),
) as {
  version: string;
  class: { category_uid: number; class_uid: number };
  required: Record<string, string[]>;
  at_least_one: Record<string, string[]>;
  enums: Record<string, number[]>;
  types: Record<string, string[]>;
};

/** Every value at a dotted path; `x[]` walks each element of the array `x`. */
function at(value: unknown, path: string): unknown[] {
  let current: unknown[] = [value];
  for (const part of path.split('.')) {
    const each = part.endsWith('[]');
    const key = each ? part.slice(0, -2) : part;
    current = current.flatMap((v) => {
      const next = v && typeof v === 'object' ? (v as Record<string, unknown>)[key] : undefined;
      if (next === undefined) return [];
      return each ? (Array.isArray(next) ? next : [Symbol('not an array')]) : [next];
    });
  }
  return current;
}

/** Every way `event` breaks the vendored schema, as readable lines (empty: valid). */
function violations(event: Record<string, unknown>): string[] {
  const found: string[] = [];
  for (const [object, fields] of Object.entries(SCHEMA.required)) {
    const holders = object === 'event' ? [event] : at(event, object);
    for (const holder of holders) {
      for (const field of fields) {
        if ((holder as Record<string, unknown>)[field] === undefined)
          found.push(`${object}.${field} is required`);
      }
    }
  }
  for (const [object, fields] of Object.entries(SCHEMA.at_least_one)) {
    for (const holder of at(event, object)) {
      if (!fields.some((f) => (holder as Record<string, unknown>)[f] !== undefined))
        found.push(`${object} needs one of ${fields.join(', ')}`);
    }
  }
  for (const [path, allowed] of Object.entries(SCHEMA.enums)) {
    for (const v of at(event, path)) if (!allowed.includes(v as number)) found.push(`${path}=${String(v)}`);
  }
  for (const path of SCHEMA.types.timestamp_t ?? []) {
    for (const v of at(event, path)) if (!Number.isInteger(v)) found.push(`${path} is not a timestamp_t`);
  }
  for (const path of SCHEMA.types['string_t[]'] ?? []) {
    for (const v of at(event, path))
      if (!Array.isArray(v) || v.some((s) => typeof s !== 'string')) found.push(`${path} is not string_t[]`);
  }
  for (const path of SCHEMA.types.string_t ?? []) {
    for (const v of at(event, path)) if (typeof v !== 'string') found.push(`${path} is not string_t`);
  }
  if (event.category_uid !== SCHEMA.class.category_uid) found.push('category_uid');
  if (event.class_uid !== SCHEMA.class.class_uid) found.push('class_uid');
  if (event.type_uid !== (event.class_uid as number) * 100 + (event.activity_id as number))
    found.push('type_uid must be class_uid * 100 + activity_id');
  return found;
}

describe('scan --format ocsf: OCSF Compliance Finding events', () => {
  it('the validator catches what a SIEM would reject (so a pass below means something)', () => {
    const good = toOcsfComplianceFinding(outcome()) as unknown as Record<string, unknown>;
    expect(violations(good)).toEqual([]);
    const { compliance: _dropped, ...noCompliance } = good;
    expect(violations(noCompliance)).toContain('event.compliance is required');
    expect(violations({ ...good, severity_id: 7 })).toContain('severity_id=7');
    expect(violations({ ...good, type_uid: 200301 })).toContain(
      'type_uid must be class_uid * 100 + activity_id',
    );
    expect(violations({ ...good, time: '2026-12-05' })).toContain('time is not a timestamp_t');
    expect(violations({ ...good, resources: [{ type: 'AWS::S3::Bucket' }] })).toContain(
      'resources[] needs one of name, uid',
    );
  });

  it('every outcome status that is an evaluation gives a valid event of the vendored schema version', () => {
    expect(OCSF_SCHEMA_VERSION).toBe(SCHEMA.version);
    for (const status of OUTCOME_STATUSES) {
      for (const dryRun of [true, false]) {
        const lines = formatOcsfLines([outcome({ status, dryRun, reason: 'because' })]);
        if (['ignored', 'duplicate', 'gone'].includes(status)) {
          expect(lines, status).toBe('');
          continue;
        }
        const event = JSON.parse(lines);
        expect(violations(event), `${status} dryRun=${dryRun}`).toEqual([]);
        expect(event.metadata.version).toBe('1.1.0');
      }
    }
  });

  it('maps status to compliance and finding state: fixed passes and closes, dry-run fails, exempt is suppressed', () => {
    const view = (status: OutcomeStatus, dryRun = false) => {
      const e = toOcsfComplianceFinding(outcome({ status, dryRun, reason: 'tag phiguard:exempt' }));
      return [e.activity_id, e.compliance.status, e.status];
    };
    expect(view('remediated')).toEqual([3, 'Pass', 'Resolved']);
    expect(view('remediated', true)).toEqual([1, 'Fail', 'New']);
    expect(view('would-remediate', true)).toEqual([1, 'Fail', 'New']);
    expect(view('compliant')).toEqual([1, 'Pass', 'Resolved']);
    expect(view('ticket')).toEqual([1, 'Fail', 'New']);
    expect(view('pending')).toEqual([1, 'Fail', 'In Progress']);
    expect(view('exempt')).toEqual([1, 'Fail', 'Suppressed']);
    expect(view('error')).toEqual([1, 'Warning', 'New']);
  });

  it('names the HIPAA safeguards, the rule, the resource and its account; never a call parameter', () => {
    const o = outcome({ resourceType: 'AWS::S3::Bucket', findings: ['ACL grants READ to AllUsers'] });
    const event = toOcsfComplianceFinding(o);
    expect(event).toMatchObject({
      severity_id: 5,
      compliance: {
        standards: ['HIPAA Security Rule (45 CFR Part 164 Subpart C)'],
        requirements: ['45 CFR §164.312(a)(1)'],
        control: 's3-bucket-public-access',
        status_detail: 'ACL grants READ to AllUsers',
      },
      cloud: { provider: 'AWS', region: 'us-east-1', account: { uid: '123456789012', type_id: 10 } },
      resources: [
        {
          uid: 'arn:aws:s3:::phi-claims',
          type: 'AWS::S3::Bucket',
          region: 'us-east-1',
          cloud_partition: 'aws',
        },
      ],
      remediation: { desc: 'PHI Guard called s3:PutPublicAccessBlock.', references: [o.consoleUrl] },
      finding_info: { analytic: { uid: 's3-bucket-public-access', type_id: 1 } },
    });
    // The same stable id as the Security Hub finding of this (account, Region, rule, resource).
    expect(event.finding_info.uid).toMatch(/^phiguard\/s3-bucket-public-access\/[0-9a-f]{32}$/);
    expect(JSON.stringify(event)).not.toContain('BlockPublicAcls');
  });
});

describe('scan --format csv', () => {
  it('one row per outcome under a header, RFC 4180 quoting, formula-looking cells neutralised', () => {
    const csv = formatCsv([
      outcome(),
      outcome({ status: 'error', reason: '=HYPERLINK("x"), then "quoted"', actions: [] }),
    ]);
    const lines = csv.split('\r\n');
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe(
      'account,region,rule,resource,resource_type,status,severity,safeguards,dry_run,detail,calls,time,event_id,actor',
    );
    expect(lines[1]).toMatch(
      /^123456789012,us-east-1,s3-bucket-public-access,arn:aws:s3:::phi-claims,,remediated,critical,164\.312\(a\)\(1\),false,,s3:PutPublicAccessBlock,/,
    );
    expect(lines[2]).toContain(`,"'=HYPERLINK(""x""), then ""quoted""",`);
  });
});
