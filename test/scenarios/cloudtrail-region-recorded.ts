import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';
import { cloudtrail } from '../../src/resources/cloudtrail/trail';
import type { RuleScenarios } from '../support/scenario';

const COVERAGE = 'arn:aws:cloudtrail:us-east-1:123456789012:account-setting/trail-coverage';

export default {
  drifted: [
    {
      name: 'a Region whose only trail stopped logging (a ticket)',
      arn: COVERAGE,
      aws(mocks) {
        const stub = mocks.client(cloudtrail);
        stub.on(DescribeTrailsCommand).resolves({
          trailList: [
            {
              Name: 'phi-audit',
              TrailARN: 'arn:aws:cloudtrail:us-east-1:123456789012:trail/phi-audit',
              HomeRegion: 'us-east-1',
              IsMultiRegionTrail: true,
            },
          ],
        });
        stub.on(GetTrailStatusCommand).resolves({ IsLogging: false });
        stub.on(GetEventSelectorsCommand).resolves({ EventSelectors: [{ IncludeManagementEvents: true }] });
      },
    },
  ],
  /** The ids this rule takes from each real record of ../shared/cloudtrail-samples for its events. */
  samples: {
    // Scrambled Regions (not a Region's name) name nothing.
    'cloudtrail/DeleteTrail.1.json': [],
    'cloudtrail/DeleteTrail.2.json': [
      'arn:aws:cloudtrail:us-west-2:123456789012:account-setting/trail-coverage',
    ],
    'cloudtrail/DeleteTrail.3.json': [
      'arn:aws:cloudtrail:us-west-2:123456789012:account-setting/trail-coverage',
    ],
    'cloudtrail/StopLogging.1.json': [],
    'cloudtrail/StopLogging.2.json': [
      'arn:aws:cloudtrail:us-west-2:123456789012:account-setting/trail-coverage',
    ],
    'cloudtrail/StopLogging.3.json': [
      'arn:aws:cloudtrail:us-west-2:123456789012:account-setting/trail-coverage',
    ],
    'cloudtrail/UpdateTrail.1.json': [
      'arn:aws:cloudtrail:us-east-2:123456789012:account-setting/trail-coverage',
    ],
    'cloudtrail/UpdateTrail.2.json': [
      'arn:aws:cloudtrail:us-west-2:123456789123:account-setting/trail-coverage',
    ],
    'cloudtrail/UpdateTrail.3.json': [
      'arn:aws:cloudtrail:us-east-1:111111111111:account-setting/trail-coverage',
    ],
    'cloudtrail/PutEventSelectors.1.json': [],
    'cloudtrail/PutEventSelectors.2.json': [
      'arn:aws:cloudtrail:us-west-2:111122223333:account-setting/trail-coverage',
    ],
  },
  emulator: {
    unsupported:
      'the suite’s emulator account keeps a multi-Region trail (as an account holding PHI does), so none of its Regions goes unrecorded; the drift is tested against moto in an account of its own (test/integration/cloudtrail-coverage.test.ts)',
  },
} satisfies RuleScenarios;
