import {
  GetBucketAclCommand,
  GetBucketEncryptionCommand,
  GetBucketPolicyCommand,
  GetBucketTaggingCommand,
  GetPublicAccessBlockCommand,
  type Grant,
  type PublicAccessBlockConfiguration,
  PutBucketAclCommand,
  PutBucketEncryptionCommand,
  PutBucketPolicyCommand,
  PutPublicAccessBlockCommand,
  S3Client,
  type ServerSideEncryptionRule,
} from '@aws-sdk/client-s3';
import { mockClient } from 'aws-sdk-client-mock';

/**
 * One bucket held in memory behind aws-sdk-client-mock: reads answer from the
 * state (with S3's real "not configured" error codes), writes change it, and
 * every command stays inspectable for "which calls were made" assertions.
 */
export interface FakeBucketState {
  exists: boolean;
  publicAccessBlock?: PublicAccessBlockConfiguration;
  owner: { ID: string; DisplayName?: string };
  grants: Grant[];
  policy?: string;
  encryption?: ServerSideEncryptionRule[];
  tags?: Record<string, string>;
}

export function awsError(name: string, status: number): Error {
  return Object.assign(new Error(`${name} (test)`), {
    name,
    Code: name,
    $fault: 'client',
    $metadata: { httpStatusCode: status },
  });
}

export const OWNER = {
  ID: 'c0ffee0000000000000000000000000000000000000000000000000000000000',
  DisplayName: 'owner',
};
export const OWNER_GRANT: Grant = {
  Grantee: { Type: 'CanonicalUser', ID: OWNER.ID },
  Permission: 'FULL_CONTROL',
};
export const ALL_USERS_READ: Grant = {
  Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/global/AllUsers' },
  Permission: 'READ',
};
export const LOG_DELIVERY_WRITE: Grant = {
  Grantee: { Type: 'Group', URI: 'http://acs.amazonaws.com/groups/s3/LogDelivery' },
  Permission: 'WRITE',
};

const s3Stub = () => mockClient(S3Client);
type S3Stub = ReturnType<typeof s3Stub>;

export function fakeS3(initial: Partial<FakeBucketState> = {}) {
  return fakeBucketOn(s3Stub(), initial);
}

/** The same bucket behind a stub the caller made (a scenario's {@link MockAws}). */
export function fakeBucketOn(mock: S3Stub, initial: Partial<FakeBucketState> = {}) {
  const state: FakeBucketState = { exists: true, owner: OWNER, grants: [OWNER_GRANT], ...initial };
  const guard = () => {
    if (!state.exists) throw awsError('NoSuchBucket', 404);
  };
  mock.on(GetPublicAccessBlockCommand).callsFake(() => {
    guard();
    if (!state.publicAccessBlock) throw awsError('NoSuchPublicAccessBlockConfiguration', 404);
    return { PublicAccessBlockConfiguration: state.publicAccessBlock };
  });
  mock.on(GetBucketAclCommand).callsFake(() => {
    guard();
    return { Owner: state.owner, Grants: state.grants };
  });
  mock.on(GetBucketPolicyCommand).callsFake(() => {
    guard();
    if (state.policy === undefined) throw awsError('NoSuchBucketPolicy', 404);
    return { Policy: state.policy };
  });
  mock.on(GetBucketEncryptionCommand).callsFake(() => {
    guard();
    if (!state.encryption) throw awsError('ServerSideEncryptionConfigurationNotFoundError', 404);
    return { ServerSideEncryptionConfiguration: { Rules: state.encryption } };
  });
  mock.on(GetBucketTaggingCommand).callsFake(() => {
    guard();
    if (!state.tags) throw awsError('NoSuchTagSet', 404);
    return { TagSet: Object.entries(state.tags).map(([Key, Value]) => ({ Key, Value })) };
  });
  mock.on(PutPublicAccessBlockCommand).callsFake((input) => {
    guard();
    state.publicAccessBlock = input.PublicAccessBlockConfiguration;
    return {};
  });
  mock.on(PutBucketAclCommand).callsFake((input) => {
    guard();
    state.grants = input.AccessControlPolicy?.Grants ?? [];
    return {};
  });
  mock.on(PutBucketPolicyCommand).callsFake((input) => {
    guard();
    state.policy = input.Policy;
    return {};
  });
  mock.on(PutBucketEncryptionCommand).callsFake((input) => {
    guard();
    state.encryption = input.ServerSideEncryptionConfiguration?.Rules;
    return {};
  });
  /** Every command sent whose name starts with Put/Delete: the writes. */
  const writes = () =>
    mock
      .calls()
      .map((call) =>
        (call.args[0] as { constructor: { name: string } }).constructor.name.replace(/Command$/, ''),
      )
      .filter((name) => /^(Put|Delete)/.test(name));
  return { mock, state, writes };
}
