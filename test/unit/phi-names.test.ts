import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../src/errors';
import { BUILT_IN_PHI_NAME_PATTERNS, PhiNames } from '../../src/phi-names';
import { testConfig } from '../support/config';

const KEY = 'k'.repeat(40);
const names = (key: string | undefined = KEY, warn?: (m: string) => void) =>
  new PhiNames(BUILT_IN_PHI_NAME_PATTERNS, key, warn);

describe('names that look like PHI', () => {
  it.each([
    ['patient-123-45-6789-scans', 'a US social security number'],
    ['claims.123.45.6789', 'a US social security number'],
    ['ssn123456789-exports', 'a social security number after "ssn"'],
    ['dob-1984-03-07-intake', 'a date of birth after "dob"'],
    ['dob.07031984', 'a date of birth after "dob"'],
    ['jane.doe-at-example.com-uploads', 'an e-mail address'],
    ['callback-617-555-0142', 'a phone number'],
  ])('%s looks like it contains %s', (name, kind) => {
    expect(names().match(name)).toContain(kind);
  });

  it.each([
    'phi-claims-prod',
    'logs-2026-11-30',
    'build-artifacts-1234567890',
    'vpc-0a1b2c3d4e5f67890',
    'dobby-house-elf',
  ])('%s does not', (name) => {
    expect(names().match(name)).toEqual([]);
  });

  it("the operator's patterns are added, validated at start-up, and a bad one fails the configuration", () => {
    const config = testConfig({ PHIGUARD_PHI_NAME_PATTERNS: '["^mrn-?\\\\d{6,}", "patient"]' });
    const own = new PhiNames(config.phiNamePatterns, KEY);
    expect(own.match('mrn-0042817-images')).toEqual(['the pattern 1 of PHIGUARD_PHI_NAME_PATTERNS']);
    expect(own.match('patient-uploads')).toEqual(['the pattern 2 of PHIGUARD_PHI_NAME_PATTERNS']);
    expect(() => testConfig({ PHIGUARD_PHI_NAME_PATTERNS: '["(unclosed"]' })).toThrow(
      new ConfigError('PHIGUARD_PHI_NAME_PATTERNS: pattern 1 is not a valid regular expression'),
    );
    expect(() => testConfig({ PHIGUARD_PHI_NAME_PATTERNS: '^mrn' })).toThrow(/must be a JSON array/);
    expect(() => testConfig({ PHIGUARD_NAME_REDACTION_KEY: 'short' })).toThrow(/at least 32 characters/);
  });
});

describe('redaction', () => {
  const BUCKET = 'arn:aws:s3:::patient-123-45-6789-scans';
  const VAULT = 'arn:aws:glacier:us-east-1:123456789012:vaults/dob-1984-03-07';

  it('replaces only the name, with a keyed hash: the same key gives the same form, another key another', () => {
    const shown = names().display(BUCKET);
    expect(shown).toMatch(/^arn:aws:s3:::\[redacted:[0-9a-f]{12}\]$/);
    expect(names().display(BUCKET)).toBe(shown);
    expect(names('x'.repeat(40)).display(BUCKET)).not.toBe(shown);
    expect(names().display(VAULT)).toMatch(
      /^arn:aws:glacier:us-east-1:123456789012:vaults\/\[redacted:[0-9a-f]{12}\]$/,
    );
    expect(names().display('arn:aws:s3:::phi-claims-prod')).toBe('arn:aws:s3:::phi-claims-prod');
    // Any named resource, its type kept: a database named after a phone number.
    expect(names().display('arn:aws:rds:us-east-1:123456789012:db:intake-617-555-0142')).toMatch(
      /^arn:aws:rds:us-east-1:123456789012:db:\[redacted:[0-9a-f]{12}\]$/,
    );
  });

  it('redacts the name wherever it appears in a value (links, parameters, reasons), and the terminal gets it back', () => {
    const n = names();
    const value = {
      resource: BUCKET,
      consoleUrl: 'https://s3.console.aws.amazon.com/s3/buckets/patient-123-45-6789-scans?region=us-east-1',
      actions: [{ params: { Bucket: 'patient-123-45-6789-scans' } }],
      reason: `AccessDenied on ${BUCKET}`,
      findings: ['fine'],
    };
    const redacted = n.redact(value, BUCKET);
    expect(JSON.stringify(redacted)).not.toContain('123-45-6789');
    expect(redacted.findings).toEqual(['fine']);
    expect(n.reveal(JSON.stringify(redacted))).toBe(JSON.stringify(value));
    // Another process's redactor knows nothing to reveal.
    expect(names().reveal(JSON.stringify(redacted))).toBe(JSON.stringify(redacted));
  });

  it('without a configured key: a key of this process, and one warning that the forms will not match across runs', () => {
    const warnings: string[] = [];
    const unkeyed = (warn?: (m: string) => void) => new PhiNames(BUILT_IN_PHI_NAME_PATTERNS, undefined, warn);
    const a = unkeyed((m) => warnings.push(m));
    a.display(BUCKET);
    a.display(VAULT);
    expect(warnings).toEqual([expect.stringContaining('PHIGUARD_NAME_REDACTION_KEY is not set')]);
    expect(unkeyed().display(BUCKET)).not.toBe(a.display(BUCKET));
  });
});
