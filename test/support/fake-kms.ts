import {
  CancelKeyDeletionCommand,
  DescribeKeyCommand,
  EnableKeyRotationCommand,
  GetKeyRotationStatusCommand,
  type KeyMetadata,
  ListResourceTagsCommand,
} from '@aws-sdk/client-kms';
import { kms } from '../../src/resources/kms/key';
import type { MockAws } from './scenario';

export const KEY_ID = '7c1f9a2e-5b3d-4e8f-9a61-2d4c8b0e6f13';
export const KEY_ARN = `arn:aws:kms:us-east-1:123456789012:key/${KEY_ID}`;

/**
 * One KMS key behind the mocked client, answering as KMS does: a symmetric
 * customer-managed key unless `metadata` says otherwise. EnableKeyRotation turns
 * rotation on; CancelKeyDeletion leaves the key Disabled. The returned state is live.
 */
export function fakeKey(
  mocks: MockAws,
  metadata: Partial<KeyMetadata> = {},
  options: { rotation?: boolean; tags?: Record<string, string>; exists?: boolean } = {},
) {
  const state = {
    key: {
      KeyId: KEY_ID,
      Arn: KEY_ARN,
      KeyManager: 'CUSTOMER',
      KeySpec: 'SYMMETRIC_DEFAULT',
      KeyUsage: 'ENCRYPT_DECRYPT',
      Origin: 'AWS_KMS',
      KeyState: 'Enabled',
      Enabled: true,
      ...metadata,
    } as KeyMetadata,
    rotation: options.rotation ?? false,
  };
  const stub = mocks.client(kms);
  const notFound = () =>
    Object.assign(new Error('not found'), { name: 'NotFoundException', $fault: 'client' });
  stub.on(DescribeKeyCommand).callsFake(() => {
    if (options.exists === false) throw notFound();
    return { KeyMetadata: { ...state.key } };
  });
  stub.on(GetKeyRotationStatusCommand).callsFake(() => ({ KeyRotationEnabled: state.rotation }));
  stub.on(EnableKeyRotationCommand).callsFake(() => {
    state.rotation = true;
    return {};
  });
  stub.on(CancelKeyDeletionCommand).callsFake(() => {
    state.key = { ...state.key, KeyState: 'Disabled', Enabled: false, DeletionDate: undefined };
    return { KeyId: KEY_ARN };
  });
  stub.on(ListResourceTagsCommand).resolves({
    Tags: Object.entries(options.tags ?? {}).map(([TagKey, TagValue]) => ({ TagKey, TagValue })),
  });
  return { stub, state };
}
