import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../../remediations';
import { createClientPool } from '../../src/aws-clients';
import { loadConfig } from '../../src/config';
import { Engine } from '../../src/engine/engine';
import { ConfigError, RuleDefinitionError } from '../../src/errors';
import { MemoryLedger } from '../../src/ledger/memory-ledger';
import { ruleSetting } from '../../src/rule-settings';
import * as z from '../../src/zod';

const NO_DIR = '/nonexistent-config-dir';
const load = (env: NodeJS.ProcessEnv, dir = NO_DIR) => loadConfig(env, dir, rules);

describe('loadConfig', () => {
  it('is a dry-run by default, with every rule remediating', () => {
    const config = load({});
    expect(config.dryRun).toBe(true);
    expect(config.defaultMode).toBe('remediate');
    expect(config.exemptTag).toBe('phiguard:exempt');
    expect(config.selfPrincipals).toEqual([]);
  });

  it('reads the environment', () => {
    const config = load({
      PHIGUARD_DRY_RUN: 'false',
      PHIGUARD_SELF_PRINCIPALS: 'arn:aws:iam::123456789012:role/a, b ,',
      PHIGUARD_RULE_MODES: 's3-bucket-tls-only=ticket,vpc-flow-logs=off',
      PHIGUARD_S3_KMS_KEY_ID: 'alias/phi',
      PHIGUARD_FLOW_LOGS_DESTINATION: 'arn:aws:s3:::central-flow-logs/vpc',
    });
    expect(config).toMatchObject({
      dryRun: false,
      selfPrincipals: ['arn:aws:iam::123456789012:role/a', 'b'],
      ruleModes: { 's3-bucket-tls-only': 'ticket', 'vpc-flow-logs': 'off' },
      // Each rule gets the settings it declares, and only those.
      ruleSettings: {
        's3-bucket-encryption': { kmsKeyId: 'alias/phi' },
        'vpc-flow-logs': { destination: 'arn:aws:s3:::central-flow-logs/vpc' },
        's3-bucket-tls-only': {},
      },
    });
  });

  it('reads a config file and lets the environment override it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'phiguard-config-'));
    writeFileSync(
      join(dir, 'phiguard.config.json'),
      JSON.stringify({
        dryRun: false,
        rules: { 'vpc-flow-logs': { mode: 'notify' } },
        s3: { kmsKeyId: 'alias/file' },
      }),
    );
    expect(load({}, dir)).toMatchObject({
      dryRun: false,
      ruleModes: { 'vpc-flow-logs': 'notify' },
      ruleSettings: { 's3-bucket-encryption': { kmsKeyId: 'alias/file' } },
    });
    expect(load({ PHIGUARD_S3_KMS_KEY_ID: 'alias/env' }, dir).ruleSettings['s3-bucket-encryption']).toEqual({
      kmsKeyId: 'alias/env',
    });
    expect(load({ PHIGUARD_DRY_RUN: 'true', PHIGUARD_RULE_MODES: 'vpc-flow-logs=off' }, dir)).toMatchObject({
      dryRun: true,
      ruleModes: { 'vpc-flow-logs': 'off' },
    });
  });

  it.each([
    [{ PHIGUARD_DRY_RUN: 'maybe' }, /PHIGUARD_DRY_RUN must be true or false/],
    [{ PHIGUARD_RULE_MODES: 's3-bucket-tls-only=fix' }, /must be <rule-id>=<remediate\|ticket\|notify\|off>/],
    [{ PHIGUARD_DEFAULT_MODE: 'loud' }, /PHIGUARD_DEFAULT_MODE must be one of/],
    [{ PHIGUARD_FLOW_LOGS_DESTINATION: 'my-bucket' }, /must be an S3 bucket ARN/],
    [
      { PHIGUARD_FLOW_LOGS_DESTINATION: 'arn:aws:logs:us-east-1:123456789012:log-group:flow' },
      /needs a delivery role/,
    ],
    [{ PHIGUARD_FLOW_LOGS_ROLE_ARN: 'flow-role' }, /must be an IAM role ARN/],
    [{ PHIGUARD_CONFIG: '/does/not/exist.json' }, /does not exist/],
  ])('rejects %o with a ConfigError', (env, message) => {
    expect(() => load(env)).toThrow(ConfigError);
    expect(() => load(env)).toThrow(message);
  });

  it('rejects a config file with unknown keys or wrong types', () => {
    const dir = mkdtempSync(join(tmpdir(), 'phiguard-config-'));
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ dryrun: false }));
    expect(() => load({ PHIGUARD_CONFIG: path })).toThrow(/invalid config file .*Unrecognized key/);
    // A rule setting's key is checked at every level, and its value by the setting's schema.
    writeFileSync(path, JSON.stringify({ flowLogs: { destinaton: 'arn:aws:s3:::x' } }));
    expect(() => load({ PHIGUARD_CONFIG: path })).toThrow(/flowLogs: Unrecognized key: "destinaton"/);
    writeFileSync(path, JSON.stringify({ flowLogs: { destination: 42 } }));
    expect(() => load({ PHIGUARD_CONFIG: path })).toThrow(/flowLogs.destination in the config file/);
    writeFileSync(path, '{ not json');
    expect(() => load({ PHIGUARD_CONFIG: path })).toThrow(/cannot read config file/);
  });

  it('rejects a mode for a rule that does not exist when the engine is built', () => {
    const config = load({ PHIGUARD_RULE_MODES: 's3-bucket-typo=off' });
    expect(
      () => new Engine({ rules, config, ledger: new MemoryLedger(), clientsFor: createClientPool() }),
    ).toThrow(/unknown rule "s3-bucket-typo"/);
  });
});

describe('rule settings, declared by the rules', () => {
  const setting = ruleSetting({
    env: 'PHIGUARD_TEST_RETENTION_DAYS',
    file: 'test.retentionDays',
    description: 'days to keep',
    unset: '7',
    schema: z.string().check(z.regex(/^\d+$/, 'must be a number of days')),
  });
  const rule = { id: 'test-rule', settings: { days: setting } };

  it('a new rule setting is read from the environment and the file with no change to the loader', () => {
    expect(loadConfig({ PHIGUARD_TEST_RETENTION_DAYS: '30' }, NO_DIR, [rule]).ruleSettings).toEqual({
      'test-rule': { days: '30' },
    });
    const dir = mkdtempSync(join(tmpdir(), 'phiguard-config-'));
    writeFileSync(join(dir, 'phiguard.config.json'), JSON.stringify({ test: { retentionDays: '90' } }));
    expect(loadConfig({}, dir, [rule]).ruleSettings).toEqual({ 'test-rule': { days: '90' } });
    expect(() => loadConfig({ PHIGUARD_TEST_RETENTION_DAYS: 'forever' }, NO_DIR, [rule])).toThrow(
      'PHIGUARD_TEST_RETENTION_DAYS: must be a number of days',
    );
    // Without the rule, its key is not a key of the file.
    expect(() => loadConfig({}, dir, [])).toThrow(/Unrecognized key: "test"/);
  });

  it('two rules sharing one variable share its declaration; two declarations of it are refused', () => {
    const twin = { id: 'twin-rule', settings: { days: setting } };
    expect(loadConfig({ PHIGUARD_TEST_RETENTION_DAYS: '3' }, NO_DIR, [rule, twin]).ruleSettings).toEqual({
      'test-rule': { days: '3' },
      'twin-rule': { days: '3' },
    });
    const liar = { id: 'liar-rule', settings: { days: { ...setting } } };
    expect(() => loadConfig({}, NO_DIR, [rule, liar])).toThrow(RuleDefinitionError);
  });
});
