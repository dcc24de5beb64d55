import { DescribeDBSnapshotAttributesCommand } from '@aws-sdk/client-rds';
import { expect } from 'vitest';
import { rdsEvent } from '../../local/fixtures';
import { createDbInstance, createDbSnapshot } from '../../local/seed-rds';
import { dbSnapshotIdOf } from '../../src/resources/rds/db-snapshot';
import { rds } from '../../src/resources/rds/rds-client';
import { fakeDbSnapshot } from '../support/fake-rds';
import { uniqueName } from '../support/moto';
import type { RuleScenarios } from '../support/scenario';

export default {
  drifted: [
    {
      name: 'restorable by all, and shared with one account',
      arn: 'arn:aws:rds:us-east-1:123456789012:snapshot:claims-db-nightly',
      aws(mocks) {
        fakeDbSnapshot(mocks.client(rds), 'claims-db-nightly', ['all', '111122223333']);
      },
    },
  ],
  /** The ids this rule takes from each real record of ../shared/cloudtrail-samples for its events. */
  samples: {
    // An invented region in the record: the ARN keeps it (the partition defaults to aws).
    // Its awsRegion is scrambled (not a Region's name): it names nothing.
    'rds/ModifyDBSnapshotAttribute.1.json': [],
    'rds/ModifyDBSnapshotAttribute.2.json': ['arn:aws:rds:us-west-2:123456789012:snapshot:exfiltration'],
  },
  emulator: {
    async seed(clients) {
      const instance = uniqueName('phi-db');
      await createDbInstance(clients.get(rds), instance);
      return createDbSnapshot(clients.get(rds), instance, `${instance}-nightly`, {
        public: true,
        accounts: ['111122223333'],
      });
    },
    expect: 'remediated',
    event: (arn) => rdsEvent('rds/ModifyDBSnapshotAttribute.public', arn),
    async fixed(clients, arn) {
      const out = await clients
        .get(rds)
        .send(new DescribeDBSnapshotAttributesCommand({ DBSnapshotIdentifier: dbSnapshotIdOf(arn) }));
      // Public no more; the account it was shared with keeps its share.
      expect(out.DBSnapshotAttributesResult?.DBSnapshotAttributes).toEqual([
        { AttributeName: 'restore', AttributeValues: ['111122223333'] },
      ]);
    },
  },
} satisfies RuleScenarios;
