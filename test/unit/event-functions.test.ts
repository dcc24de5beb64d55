import { describe, expect, it } from 'vitest';
import { rules as registry } from '../../remediations';
import { eventFunctionGroups, eventFunctionKey } from '../../src/event-functions';
import type { Rule } from '../../src/rule';

/** A rule as far as the grouping looks at it: id, resource type, triggers. */
const rule = (id: string, resourceType: string, ...sources: string[]) =>
  ({ id, resourceType, triggers: sources.map((source) => ({ source, events: ['E'] })) }) as unknown as Rule;

describe('the event path, one function per event source', () => {
  it('holds every rule of each resource type its events name, in registry order; sweep-only rules of another type stay out', () => {
    const bucketAcl = rule('bucket-acl', 'Bucket', 's3.amazonaws.com');
    const bucketLogs = rule('bucket-logs', 'Bucket'); // sweep-only, same type: evaluated on every bucket event
    const keyRotation = rule('key-rotation', 'Key', 'kms.amazonaws.com');
    const coverage = rule('coverage', 'Coverage'); // sweep-only, a type no event names
    const groups = eventFunctionGroups([bucketAcl, keyRotation, bucketLogs, coverage]);
    expect(groups.map((g) => [g.key, g.eventSource, g.rules.map((r) => r.id)])).toEqual([
      ['kms', 'kms.amazonaws.com', ['key-rotation']],
      ['s3', 's3.amazonaws.com', ['bucket-acl', 'bucket-logs']],
    ]);
  });

  it('a type two sources name is in both functions', () => {
    const fromEc2 = rule('volume-a', 'Volume', 'ec2.amazonaws.com');
    const fromBackup = rule('volume-b', 'Volume', 'backup.amazonaws.com');
    const groups = eventFunctionGroups([fromEc2, fromBackup]);
    expect(groups.map((g) => g.rules.map((r) => r.id))).toEqual([
      ['volume-a', 'volume-b'],
      ['volume-a', 'volume-b'],
    ]);
  });

  it('keys fit a role name: long service names are shortened, others kept', () => {
    expect(eventFunctionKey('elasticloadbalancing.amazonaws.com')).toBe('elb');
    expect(eventFunctionKey('elasticmapreduce.amazonaws.com')).toBe('emr');
    expect(eventFunctionKey('s3.amazonaws.com')).toBe('s3');
    const keys = eventFunctionGroups(registry).map((g) => g.key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const key of keys) expect(key.length, key).toBeLessThanOrEqual(10);
  });
});
