import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { describeAwsError } from '../aws-errors';
import { PhiGuardError } from '../errors';

/** The Regions a command covers: the ones given, else the environment's (AWS_REGION), else us-east-1. */
export function regionsOrDefault(regions: readonly string[]): string[] {
  return regions.length
    ? [...regions]
    : [process.env.AWS_REGION || process.env.AWS_DEFAULT_REGION || 'us-east-1'];
}

/** The account the CLI's credentials belong to: acted on with them, every other through its member role. */
export async function callerAccount(region: string): Promise<string> {
  try {
    const identity = await new STSClient({ region }).send(new GetCallerIdentityCommand({}));
    return identity.Account ?? '';
  } catch (error) {
    throw new PhiGuardError(
      `cannot tell which account this is (sts:GetCallerIdentity): ${describeAwsError(error)}`,
    );
  }
}
