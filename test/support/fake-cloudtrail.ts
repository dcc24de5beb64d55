import {
  GetEventSelectorsCommand,
  GetTrailCommand,
  GetTrailStatusCommand,
  ListTagsCommand,
  StartLoggingCommand,
  type Trail,
  UpdateTrailCommand,
} from '@aws-sdk/client-cloudtrail';
import { cloudtrail } from '../../src/resources/cloudtrail/trail';
import type { MockAws } from './scenario';

export const TRAIL_ARN = 'arn:aws:cloudtrail:us-east-1:123456789012:trail/phi-audit';

/**
 * One trail behind the mocked client, answering as CloudTrail does: multi-Region,
 * validating, logging and recording management events unless told otherwise.
 * StartLogging and UpdateTrail change it. The returned state is live.
 */
export function fakeTrail(
  mocks: MockAws,
  trail: Partial<Trail> = {},
  options: { logging?: boolean; management?: boolean; tags?: Record<string, string>; exists?: boolean } = {},
) {
  const state = {
    trail: {
      Name: 'phi-audit',
      TrailARN: TRAIL_ARN,
      HomeRegion: 'us-east-1',
      IsMultiRegionTrail: true,
      LogFileValidationEnabled: true,
      IsOrganizationTrail: false,
      S3BucketName: 'phi-audit-logs',
      ...trail,
    } as Trail,
    logging: options.logging ?? true,
  };
  const stub = mocks.client(cloudtrail);
  stub.on(GetTrailCommand).callsFake(() => {
    if (options.exists === false) {
      throw Object.assign(new Error('gone'), { name: 'TrailNotFoundException', $fault: 'client' });
    }
    return { Trail: { ...state.trail } };
  });
  stub.on(GetTrailStatusCommand).callsFake(() => ({ IsLogging: state.logging }));
  stub.on(StartLoggingCommand).callsFake(() => {
    state.logging = true;
    return {};
  });
  stub
    .on(UpdateTrailCommand)
    .callsFake((input: { IsMultiRegionTrail?: boolean; EnableLogFileValidation?: boolean }) => {
      if (input.IsMultiRegionTrail !== undefined) state.trail.IsMultiRegionTrail = input.IsMultiRegionTrail;
      if (input.EnableLogFileValidation !== undefined)
        state.trail.LogFileValidationEnabled = input.EnableLogFileValidation;
      return {};
    });
  stub.on(GetEventSelectorsCommand).resolves({
    EventSelectors: [{ ReadWriteType: 'All', IncludeManagementEvents: options.management ?? true }],
  });
  stub.on(ListTagsCommand).resolves({
    ResourceTagList: [
      {
        ResourceId: TRAIL_ARN,
        TagsList: Object.entries(options.tags ?? {}).map(([Key, Value]) => ({ Key, Value })),
      },
    ],
  });
  return { stub, state };
}
