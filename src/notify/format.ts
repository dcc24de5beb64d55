import type { Notification, NotificationKind } from './notification';

/** Plain-text renderings shared by the channels (Slack fallback, tickets, SNS subjects). */
export const KIND_LABEL: Record<NotificationKind, string> = {
  remediated: 'Remediated',
  'would-remediate': 'Would remediate (dry-run)',
  'needs-person': 'Needs a person',
  fight: 'Fight detected',
  error: 'Remediation failed',
  resolved: 'Resolved',
  gone: 'Resource gone',
};

export function safeguardsText(n: Notification): string {
  return n.safeguards.map((s) => `§${s}`).join(', ');
}

export function actionsText(n: Notification): string[] {
  return n.actions.map((a) => `${a.service}:${a.api} ${JSON.stringify(a.params)}`);
}

/** The body of a ticket or a plain-text message: what, where, who, what was done, what to do. */
export function plainLines(n: Notification): string[] {
  const lines = [
    `${KIND_LABEL[n.kind]}: ${n.title}`,
    `Rule: ${n.rule} (severity ${n.severity})`,
    `HIPAA safeguard: ${safeguardsText(n)}`,
    `Resource: ${n.resource}`,
    `Account / region: ${n.account ?? 'unknown'} / ${n.region ?? 'unknown'}`,
    `Caused by: ${n.actor ?? 'unknown'}${n.eventName ? ` (${n.eventName}${n.eventId ? `, event ${n.eventId}` : ''})` : ''}`,
  ];
  if (n.findings?.length) lines.push(`Findings: ${n.findings.join('; ')}`);
  if (n.reason) lines.push(`Reason: ${n.reason}`);
  if (n.actions.length > 0) {
    lines.push(n.kind === 'remediated' ? 'Actions taken:' : 'Actions planned:');
    for (const action of actionsText(n)) lines.push(`  - ${action}`);
  }
  if (n.consoleUrl) lines.push(`Console: ${n.consoleUrl}`);
  if (n.test) lines.push('This is a test message sent by `phiguard notify test`; no resource was changed.');
  return lines;
}

export function digestSummary(items: readonly Notification[]): string {
  const counts = new Map<string, number>();
  for (const n of items) counts.set(KIND_LABEL[n.kind], (counts.get(KIND_LABEL[n.kind]) ?? 0) + 1);
  return [...counts].map(([label, count]) => `${count} ${label.toLowerCase()}`).join(', ');
}

/** A short subject line: "[PHI Guard] Remediated: s3-bucket-public-access on arn:…". */
export function subjectOf(n: Pick<Notification, 'kind' | 'rule' | 'resource' | 'test'>): string {
  return `${n.test ? '[TEST] ' : ''}[PHI Guard] ${KIND_LABEL[n.kind]}: ${n.rule} on ${n.resource}`;
}
