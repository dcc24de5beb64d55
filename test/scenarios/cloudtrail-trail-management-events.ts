import { PutEventSelectorsCommand } from '@aws-sdk/client-cloudtrail';
import { trailEvent } from '../../local/fixtures';
import { createTrail } from '../../local/seed-cloudtrail';
import { cloudtrail } from '../../src/resources/cloudtrail/trail';
import { fakeTrail, TRAIL_ARN } from '../support/fake-cloudtrail';
import { uniqueName } from '../support/moto';
import type { RuleScenarios } from '../support/scenario';

export default {
  drifted: [
    {
      name: 'a trail recording data events only (a ticket)',
      arn: TRAIL_ARN,
      aws: (mocks) => fakeTrail(mocks, {}, { management: false }),
    },
  ],
  /** The ids this rule takes from each real record of ../shared/cloudtrail-samples for its events. */
  samples: {
    // Its awsRegion and ARN are not a Region's (the sample's values are scrambled).
    'cloudtrail/PutEventSelectors.1.json': [],
    'cloudtrail/PutEventSelectors.2.json': [
      'arn:aws:cloudtrail:us-west-2:111122223333:trail/sample-cloudtrail-name',
    ],
  },
  emulator: {
    async seed(clients) {
      const arn = await createTrail(clients, uniqueName('phi-audit'));
      await clients.get(cloudtrail).send(
        new PutEventSelectorsCommand({
          TrailName: arn,
          EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: false }],
        }),
      );
      return arn;
    },
    expect: 'ticket',
    event: (arn) => trailEvent('cloudtrail/PutEventSelectors.no-management', arn),
  },
} satisfies RuleScenarios;
