import { rdsEvent } from '../../local/fixtures';
import { createDbInstance } from '../../local/seed-rds';
import { rds } from '../../src/resources/rds/rds-client';
import { fakeDbInstance } from '../support/fake-rds';
import { uniqueName } from '../support/moto';
import type { RuleScenarios } from '../support/scenario';
import { CREATE_INSTANCE_SAMPLES } from './rds-instance-public-access';

const ARN = 'arn:aws:rds:us-east-1:123456789012:db:claims-db';

export default {
  drifted: [
    {
      name: 'unencrypted storage (a ticket)',
      arn: ARN,
      aws(mocks) {
        fakeDbInstance(mocks.client(rds), {
          DBInstanceIdentifier: 'claims-db',
          DBInstanceArn: ARN,
          Engine: 'postgres',
          StorageEncrypted: false,
        });
      },
    },
  ],
  samples: CREATE_INSTANCE_SAMPLES,
  emulator: {
    seed: (clients) => createDbInstance(clients.get(rds), uniqueName('phi-db'), { encrypted: false }),
    expect: 'ticket',
    event: (arn) => rdsEvent('rds/CreateDBInstance.public', arn),
  },
} satisfies RuleScenarios;
