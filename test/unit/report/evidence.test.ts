import { describe, expect, it } from 'vitest';
import type { HistoryEntry } from '../../../src/ledger/ledger';
import { pairKey } from '../../../src/ledger/ledger';
import { buildEvidence, reportedSafeguardOf } from '../../../src/report/evidence';
import { renderEvidenceHtml } from '../../../src/report/render-html';
import { bucketTimesToFix } from '../../../src/report/svg-charts';
import { outcome } from '../../support/outcomes';

const NOW = new Date('2026-12-05T12:00:00.000Z');
const SINCE = new Date('2026-11-05T12:00:00.000Z');
const RULES = [
  { id: 's3-bucket-encryption', title: 'S3 encrypted', safeguards: ['164.312(a)(2)(iv)'] as const },
  { id: 's3-bucket-versioning', title: 'S3 versioned', safeguards: ['164.308(a)(7)(ii)(A)'] as const },
  { id: 'rds-tls', title: 'RDS TLS', safeguards: ['164.312(e)(1)'] as const },
];
let n = 0;
const at = (minutesAgo: number) => new Date(NOW.getTime() - minutesAgo * 60_000).toISOString();
function entry(overrides: Partial<HistoryEntry>): HistoryEntry {
  n++;
  return {
    id: `e${n}`,
    rule: 's3-bucket-encryption',
    resource: `arn:aws:s3:::b${n}`,
    status: 'remediated',
    safeguards: ['164.312(a)(2)(iv)'],
    time: at(0),
    dryRun: false,
    actions: [{ service: 's3', api: 'PutBucketEncryption', params: {} }],
    account: '111122223333',
    region: 'us-east-1',
    ...overrides,
  };
}

describe('evidence per safeguard', () => {
  it('citations fall under the six reported safeguards', () => {
    expect(reportedSafeguardOf('164.308(a)(7)(ii)(A)')).toBe('164.308(a)(7)');
    expect(reportedSafeguardOf('164.312(a)(2)(iv)')).toBe('164.312(a)(2)(iv)');
    expect(reportedSafeguardOf('164.312(a)(1)')).toBe('164.312(a)(1)');
    expect(reportedSafeguardOf('164.316(b)(1)')).toBe('164.316(b)(1)');
  });

  it('time to fix from the event to the read-back: median and 95th percentile; a pending fix timed from its own event', () => {
    // Fixes 1..20 minutes after their events.
    const fixes = Array.from({ length: 20 }, (_, i) => entry({ time: at(100), eventTime: at(100 + i + 1) }));
    const pending = entry({
      rule: 'rds-tls',
      safeguards: ['164.312(e)(1)'],
      resource: 'arn:aws:rds:us-east-1:111122223333:db:x',
      status: 'pending',
      time: at(50),
      eventTime: at(60),
    });
    const confirmed = {
      ...pending,
      id: 'confirm',
      status: 'remediated' as const,
      actions: [],
      time: at(20),
      eventTime: at(25),
    };
    const sweepFix = entry({ time: at(10) });
    const evidence = buildEvidence({
      rules: RULES,
      entries: [...fixes, pending, confirmed, sweepFix],
      since: SINCE,
      now: NOW,
      openTickets: new Set(),
    });
    const encryption = evidence.safeguards.find((s) => s.id === '164.312(a)(2)(iv)');
    expect(encryption?.timeToFix).toEqual({ count: 20, medianSeconds: 600, p95Seconds: 1140, unmeasured: 1 });
    expect(encryption?.fixedAutomatically).toBe(21);
    expect(encryption?.driftsDetected).toBe(21);
    const tls = evidence.safeguards.find((s) => s.id === '164.312(e)(1)');
    // Pending at -60 min, confirmed at -20 min: 40 minutes; one drift, one fix.
    expect(tls).toMatchObject({
      driftsDetected: 1,
      fixedAutomatically: 1,
      timeToFix: { count: 1, medianSeconds: 2400 },
    });
    expect(bucketTimesToFix(evidence.timeToFixSeconds)).toEqual([1, 4, 10, 6, 0, 0, 0]);
  });

  it('tickets still open, exemptions, fights and compliant-now from the latest word on each resource', () => {
    const ticketed = entry({
      rule: 'rds-tls',
      safeguards: ['164.312(e)(1)'],
      resource: 'arn:aws:rds:us-east-1:1:db:a',
      status: 'ticket',
      actions: [],
      time: at(300),
    });
    const ticketFixed = entry({
      rule: 'rds-tls',
      safeguards: ['164.312(e)(1)'],
      resource: 'arn:aws:rds:us-east-1:1:db:b',
      status: 'ticket',
      actions: [],
      time: at(300),
    });
    const laterCompliant = { ...ticketFixed, id: 'later', status: 'compliant' as const, time: at(100) };
    const inJira = entry({
      rule: 'rds-tls',
      safeguards: ['164.312(e)(1)'],
      resource: 'arn:aws:rds:us-east-1:1:db:c',
      status: 'ticket',
      actions: [],
      time: at(300),
    });
    const inJiraFixed = { ...inJira, id: 'later2', status: 'compliant' as const, time: at(100) };
    const fight = entry({
      rule: 'rds-tls',
      safeguards: ['164.312(e)(1)'],
      resource: 'arn:aws:rds:us-east-1:1:db:d',
      status: 'ticket',
      actions: [],
      fight: true,
      time: at(50),
    });
    const exempt = entry({
      rule: 's3-bucket-versioning',
      safeguards: ['164.308(a)(7)(ii)(A)'],
      resource: 'arn:aws:s3:::press',
      status: 'exempt',
      actions: [],
    });
    const dryRun = entry({ status: 'would-remediate', dryRun: true });
    const tooOld = entry({ time: new Date(SINCE.getTime() - 1000).toISOString() });
    const evidence = buildEvidence({
      rules: RULES,
      entries: [ticketed, ticketFixed, laterCompliant, inJira, inJiraFixed, fight, exempt, dryRun, tooOld],
      since: SINCE,
      now: NOW,
      openTickets: new Set([pairKey(inJira.rule, inJira.resource)]),
    });
    const tls = evidence.safeguards.find((s) => s.id === '164.312(e)(1)');
    // a: still a ticket; b: compliant since; c: compliant but its Jira ticket is still open; d: a fight.
    expect(tls).toMatchObject({
      ticketsOpened: 4,
      ticketsStillOpen: 3,
      fights: 1,
      resourcesEvaluated: 4,
      compliantShare: 0.5,
    });
    const backup = evidence.safeguards.find((s) => s.id === '164.308(a)(7)');
    expect(backup?.exemptions).toEqual([
      {
        rule: 's3-bucket-versioning',
        resource: 'arn:aws:s3:::press',
        account: '111122223333',
        region: 'us-east-1',
        reasonUnavailable: 'not read',
      },
    ]);
    expect(backup?.compliantShare).toBe(0);
    const encryption = evidence.safeguards.find((s) => s.id === '164.312(a)(2)(iv)');
    // The dry-run drift is a drift, not a fix; the entry before the period is left out.
    expect(encryption).toMatchObject({ driftsDetected: 1, fixedAutomatically: 0 });
    expect(evidence.historyEntries).toBe(8);
    expect(evidence.weeks.map((w) => w.start)).toEqual([
      '2026-11-02',
      '2026-11-09',
      '2026-11-16',
      '2026-11-23',
      '2026-11-30',
    ]);
    expect(evidence.weeks.at(-1)?.drifts).toEqual({
      '164.312(e)(1)': 4,
      '164.308(a)(7)': 1,
      '164.312(a)(2)(iv)': 1,
    });
  });

  it('with a live scan, compliant-now counts resources meeting every control of the safeguard', () => {
    const evidence = buildEvidence({
      rules: RULES,
      entries: [],
      since: SINCE,
      now: NOW,
      openTickets: new Set(),
      scan: [
        outcome({ rule: 's3-bucket-encryption', resource: 'arn:aws:s3:::a', status: 'compliant' }),
        outcome({ rule: 's3-bucket-encryption', resource: 'arn:aws:s3:::b', status: 'would-remediate' }),
        outcome({ rule: 's3-bucket-encryption', resource: 'arn:aws:s3:::c', status: 'compliant' }),
        outcome({ rule: 's3-bucket-encryption', resource: 'arn:aws:s3:::d', status: 'gone' }),
      ],
    });
    expect(evidence.safeguards.find((s) => s.id === '164.312(a)(2)(iv)')).toMatchObject({
      basis: 'scan',
      resourcesEvaluated: 3,
      compliantShare: 2 / 3,
    });
  });

  it('escapes every value it renders: a hostile reason cannot become markup', () => {
    const evidence = buildEvidence({
      rules: RULES,
      entries: [
        entry({
          rule: 's3-bucket-versioning',
          safeguards: ['164.308(a)(7)(ii)(A)'],
          status: 'exempt',
          actions: [],
        }),
      ],
      since: SINCE,
      now: NOW,
      openTickets: new Set(),
    });
    const backup = evidence.safeguards.find((s) => s.id === '164.308(a)(7)');
    if (backup?.exemptions[0])
      backup.exemptions[0] = { ...backup.exemptions[0], reason: '<img src=x onerror=alert(1)>' };
    const html = renderEvidenceHtml(evidence);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt;');
    expect(html).not.toContain('<img');
    expect(html).not.toMatch(/<script|https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
  });
});
