import { listValue, wholeNumberValue } from '../env-values';
import { ConfigError } from '../errors';
import { type AccountSelection, accountSelection } from './sweep-accounts';

/** The sweep Lambdas' settings, from the environment the stack sets. */
export interface SweepSettings {
  queueUrl: string;
  regions: string[];
  /** PHIGUARD_SWEEP_ACCOUNTS: PHI Guard's own account (unset), `org`, or listed ids. */
  accounts: AccountSelection;
  concurrency: number;
  pageSize: number;
  /** Stop a shard this long before the Lambda's time runs out, and continue it in a new message. */
  reserveMs: number;
}

/** PHIGUARD_SWEEP_REGIONS (else the function's own AWS_REGION): the Regions the sweep and the heartbeat cover. */
export function sweepRegions(env: NodeJS.ProcessEnv): string[] {
  const regions = listValue(env.PHIGUARD_SWEEP_REGIONS || env.AWS_REGION);
  if (regions.length === 0) throw new ConfigError('PHIGUARD_SWEEP_REGIONS (or AWS_REGION) names no region');
  for (const region of regions) {
    if (!/^[a-z]{2}(-[a-z]+)+-\d$/.test(region))
      throw new ConfigError(`PHIGUARD_SWEEP_REGIONS: "${region}" is not a region`);
  }
  return regions;
}

export function loadSweepSettings(env: NodeJS.ProcessEnv = process.env): SweepSettings {
  const queueUrl = env.PHIGUARD_SWEEP_QUEUE_URL;
  if (!queueUrl)
    throw new ConfigError('PHIGUARD_SWEEP_QUEUE_URL is not set: the sweep needs its shard queue');
  const regions = sweepRegions(env);
  const number = (name: string, fallback: number, min: number, max: number) =>
    wholeNumberValue(name, env[name], min, max) ?? fallback;
  return {
    queueUrl,
    regions,
    accounts: accountSelection('PHIGUARD_SWEEP_ACCOUNTS', env.PHIGUARD_SWEEP_ACCOUNTS),
    concurrency: number('PHIGUARD_SWEEP_CONCURRENCY', 16, 1, 256),
    pageSize: number('PHIGUARD_SWEEP_PAGE_SIZE', 500, 5, 1000),
    reserveMs: number('PHIGUARD_SWEEP_RESERVE_SECONDS', 120, 0, 600) * 1000,
  };
}
