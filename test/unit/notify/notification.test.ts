import { describe, expect, it } from 'vitest';
import { kindOf, notificationSchema, notificationsFor } from '../../../src/notify/notification';
import { channelsFor, configuredChannels } from '../../../src/notify/routing';
import { REDACTED, sanitizeParams } from '../../../src/notify/sanitize';
import { parseSecretRef } from '../../../src/notify/secret-ref';
import { DEFAULT_ROUTES, loadNotifierSettings } from '../../../src/notify/settings';
import type { Outcome } from '../../../src/outcome';
import { outcome as baseOutcome } from '../../support/outcomes';

const outcome = (overrides: Partial<Outcome> = {}) =>
  baseOutcome({ time: '2026-11-29T12:00:00.000Z', ...overrides });

const CANARY = 'CANARY-PHI-93b1';

describe('notifications from outcomes', () => {
  it.each([
    [{ status: 'remediated' }, 'remediated'],
    [{ status: 'would-remediate', dryRun: true }, 'would-remediate'],
    [{ status: 'ticket' }, 'needs-person'],
    [{ status: 'ticket', fight: true }, 'fight'],
    [{ status: 'non-compliant' }, 'needs-person'],
    [{ status: 'error' }, 'error'],
    [{ status: 'compliant', ticketOpen: true }, 'resolved'],
    [{ status: 'compliant', findingClosed: true }, 'resolved'],
    [{ status: 'gone' }, 'gone'],
    [{ status: 'compliant' }, undefined],
    [{ status: 'exempt' }, undefined],
    [{ status: 'duplicate' }, undefined],
  ] as const)('%o → %s', (overrides, kind) => {
    expect(kindOf(outcome(overrides as Partial<Outcome>))).toBe(kind);
  });

  it('builds a valid v1 document with a stable id per outcome', () => {
    const [a] = notificationsFor([outcome()]);
    const [b] = notificationsFor([outcome()]);
    expect(notificationSchema.parse(a)).toEqual(a);
    expect(a?.id).toBe(b?.id);
    expect(a?.id).not.toBe(notificationsFor([outcome({ status: 'error' })])[0]?.id);
  });

  it('the sanitizer removes content a rule might put in parameters; the canary never survives', () => {
    const params = {
      Bucket: 'phi-claims',
      Policy: `{"Resource":"arn:aws:s3:::phi-claims/${CANARY}/*"}`,
      TagSpecifications: [{ Tags: [{ Key: 'patient', Value: CANARY }] }],
      Key: `${CANARY}/scan.pdf`,
      Nested: { Description: CANARY, Tags: { owner: CANARY }, Enabled: true },
      Long: 'x'.repeat(1000),
    };
    const clean = sanitizeParams(params);
    expect(JSON.stringify(clean)).not.toContain(CANARY);
    expect(clean).toMatchObject({
      Bucket: 'phi-claims',
      Policy: REDACTED,
      TagSpecifications: REDACTED,
      Key: REDACTED,
      Nested: { Description: REDACTED, Tags: REDACTED, Enabled: true },
    });
    const [n] = notificationsFor([outcome({ actions: [{ service: 's3', api: 'PutBucketPolicy', params }] })]);
    expect(JSON.stringify(n)).not.toContain(CANARY);
  });
});

describe('routing', () => {
  const settings = {
    ...loadNotifierSettings({}),
    slack: parseSecretRef('x', 'ssm:/phiguard/slack'),
    snsTopicArn: 'arn:aws:sns:us-east-1:123456789012:phiguard',
    opscenter: true,
  };
  const configured = configuredChannels(settings);

  it('sends real outcomes to chat and topic, and what needs a person to the ticket sinks', () => {
    const [remediated] = notificationsFor([outcome()]);
    const [ticket] = notificationsFor([outcome({ status: 'ticket' })]);
    expect(channelsFor(remediated as never, settings, configured).sort()).toEqual(['slack', 'sns']);
    expect(channelsFor(ticket as never, settings, configured).sort()).toEqual(['opscenter', 'slack', 'sns']);
  });

  it('sends dry-run outcomes only to the review channel (Slack when none) and the topic, never to tickets', () => {
    const [dry] = notificationsFor([outcome({ status: 'would-remediate', dryRun: true })]);
    expect(channelsFor(dry as never, settings, configured).sort()).toEqual(['slack', 'sns']);
    const withReview = { ...settings, slackReview: parseSecretRef('x', 'ssm:/phiguard/review') };
    expect(channelsFor(dry as never, withReview, configuredChannels(withReview)).sort()).toEqual([
      'slack-review',
      'sns',
    ]);
  });

  it('honours configured routes by severity and rule', () => {
    const routed = loadNotifierSettings({
      PHIGUARD_NOTIFY_ROUTES: JSON.stringify([
        { channels: ['opscenter'], severities: ['critical'], rules: ['vpc-flow-logs'] },
      ]),
      PHIGUARD_OPSCENTER: 'true',
    });
    const [match] = notificationsFor([outcome({ rule: 'vpc-flow-logs', status: 'ticket' })]);
    const [other] = notificationsFor([outcome({ status: 'ticket' })]);
    expect(channelsFor(match as never, routed, configuredChannels(routed))).toEqual(['opscenter']);
    expect(channelsFor(other as never, routed, configuredChannels(routed))).toEqual([]);
  });

  it('routes every outcome to Security Hub by default, dry-run ones too (the drift is real)', () => {
    const settings = loadNotifierSettings({
      PHIGUARD_SECURITY_HUB: 'true',
      PHIGUARD_ACCOUNT_ID: '111122223333',
      AWS_REGION: 'eu-west-1',
    });
    expect(settings.routes).toBe(DEFAULT_ROUTES);
    expect(settings.securityHub).toEqual({ account: '111122223333', region: 'eu-west-1', partition: 'aws' });
    for (const o of [outcome({ status: 'would-remediate', dryRun: true }), outcome({ status: 'ticket' })]) {
      const [n] = notificationsFor([o]);
      expect(channelsFor(n as never, settings, configuredChannels(settings))).toEqual(['securityhub']);
    }
    expect(() => loadNotifierSettings({ PHIGUARD_SECURITY_HUB: 'true', AWS_REGION: 'eu-west-1' })).toThrow(
      /Security Hub needs PHIGUARD_ACCOUNT_ID and AWS_REGION/,
    );
  });

  it('a resource gone goes only to Security Hub (to archive its finding), in dry-run too, and only where a route names it', () => {
    const all = {
      ...settings,
      ...loadNotifierSettings({
        PHIGUARD_SECURITY_HUB: 'true',
        PHIGUARD_ACCOUNT_ID: '111122223333',
        AWS_REGION: 'eu-west-1',
      }),
      slack: settings.slack,
      snsTopicArn: settings.snsTopicArn,
      opscenter: true,
    };
    for (const dryRun of [false, true]) {
      const [gone] = notificationsFor([outcome({ status: 'gone', dryRun, actions: [] })]);
      expect(gone?.kind).toBe('gone');
      expect(channelsFor(gone as never, all, configuredChannels(all))).toEqual(['securityhub']);
    }
    // An operator's route without `kinds` (everything) still does not take it; one naming it does.
    const [gone] = notificationsFor([outcome({ status: 'gone', actions: [] })]);
    const everything = { ...all, routes: [{ channels: ['slack' as const] }] };
    expect(channelsFor(gone as never, everything, configuredChannels(everything))).toEqual([]);
    const named = { ...all, routes: [{ kinds: ['gone' as const], channels: ['sns' as const] }] };
    expect(channelsFor(gone as never, named, configuredChannels(named))).toEqual(['sns']);
  });

  it.each([
    [{ PHIGUARD_SLACK_WEBHOOK: 'https://hooks.slack.com/services/T/B/X' }, /must reference the secret/],
    [{ PHIGUARD_SLACK_WEBHOOK: 'plain-name' }, /ssm:\/parameter-name/],
    [{ PHIGUARD_JIRA_URL: 'https://x.atlassian.net' }, /Jira needs PHIGUARD_JIRA_PROJECT/],
    [
      { PHIGUARD_SERVICENOW_URL: 'http://example.org', PHIGUARD_SERVICENOW_SECRET: 'ssm:/x' },
      /must use https/,
    ],
    [{ PHIGUARD_NOTIFY_ROUTES: '[{"channels":["pager"]}]' }, /PHIGUARD_NOTIFY_ROUTES is invalid/],
    [{ PHIGUARD_SNS_TOPIC_ARN: 'phiguard' }, /SNS topic ARN/],
  ])('rejects %o at start-up', (env, message) => {
    expect(() => loadNotifierSettings(env)).toThrow(message);
  });
});
