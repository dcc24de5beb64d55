import { wholeNumberValue } from './env-values';
import { ConfigError } from './errors';
import { DEFAULT_HEARTBEAT_MINUTES } from './heartbeat';
import { sweepRegions } from './sweep/settings';
import { type AccountSelection, accountSelection } from './sweep/sweep-accounts';

/** The heartbeat function's settings: the places the sweep covers, and how often. */
export interface HeartbeatSettings {
  /** The deployment's stage: the heartbeat rule is `phiguard-<stage>-heartbeat`. */
  stage: string;
  intervalMinutes: number;
  regions: string[];
  accounts: AccountSelection;
}

/** PHIGUARD_HEARTBEAT_MINUTES: 2 to 60 (EventBridge says `rate(1 minute)` in the singular; an hour is enough). */
export function heartbeatInterval(env: NodeJS.ProcessEnv): number {
  return (
    wholeNumberValue('PHIGUARD_HEARTBEAT_MINUTES', env.PHIGUARD_HEARTBEAT_MINUTES, 2, 60) ??
    DEFAULT_HEARTBEAT_MINUTES
  );
}

export function loadHeartbeatSettings(env: NodeJS.ProcessEnv = process.env): HeartbeatSettings {
  const stage = env.PHIGUARD_STAGE ?? '';
  if (!/^[a-zA-Z0-9-]+$/.test(stage)) {
    throw new ConfigError('PHIGUARD_STAGE must be the stack stage (letters, digits and -)');
  }
  const regions = sweepRegions(env);
  return {
    stage,
    intervalMinutes: heartbeatInterval(env),
    regions,
    accounts: accountSelection('PHIGUARD_SWEEP_ACCOUNTS', env.PHIGUARD_SWEEP_ACCOUNTS),
  };
}
