import { rules as registry } from '../../remediations';
import { createClientPool } from '../../src/aws-clients';
import { Engine } from '../../src/engine/engine';
import type { Ledger } from '../../src/ledger/ledger';
import { MemoryLedger } from '../../src/ledger/memory-ledger';
import type { NotificationPublisher } from '../../src/notify/queue-publisher';
import type { Rule } from '../../src/rule';
import { testConfig } from './config';

/** An engine over the real registry (or given rules) with explicit settings; dry-run only when asked. */
export function testEngine(
  options: {
    dryRun?: boolean;
    env?: Record<string, string>;
    rules?: readonly Rule[];
    ledger?: Ledger;
    publisher?: NotificationPublisher;
  } = {},
) {
  const rules = options.rules ?? registry;
  const config = testConfig({ PHIGUARD_DRY_RUN: String(options.dryRun ?? false), ...options.env }, rules);
  return new Engine({
    rules,
    config,
    ledger: options.ledger ?? new MemoryLedger(config.ledger),
    publisher: options.publisher,
    clientsFor: createClientPool({
      overrides: { credentials: { accessKeyId: 'unit', secretAccessKey: 'unit' } },
    }),
  });
}

export const SELF_ROLE_ARN = 'arn:aws:iam::123456789012:role/phiguard-dev-us-east-1-on-event';

/** Makes a fixture look like PHI Guard's own call (an assumed-role session of its role). */
export function asSelf<T extends { detail: { userIdentity: Record<string, unknown> } }>(event: T): T {
  event.detail.userIdentity = {
    type: 'AssumedRole',
    arn: 'arn:aws:sts::123456789012:assumed-role/phiguard-dev-us-east-1-on-event/phiguard-dev-on-cloudtrail-event',
    accountId: '123456789012',
    sessionContext: {
      sessionIssuer: { type: 'Role', arn: SELF_ROLE_ARN, userName: 'phiguard-dev-us-east-1-on-event' },
    },
  };
  return event;
}
