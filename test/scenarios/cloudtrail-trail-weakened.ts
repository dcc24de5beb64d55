import { GetTrailCommand, UpdateTrailCommand } from '@aws-sdk/client-cloudtrail';
import { expect } from 'vitest';
import { trailEvent } from '../../local/fixtures';
import { createTrail } from '../../local/seed-cloudtrail';
import { cloudtrail } from '../../src/resources/cloudtrail/trail';
import { fakeTrail, TRAIL_ARN } from '../support/fake-cloudtrail';
import { uniqueName } from '../support/moto';
import type { RuleScenarios } from '../support/scenario';

export default {
  drifted: [
    {
      name: 'a trail of one Region without log file validation',
      arn: TRAIL_ARN,
      aws: (mocks) => fakeTrail(mocks, { IsMultiRegionTrail: false, LogFileValidationEnabled: false }),
    },
  ],
  /** The ids this rule takes from each real record of ../shared/cloudtrail-samples for its events. */
  samples: {
    'cloudtrail/UpdateTrail.1.json': ['arn:aws:cloudtrail:us-east-2:123456789012:trail/myTrail2'],
    // Its name and ARN are "..." in the published sample.
    'cloudtrail/UpdateTrail.2.json': [],
    'cloudtrail/UpdateTrail.3.json': ['arn:aws:cloudtrail:us-east-1:111111111111:trail/management-events'],
  },
  emulator: {
    async seed(clients) {
      const arn = await createTrail(clients, uniqueName('phi-audit'));
      await clients
        .get(cloudtrail)
        .send(
          new UpdateTrailCommand({ Name: arn, IsMultiRegionTrail: false, EnableLogFileValidation: false }),
        );
      return arn;
    },
    expect: 'remediated',
    event: (arn) => trailEvent('cloudtrail/UpdateTrail.single-region', arn),
    async fixed(clients, arn) {
      const out = await clients.get(cloudtrail).send(new GetTrailCommand({ Name: arn }));
      expect(out.Trail).toMatchObject({ IsMultiRegionTrail: true, LogFileValidationEnabled: true });
    },
  },
} satisfies RuleScenarios;
