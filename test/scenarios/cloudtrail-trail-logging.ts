import { GetTrailStatusCommand, StopLoggingCommand } from '@aws-sdk/client-cloudtrail';
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
      name: 'a trail that stopped logging',
      arn: TRAIL_ARN,
      aws: (mocks) => fakeTrail(mocks, {}, { logging: false }),
    },
  ],
  /** The ids this rule takes from each real record of ../shared/cloudtrail-samples for its events. */
  samples: {
    // Its awsRegion is not a Region (the sample's values are scrambled): it names nothing.
    'cloudtrail/StopLogging.1.json': [],
    'cloudtrail/StopLogging.2.json': ['arn:aws:cloudtrail:us-west-2:123456789012:trail/example-trail'],
    'cloudtrail/StopLogging.3.json': ['arn:aws:cloudtrail:us-west-2:123456789012:trail/example-trail'],
  },
  emulator: {
    async seed(clients) {
      const arn = await createTrail(clients, uniqueName('phi-audit'));
      await clients.get(cloudtrail).send(new StopLoggingCommand({ Name: arn.split('/').at(-1) }));
      return arn;
    },
    expect: 'remediated',
    event: (arn) => trailEvent('cloudtrail/StopLogging.basic', arn),
    async fixed(clients, arn) {
      const out = await clients.get(cloudtrail).send(new GetTrailStatusCommand({ Name: arn }));
      expect(out.IsLogging).toBe(true);
    },
  },
} satisfies RuleScenarios;
