import type { RecordedCall } from '../../local/recording-proxy';
import { iamActionOf } from '../../src/iam-actions';

/**
 * Services whose IAM prefix differs from the name their requests are signed with
 * (CloudWatch signs as `monitoring`). Every other service uses one name for both.
 */
const IAM_PREFIX: Record<string, string> = { monitoring: 'cloudwatch' };

/**
 * The IAM actions a recorded call needs (several for a DynamoDB transaction, none
 * for STS GetCallerIdentity), from the service the call was signed for and the
 * operation the wire names. Throws for a call the proxy could not name, so an
 * unknown call cannot pass unchecked.
 */
export function iamActionsOf(call: RecordedCall): string[] {
  if (call.service === 'unknown' || call.operation.includes(' ')) {
    throw new Error(
      `cannot name the IAM action of ${call.method} ${call.path} (${call.service}): unknown operation`,
    );
  }
  // STS GetCallerIdentity (the CLI asks who it is) needs no permission.
  if (call.service === 'sts' && call.operation === 'GetCallerIdentity') return [];
  // IAM authorises a transaction by the actions of its items.
  if (call.service === 'dynamodb' && call.operation === 'TransactWriteItems') {
    return ['dynamodb:PutItem', 'dynamodb:UpdateItem', 'dynamodb:DeleteItem'];
  }
  return [iamActionOf(IAM_PREFIX[call.service] ?? call.service, call.operation)];
}
