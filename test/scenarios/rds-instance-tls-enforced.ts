import { inRegion, loadFixture } from '../../local/fixtures';
import { createDbInstance } from '../../local/seed-rds';
import { dbInstanceIdOf } from '../../src/resources/rds/db-instance';
import { rds } from '../../src/resources/rds/rds-client';
import { fakeDbInstance } from '../support/fake-rds';
import { uniqueName } from '../support/moto';
import type { RuleScenarios } from '../support/scenario';
import { CREATE_INSTANCE_SAMPLES, MODIFY_INSTANCE_SAMPLES } from './rds-instance-public-access';

const ARN = 'arn:aws:rds:us-east-1:123456789012:db:claims-db';

export default {
  drifted: [
    {
      name: 'rds.force_ssl off in its parameter group (a ticket)',
      arn: ARN,
      aws(mocks) {
        fakeDbInstance(
          mocks.client(rds),
          {
            DBInstanceIdentifier: 'claims-db',
            DBInstanceArn: ARN,
            Engine: 'postgres',
            DBParameterGroups: [{ DBParameterGroupName: 'claims-postgres16' }],
          },
          { parameters: { 'rds.force_ssl': '0' } },
        );
      },
    },
  ],
  samples: { ...CREATE_INSTANCE_SAMPLES, ...MODIFY_INSTANCE_SAMPLES },
  emulator: {
    seed: (clients) => createDbInstance(clients.get(rds), uniqueName('phi-db'), { tls: false }),
    expect: 'ticket',
    // The parameter group's change: the instances using it are found by a read.
    event(arn, region) {
      const event = inRegion(loadFixture('rds/ModifyDBParameterGroup.force-ssl-off'), region);
      (event.detail.requestParameters as Record<string, unknown>).dBParameterGroupName =
        `${dbInstanceIdOf(arn)}-params`;
      return event;
    },
  },
} satisfies RuleScenarios;
