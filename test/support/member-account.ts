import { readFileSync } from 'node:fs';
import {
  CloudFormationClient,
  CreateStackCommand,
  DescribeStacksCommand,
  type Parameter,
} from '@aws-sdk/client-cloudformation';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { MEMBER_TEMPLATE_FILE } from '../../infra/member-template';
import { motoEndpoint, uniqueName } from './moto';

/** Client settings acting in `account` (moto: credentials from AssumeRole act in the role's account). */
export async function accountClientConfig(account: string, region: string) {
  const sts = new STSClient({ region, endpoint: motoEndpoint() });
  const { Credentials } = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${account}:role/deployer`, RoleSessionName: 'stackset' }),
  );
  return {
    region,
    endpoint: motoEndpoint(),
    credentials: {
      accessKeyId: Credentials?.AccessKeyId as string,
      secretAccessKey: Credentials?.SecretAccessKey as string,
      sessionToken: Credentials?.SessionToken as string,
    },
  };
}

/**
 * Deploys infra/member-account.template.json as a StackSet instance would, in one
 * account and Region, through moto's CloudFormation; returns that account's client
 * settings there. Fails unless the stack is created.
 */
export async function deployMemberTemplate(
  account: string,
  region: string,
  parameters: Record<string, string>,
) {
  const config = await accountClientConfig(account, region);
  const cloudformation = new CloudFormationClient(config);
  const stackName = uniqueName('phiguard-member');
  const Parameters: Parameter[] = Object.entries(parameters).map(([ParameterKey, ParameterValue]) => ({
    ParameterKey,
    ParameterValue,
  }));
  await cloudformation.send(
    new CreateStackCommand({
      StackName: stackName,
      TemplateBody: readFileSync(MEMBER_TEMPLATE_FILE, 'utf8'),
      Parameters,
      Capabilities: ['CAPABILITY_NAMED_IAM'],
    }),
  );
  const { Stacks } = await cloudformation.send(new DescribeStacksCommand({ StackName: stackName }));
  const status = Stacks?.[0]?.StackStatus;
  if (status !== 'CREATE_COMPLETE') {
    throw new Error(
      `member template in ${account}/${region}: ${status} ${Stacks?.[0]?.StackStatusReason ?? ''}`,
    );
  }
  return config;
}
