import { NOTIFICATION_VERSION, type Notification, notificationId } from './notification';

/** A clearly marked message for `phiguard notify test`: no resource, nothing changed. */
export function testNotification(now = new Date()): Notification {
  const time = now.toISOString();
  return {
    version: NOTIFICATION_VERSION,
    id: notificationId(['phiguard-test', time, Math.random().toString(36)]),
    kind: 'needs-person',
    status: 'ticket',
    dryRun: false,
    test: true,
    rule: 'phiguard-test',
    title: 'PHI Guard wiring test (no resource was changed)',
    severity: 'low',
    safeguards: ['164.312(b)'],
    resource: `arn:aws:phiguard:::test/${time}`,
    actions: [],
    reason: 'test message sent by phiguard notify test',
    time,
  };
}
