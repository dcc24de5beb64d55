import {
  CreateOpsItemCommand,
  OpsItemAlreadyExistsException,
  SSMClient,
  UpdateOpsItemCommand,
} from '@aws-sdk/client-ssm';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../src/logger';
import { OpsCenterSink } from '../../../src/notify/channels/opscenter';
import { MemoryDeliveryRegistry } from '../../../src/notify/memory-delivery-registry';
import { notificationsFor } from '../../../src/notify/notification';
import { Notifier } from '../../../src/notify/notifier';
import { loadNotifierSettings } from '../../../src/notify/settings';
import { outcome } from '../../support/outcomes';

/** moto does not implement CreateOpsItem: the OpsCenter sink is tested against client mocks. */
const ssm = mockClient(SSMClient);
afterEach(() => ssm.reset());

function notifier(registry = new MemoryDeliveryRegistry()) {
  const settings = loadNotifierSettings({ PHIGUARD_OPSCENTER: 'true' });
  return new Notifier({
    settings,
    channels: {},
    sinks: { opscenter: new OpsCenterSink(new SSMClient({ region: 'us-east-1' })) },
    registry,
    logger: silentLogger,
  });
}

const batch = (overrides: Parameters<typeof outcome>[0]) =>
  notificationsFor([outcome(overrides)]).map((n) => ({ messageId: n.id, body: JSON.stringify(n) }));

describe('OpsCenter sink', () => {
  it('opens one OpsItem with operational data and a de-dup string, updates it on recurrence, resolves it', async () => {
    ssm.on(CreateOpsItemCommand).resolves({ OpsItemId: 'oi-0123456789ab' });
    ssm.on(UpdateOpsItemCommand).resolves({});
    const registry = new MemoryDeliveryRegistry();
    const instance = notifier(registry);
    const resource =
      'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/portal/50dc6c495c0c9188';
    await instance.processBatch(
      batch({ resource, rule: 'elb-listener-plaintext', status: 'ticket', severity: 'high', eventId: 'a' }),
    );
    await instance.processBatch(
      batch({ resource, rule: 'elb-listener-plaintext', status: 'ticket', severity: 'high', eventId: 'b' }),
    );
    await instance.processBatch(
      batch({ resource, rule: 'elb-listener-plaintext', status: 'compliant', ticketOpen: true }),
    );

    const creates = ssm.commandCalls(CreateOpsItemCommand);
    expect(creates).toHaveLength(1);
    expect(creates[0]?.args[0].input).toMatchObject({
      Source: 'PHI Guard',
      Category: 'Security',
      Severity: '2',
      OperationalData: {
        '/aws/dedup': {
          Type: 'SearchableString',
          Value: JSON.stringify({ dedupString: `phiguard:elb-listener-plaintext:${resource}` }),
        },
        '/aws/resources': { Type: 'SearchableString', Value: JSON.stringify([{ arn: resource }]) },
        'phiguard:rule': { Type: 'SearchableString', Value: 'elb-listener-plaintext' },
      },
    });
    const updates = ssm.commandCalls(UpdateOpsItemCommand).map((c) => c.args[0].input);
    expect(updates).toHaveLength(2);
    expect(updates[0]).toMatchObject({
      OpsItemId: 'oi-0123456789ab',
      OperationalData: { 'phiguard:lastRecurrence': expect.anything() },
    });
    expect(updates[1]).toMatchObject({ OpsItemId: 'oi-0123456789ab', Status: 'Resolved' });
  });

  it('an OpsItem OpsCenter already de-duplicated becomes the ticket', async () => {
    ssm
      .on(CreateOpsItemCommand)
      .rejects(
        new OpsItemAlreadyExistsException({ message: 'exists', $metadata: {}, OpsItemId: 'oi-existing' }),
      );
    ssm.on(UpdateOpsItemCommand).resolves({});
    const registry = new MemoryDeliveryRegistry();
    const instance = notifier(registry);
    const result = await instance.processBatch(batch({ status: 'ticket' }));
    expect(result.batchItemFailures).toEqual([]);
    expect(await registry.ticket('opscenter', 's3-bucket-public-access', 'arn:aws:s3:::phi-claims')).toEqual({
      state: 'open',
      ticket: { key: 'oi-existing', id: 'oi-existing' },
    });
  });

  it('a failing CreateOpsItem is retried through the queue and leaves no reservation behind', async () => {
    ssm
      .on(CreateOpsItemCommand)
      .rejectsOnce(Object.assign(new Error('throttled'), { name: 'ThrottlingException' }))
      .resolves({ OpsItemId: 'oi-2' });
    const registry = new MemoryDeliveryRegistry();
    const instance = notifier(registry);
    const messages = batch({ status: 'ticket' });
    expect((await instance.processBatch(messages)).batchItemFailures).toEqual([
      { itemIdentifier: messages[0]?.messageId },
    ]);
    expect((await instance.processBatch(messages)).batchItemFailures).toEqual([]);
    expect(ssm.commandCalls(CreateOpsItemCommand)).toHaveLength(2);
  });
});
