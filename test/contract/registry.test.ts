import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENTS_DIR, loadFixture } from '../../local/fixtures';
import { createRegistry, rules } from '../../remediations';
import { README, withGeneratedSections } from '../../scripts/docs';
import { parseEvent } from '../../src/cloudtrail-event';
import { RuleDefinitionError } from '../../src/errors';
import type { Rule } from '../../src/rule';
import { declaredSettings } from '../../src/rule-settings';
import { loadSamples, samplesAvailable } from '../support/samples';

const REMEDIATIONS_DIR = join(import.meta.dirname, '..', '..', 'remediations');

describe('rule registry', () => {
  it('has one rule per file, with the id equal to the file name', () => {
    const files = readdirSync(REMEDIATIONS_DIR)
      .filter((file) => file.endsWith('.ts') && file !== 'index.ts')
      .map((file) => basename(file, '.ts'))
      .sort();
    expect(rules.map((rule) => rule.id).sort()).toEqual(files);
  });

  it('rejects duplicate ids and rules without permissions', () => {
    const [first] = rules as [Rule];
    expect(() => createRegistry([first, first])).toThrow(RuleDefinitionError);
    expect(() => createRegistry([{ ...first, permissions: { read: [], write: [], passRole: [] } }])).toThrow(
      /no read permissions/,
    );
    expect(() => createRegistry([{ ...first, id: 'Not_Kebab' }])).toThrow(/kebab-case/);
  });

  it.each(rules.map((rule) => [rule.id, rule] as const))(
    '%s declares metadata, safeguards and IAM actions',
    (_id, rule) => {
      expect(rule.title.length).toBeGreaterThan(10);
      expect(['critical', 'high', 'medium', 'low']).toContain(rule.severity);
      expect(rule.safeguards.length).toBeGreaterThan(0);
      for (const safeguard of rule.safeguards)
        expect(safeguard).toMatch(/^164\.3\d\d\([a-z]\)(\(\d+\))?(\([ivx]+\))?(\([A-Z]\))?$/);
      for (const action of [...rule.permissions.read, ...rule.permissions.write]) {
        expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z*]+$/);
      }
      expect(rule.triggers.length).toBeGreaterThan(0);
    },
  );

  it.each(
    rules.flatMap((rule) =>
      rule.triggers.flatMap((trigger) =>
        trigger.events.map((event) => [rule.id, trigger.source, event] as const),
      ),
    ),
  )(
    '%s: trigger %s %s has a fixture in events/ that parses and yields resources',
    (id, source, eventName) => {
      const service = source.replace('.amazonaws.com', '');
      const dir = join(EVENTS_DIR, service);
      const fixtures = existsSync(dir)
        ? readdirSync(dir).filter((file) => file.startsWith(`${eventName}.`))
        : [];
      expect(fixtures.length, `no events/${service}/${eventName}.<variant>.json`).toBeGreaterThan(0);
      const rule = rules.find((r) => r.id === id) as Rule;
      const selections = fixtures.map((file) => {
        const event = parseEvent(loadFixture(`${service}/${basename(file, '.json')}`));
        expect(event.record.eventSource).toBe(source);
        expect(event.record.eventName).toBe(eventName);
        return rule.resourceIds(event.record);
      });
      // At least one fixture of the event names a resource this rule can act on.
      expect(selections.some((s) => !Array.isArray(s) || s.length > 0)).toBe(true);
    },
  );
});

describe('generated documentation', () => {
  it("the README's rule settings table is what the rules declare (npm run docs rewrites it)", () => {
    const readme = readFileSync(README, 'utf8');
    expect(withGeneratedSections(readme), 'README.md is stale: run npm run docs').toBe(readme);
    for (const { setting } of declaredSettings(rules)) expect(readme).toContain(`\`${setting.env}\``);
  });
});

/**
 * The ids every rule must extract from each real record in ../shared/cloudtrail-samples
 * for the events it listens to. `all` = the record cannot name the resource, so every
 * resource of the kind is re-checked. Placeholders ("", "...") name nothing.
 */
const EXPECTED: Record<string, Record<string, string[] | 'all'>> = {
  's3/CreateBucket.1.json': {
    's3-bucket-tls-only': ['arn:aws:s3:::custodian-create-bucket-v4'],
    's3-bucket-public-access': ['arn:aws:s3:::custodian-create-bucket-v4'],
    's3-bucket-encryption': ['arn:aws:s3:::custodian-create-bucket-v4'],
  },
  's3/CreateBucket.2.json': {
    's3-bucket-tls-only': ['arn:aws:s3:::cwe-test'],
    's3-bucket-public-access': ['arn:aws:s3:::cwe-test'],
    's3-bucket-encryption': ['arn:aws:s3:::cwe-test'],
  },
  's3/DeleteBucketEncryption.1.json': { 's3-bucket-encryption': ['arn:aws:s3:::sensitive-data-bucket'] },
  's3/DeleteBucketEncryption.2.json': { 's3-bucket-encryption': ['arn:aws:s3:::sensitive-data-bucket'] },
  's3/DeleteBucketPolicy.1.json': { 's3-bucket-tls-only': ['arn:aws:s3:::myawsbucket'] },
  's3/DeleteBucketPublicAccessBlock.1.json': {
    's3-bucket-public-access': ['arn:aws:s3:::corporate-documents'],
  },
  's3/DeleteBucketPublicAccessBlock.2.json': {
    's3-bucket-public-access': ['arn:aws:s3:::corporate-documents'],
  },
  's3/PutBucketAcl.1.json': { 's3-bucket-public-access': ['arn:aws:s3:::bucket'] },
  's3/PutBucketAcl.2.json': { 's3-bucket-public-access': [] },
  's3/PutBucketAcl.3.json': { 's3-bucket-public-access': [] },
  's3/PutBucketAcl.4.json': { 's3-bucket-public-access': ['arn:aws:s3:::bucket'] },
  's3/PutBucketEncryption.1.json': { 's3-bucket-encryption': ['arn:aws:s3:::sensitive-data-bucket'] },
  's3/PutBucketPolicy.1.json': {
    's3-bucket-tls-only': ['arn:aws:s3:::example-bucket'],
    's3-bucket-public-access': ['arn:aws:s3:::example-bucket'],
  },
  's3/PutBucketPolicy.2.json': {
    's3-bucket-tls-only': ['arn:aws:s3:::test'],
    's3-bucket-public-access': ['arn:aws:s3:::test'],
  },
  's3/PutBucketPolicy.3.json': {
    's3-bucket-tls-only': ['arn:aws:s3:::example-bucket'],
    's3-bucket-public-access': ['arn:aws:s3:::example-bucket'],
  },
  's3/PutBucketPublicAccessBlock.1.json': { 's3-bucket-public-access': ['arn:aws:s3:::test'] },
  's3/PutBucketPublicAccessBlock.2.json': { 's3-bucket-public-access': [] },
  's3/PutBucketPublicAccessBlock.3.json': { 's3-bucket-public-access': ['arn:aws:s3:::corporate-documents'] },
  'elasticloadbalancing/CreateLoadBalancer.1.json': {
    'elb-listener-plaintext': [
      'arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/app/my-load-balancer/ffcddace1759e1d0',
    ],
    'classic-elb-listener-plaintext': [],
  },
  'elasticloadbalancing/CreateLoadBalancer.2.json': {
    'elb-listener-plaintext': [
      'arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/net/my-load-balancer/ffcddace1759e1d0',
    ],
    'classic-elb-listener-plaintext': [],
  },
  'elasticloadbalancing/CreateLoadBalancer.3.json': {
    'elb-listener-plaintext': [],
    'classic-elb-listener-plaintext': [
      'arn:aws:elasticloadbalancing:us-west-2:123456789012:loadbalancer/my-load-balancer',
    ],
  },
  'ec2/CreateVpc.1.json': { 'vpc-flow-logs': ['arn:aws:ec2:us-west-2:123456789012:vpc/vpc-1'] },
  'ec2/CreateVpc.2.json': { 'vpc-flow-logs': ['arn:aws:ec2:us-west-2:123456789012:vpc/vpc-1'] },
  'ec2/DeleteFlowLogs.1.json': { 'vpc-flow-logs': 'all' },
  'ec2/DeleteFlowLogs.2.json': { 'vpc-flow-logs': 'all' },
};

describe.skipIf(!samplesAvailable)(
  'resource ids from real CloudTrail records (../shared/cloudtrail-samples)',
  () => {
    const samples = loadSamples();
    const listened = samples.filter((sample) =>
      rules.some((rule) =>
        rule.triggers.some((t) => t.source === sample.eventSource && t.events.includes(sample.eventName)),
      ),
    );

    it('every sample for an event a rule listens to has an expectation here', () => {
      expect(listened.map((s) => s.file).sort()).toEqual(Object.keys(EXPECTED).sort());
    });

    it.each(listened.map((sample) => [sample.file, sample] as const))('%s', (file, sample) => {
      const { record } = parseEvent(sample.json);
      const listening = rules.filter((rule) =>
        rule.triggers.some((t) => t.source === record.eventSource && t.events.includes(record.eventName)),
      );
      const actual = Object.fromEntries(
        listening.map((rule) => {
          const selection = rule.resourceIds(record);
          return [rule.id, Array.isArray(selection) ? selection : 'all'];
        }),
      );
      expect(actual).toEqual(EXPECTED[file]);
    });

    it('every sample parses as an event (none is rejected as malformed)', () => {
      for (const sample of samples) expect(() => parseEvent(sample.json), sample.file).not.toThrow();
    });
  },
);
