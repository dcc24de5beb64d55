// Serverless variable source: `${file(./infra/stack-fragments.cjs):NAME}`.
// Runs the TypeScript registry once (through tsx) and hands the generated
// EventBridge rules and IAM statements to serverless.yml.
const { execFileSync } = require('node:child_process');
const path = require('node:path');

let cached;
function fragments() {
  if (!cached) {
    const out = execFileSync(
      process.execPath,
      ['--import', 'tsx', path.join(__dirname, 'stack-fragments.ts')],
      {
        cwd: path.join(__dirname, '..'),
        encoding: 'utf8',
        env: { ...process.env, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' },
      },
    );
    cached = JSON.parse(out);
  }
  return cached;
}

/** EventBridge events of the on-cloudtrail-event function: one rule per event source. */
module.exports.onCloudTrailEventEvents = async ({ resolveVariable }) => {
  const stage = await resolveVariable('sls:stage');
  return fragments().eventPatterns.map((pattern) => ({
    eventBridge: {
      name: `phiguard-${stage}-${pattern.source[0].replace(/^aws\./, '')}`,
      description: `PHI Guard: ${pattern.detail.eventSource[0]} drift events`,
      pattern,
      retryPolicy: { maximumEventAge: 3600, maximumRetryAttempts: 10 },
      deadLetterQueueArn: { 'Fn::GetAtt': ['EventsDeadLetterQueue', 'Arn'] },
    },
  }));
};

module.exports.rulePolicyStatements = async () => fragments().rulePolicyStatements;

/** The rules' ids and resource types for the sweep coordinator (src/sweep/catalogue.ts). */
module.exports.sweepRules = async () => fragments().sweepRules;

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
  ...fragments().ruleSettingsEnvironment,
});

/** Keys, index, billing and TTL of the action registry table (src/ledger/table-schema.ts). */
module.exports.ledgerAttributeDefinitions = async () => fragments().ledgerTable.AttributeDefinitions;
module.exports.ledgerKeySchema = async () => fragments().ledgerTable.KeySchema;
module.exports.ledgerGlobalSecondaryIndexes = async () => fragments().ledgerTable.GlobalSecondaryIndexes;
module.exports.ledgerBillingMode = async () => fragments().ledgerTable.BillingMode;
module.exports.ledgerTimeToLive = async () => fragments().ledgerTable.TimeToLiveSpecification;
module.exports.ledgerItemActions = async () => fragments().ledgerItemActions;
module.exports.notifierChannelStatements = async () => fragments().notifierChannelStatements;
module.exports.notifierLedgerActions = async () => fragments().notifierLedgerActions;
