/**
 * The rule registry. Adding a HIPAA control is: a rule file beside this one,
 * its fixtures in events/, its tests, and one line below. The EventBridge
 * patterns and IAM statements of the stack are generated from this list.
 *
 * Order matters where two rules write to the same resource for one event: the
 * TLS-only policy merge runs before Block Public Access turns on
 * BlockPublicPolicy, which would otherwise reject a policy that is still public.
 */
import { RuleDefinitionError } from '../src/errors';
import type { Rule } from '../src/rule';
import classicElbListenerPlaintext from './classic-elb-listener-plaintext';
import elbListenerPlaintext from './elb-listener-plaintext';
import s3BucketEncryption from './s3-bucket-encryption';
import s3BucketPublicAccess from './s3-bucket-public-access';
import s3BucketTlsOnly from './s3-bucket-tls-only';
import vpcFlowLogs from './vpc-flow-logs';

export function createRegistry(rules: readonly Rule[]): readonly Rule[] {
  const seen = new Set<string>();
  for (const rule of rules) {
    if (!/^[a-z0-9]+(-[a-z0-9]+)*$/.test(rule.id))
      throw new RuleDefinitionError(`rule id "${rule.id}" is not kebab-case`);
    if (seen.has(rule.id)) throw new RuleDefinitionError(`duplicate rule id "${rule.id}"`);
    seen.add(rule.id);
    if (rule.permissions.read.length === 0) {
      throw new RuleDefinitionError(`rule "${rule.id}" declares no read permissions`);
    }
  }
  return Object.freeze([...rules]);
}

export const rules: readonly Rule[] = createRegistry([
  s3BucketTlsOnly,
  s3BucketPublicAccess,
  s3BucketEncryption,
  elbListenerPlaintext,
  classicElbListenerPlaintext,
  vpcFlowLogs,
]);
