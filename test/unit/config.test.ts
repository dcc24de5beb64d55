import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { rules } from '../../remediations';
import { createClientPool } from '../../src/aws-clients';
import { loadConfig } from '../../src/config';
import { Engine } from '../../src/engine';
import { ConfigError } from '../../src/errors';
import { MemoryLedger } from '../../src/ledger/memory-ledger';

const NO_DIR = '/nonexistent-config-dir';

describe('loadConfig', () => {
  it('is a dry-run by default, with every rule remediating', () => {
    const config = loadConfig({}, NO_DIR);
    expect(config.dryRun).toBe(true);
    expect(config.defaultMode).toBe('remediate');
    expect(config.exemptTag).toBe('phiguard:exempt');
    expect(config.selfPrincipals).toEqual([]);
  });

  it('reads the environment', () => {
    const config = loadConfig(
      {
        PHIGUARD_DRY_RUN: 'false',
        PHIGUARD_SELF_PRINCIPALS: 'arn:aws:iam::123456789012:role/a, b ,',
        PHIGUARD_RULE_MODES: 's3-bucket-tls-only=ticket,vpc-flow-logs=off',
        PHIGUARD_S3_KMS_KEY_ID: 'alias/phi',
        PHIGUARD_FLOW_LOGS_DESTINATION: 'arn:aws:s3:::central-flow-logs/vpc',
      },
      NO_DIR,
    );
    expect(config).toMatchObject({
      dryRun: false,
      selfPrincipals: ['arn:aws:iam::123456789012:role/a', 'b'],
      ruleModes: { 's3-bucket-tls-only': 'ticket', 'vpc-flow-logs': 'off' },
      settings: { s3KmsKeyId: 'alias/phi', flowLogsDestination: 'arn:aws:s3:::central-flow-logs/vpc' },
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
    expect(loadConfig({}, dir)).toMatchObject({
      dryRun: false,
      ruleModes: { 'vpc-flow-logs': 'notify' },
      settings: { s3KmsKeyId: 'alias/file' },
    });
    expect(
      loadConfig({ PHIGUARD_DRY_RUN: 'true', PHIGUARD_RULE_MODES: 'vpc-flow-logs=off' }, dir),
    ).toMatchObject({
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
    expect(() => loadConfig(env, NO_DIR)).toThrow(ConfigError);
    expect(() => loadConfig(env, NO_DIR)).toThrow(message);
  });

  it('rejects a config file with unknown keys or wrong types', () => {
    const dir = mkdtempSync(join(tmpdir(), 'phiguard-config-'));
    const path = join(dir, 'bad.json');
    writeFileSync(path, JSON.stringify({ dryrun: false }));
    expect(() => loadConfig({ PHIGUARD_CONFIG: path }, NO_DIR)).toThrow(
      /invalid config file .*Unrecognized key/,
    );
    writeFileSync(path, '{ not json');
    expect(() => loadConfig({ PHIGUARD_CONFIG: path }, NO_DIR)).toThrow(/cannot read config file/);
  });

  it('rejects a mode for a rule that does not exist when the engine is built', () => {
    const config = loadConfig({ PHIGUARD_RULE_MODES: 's3-bucket-typo=off' }, NO_DIR);
    expect(
      () => new Engine({ rules, config, ledger: new MemoryLedger(), clientsFor: createClientPool() }),
    ).toThrow(/unknown rule "s3-bucket-typo"/);
  });
});
