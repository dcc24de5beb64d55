import { STSClient } from '@aws-sdk/client-sts';
import { awsClient } from '../aws-clients';

/** STS, for the one question PHI Guard asks of it through its clients: which account this is. */
export const sts = awsClient(STSClient, { iamPrefix: 'sts' });
