// Serverless variable source: `${file(./infra/stack-fragments.cjs):NAME}`.
// Runs the TypeScript registry once (through tsx, infra/stack-fragments-json.ts)
// and hands the generated event functions, IAM statements and settings to
// serverless.yml.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

let cached;
function fragments(resolveVariable) {
  if (!cached) {
    cached = (async () => {
      const stage = await resolveVariable('sls:stage');
      const extraSelfPrincipals = await resolveVariable('self:custom.extraSelfPrincipals');
      const out = execFileSync(
        process.execPath,
        ['--import', 'tsx', path.join(__dirname, 'stack-fragments-json.ts'), stage, extraSelfPrincipals],
        {
          cwd: path.join(__dirname, '..'),
          encoding: 'utf8',
          env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
        },
      );
      return JSON.parse(out);
    })();
  }
  return cached;
}

const fragment =
  (name) =>
  async ({ resolveVariable }) =>
    (await fragments(resolveVariable))[name];

/** One function per CloudTrail event source, each with its EventBridge rule (infra/event-function-stack.ts). */
module.exports.eventFunctions = fragment('eventFunctions');
/** Their roles (each only its rules' permissions), encrypted log groups and metric filters. */
module.exports.eventFunctionResources = fragment('eventFunctionResources');
/** Every PHI Guard role, for loop prevention (PHIGUARD_SELF_PRINCIPALS). */
module.exports.selfPrincipals = fragment('selfPrincipals');
/** PHIGUARD_NAME_REDACTION_KEY: the stack's generated key, resolved at deploy (infra/event-function-stack.ts). */
module.exports.nameRedactionKey = fragment('nameRedactionKey');
/** The member role every remediating function may assume in the organisation's accounts. */
module.exports.assumeMemberRoleStatement = fragment('assumeMemberRoleStatement');

/** The heartbeat's schedule and the alarm's period, from PHIGUARD_HEARTBEAT_MINUTES (src/heartbeat.ts). */
module.exports.heartbeatSchedule = fragment('heartbeatSchedule');
module.exports.heartbeatPeriodSeconds = fragment('heartbeatPeriodSeconds');

/** The whole registry's IAM statements, for the sweep worker. */
module.exports.rulePolicyStatements = fragment('rulePolicyStatements');

/** The rules' ids and resource types for the sweep coordinator (src/sweep/catalogue.ts). */
module.exports.sweepRules = fragment('sweepRules');

/**
 * Every function's environment: PHI Guard's own deploy-time switches (custom.* in
 * serverless.yml) and every setting the rules declare, passed through from the
 * deploying shell (remediations/<rule>.ts, `settings`).
 */
module.exports.providerEnvironment = async ({ resolveVariable }) => ({
  NODE_OPTIONS: '--enable-source-maps',
  POWERTOOLS_SERVICE_NAME: 'phiguard',
  PHIGUARD_DRY_RUN: await resolveVariable('self:custom.dryRun'),
  PHIGUARD_RULE_MODES: await resolveVariable('self:custom.ruleModes'),
  PHIGUARD_PHI_NAME_PATTERNS: await resolveVariable('self:custom.phiNamePatterns'),
  // The account the stack runs in: events of any other account act through its member role.
  PHIGUARD_ACCOUNT_ID: { Ref: 'AWS::AccountId' },
  PHIGUARD_MEMBER_ROLE_NAME: await resolveVariable('self:custom.memberRoleName'),
  PHIGUARD_MEMBER_EXTERNAL_ID: await resolveVariable('self:custom.memberExternalId'),
  ...(await fragments(resolveVariable)).ruleSettingsEnvironment,
  // Generated, not the shell's: what PHI Guard's own EventBridge rules must target.
  PHIGUARD_OWN_EVENT_RULES: (await fragments(resolveVariable)).ownEventRules,
});

/** Keys, index, billing and TTL of the action registry table (src/ledger/table-schema.ts). */
module.exports.ledgerAttributeDefinitions = async ({ resolveVariable }) =>
  (await fragments(resolveVariable)).ledgerTable.AttributeDefinitions;
module.exports.ledgerKeySchema = async ({ resolveVariable }) =>
  (await fragments(resolveVariable)).ledgerTable.KeySchema;
module.exports.ledgerGlobalSecondaryIndexes = async ({ resolveVariable }) =>
  (await fragments(resolveVariable)).ledgerTable.GlobalSecondaryIndexes;
module.exports.ledgerBillingMode = async ({ resolveVariable }) =>
  (await fragments(resolveVariable)).ledgerTable.BillingMode;
module.exports.ledgerTimeToLive = async ({ resolveVariable }) =>
  (await fragments(resolveVariable)).ledgerTable.TimeToLiveSpecification;
module.exports.ledgerItemActions = fragment('ledgerItemActions');
module.exports.notifierChannelStatements = fragment('notifierChannelStatements');
module.exports.notifierLedgerActions = fragment('notifierLedgerActions');
