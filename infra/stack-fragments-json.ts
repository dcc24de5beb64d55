/**
 * Everything `stack-fragments.cjs` hands to serverless.yml, as JSON on stdout.
 * The stage and the extra self principals come as arguments: the event
 * functions' names and their loop prevention depend on them.
 */
import { rules as registry } from '../remediations';
import { heartbeatInterval } from '../src/heartbeat-settings';
import { catalogueJson } from '../src/sweep/catalogue';
import { accountSelection } from '../src/sweep/sweep-accounts';
import {
  assumeMemberRoleStatement,
  eventFunctionResources,
  eventFunctions,
  NAME_REDACTION_KEY,
  ownEventRulesEnvironment,
  type StackNames,
  selfPrincipals,
} from './event-function-stack';
import {
  LEDGER_ITEM_ACTIONS,
  ledgerTableShape,
  NOTIFIER_LEDGER_ACTIONS,
  notifierChannelStatements,
  rulePolicyStatements,
  ruleSettingsEnvironment,
} from './stack-fragments';

export function stackFragments(names: StackNames) {
  // Read by the sweep coordinator at start-up: a typo fails the package instead.
  accountSelection('PHIGUARD_SWEEP_ACCOUNTS', process.env.PHIGUARD_SWEEP_ACCOUNTS);
  const heartbeatMinutes = heartbeatInterval(process.env);
  return {
    heartbeatSchedule: `rate(${heartbeatMinutes} minutes)`,
    heartbeatPeriodSeconds: heartbeatMinutes * 60,
    eventFunctions: eventFunctions(names),
    eventFunctionResources: eventFunctionResources(names),
    selfPrincipals: selfPrincipals(names),
    nameRedactionKey: NAME_REDACTION_KEY,
    ownEventRules: ownEventRulesEnvironment(names.stage),
    assumeMemberRoleStatement: assumeMemberRoleStatement(),
    ruleSettingsEnvironment: ruleSettingsEnvironment(),
    sweepRules: catalogueJson(registry),
    // The sweep worker runs every rule: its role holds the whole registry's permissions.
    rulePolicyStatements: rulePolicyStatements(registry),
    ledgerTable: ledgerTableShape(),
    ledgerItemActions: LEDGER_ITEM_ACTIONS,
    notifierChannelStatements: notifierChannelStatements(),
    notifierLedgerActions: NOTIFIER_LEDGER_ACTIONS,
  };
}

if (process.argv[1]?.endsWith('stack-fragments-json.ts')) {
  const [stage, extraSelfPrincipals = ''] = process.argv.slice(2);
  if (!stage) throw new Error('usage: stack-fragments-json.ts <stage> [extra self principals]');
  process.stdout.write(JSON.stringify(stackFragments({ stage, extraSelfPrincipals })));
}
