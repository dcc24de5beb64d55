import { describe, expect, it } from 'vitest';
import { loadFixture } from '../../local/fixtures';
import { parseEvent } from '../../src/cloudtrail-event';
import { isSelfPrincipal } from '../../src/self-principal';
import { asSelf, SELF_ROLE_ARN } from '../support/engine';

const selfRecord = () => parseEvent(asSelf(loadFixture('s3/PutBucketAcl.public-read'))).record;
const otherRecord = () => parseEvent(loadFixture('s3/PutBucketAcl.public-read')).record;

describe('isSelfPrincipal', () => {
  it('matches the role ARN against the session issuer', () => {
    expect(isSelfPrincipal(selfRecord(), [SELF_ROLE_ARN])).toBe(true);
  });

  it('matches a bare role name', () => {
    expect(isSelfPrincipal(selfRecord(), ['phiguard-dev-us-east-1-on-event'])).toBe(true);
  });

  it('matches an assumed-role identity ARN when the session issuer is missing', () => {
    const record = selfRecord();
    delete record.userIdentity?.sessionContext;
    expect(isSelfPrincipal(record, [SELF_ROLE_ARN])).toBe(true);
  });

  it('does not match other roles, other accounts, or an empty list', () => {
    expect(isSelfPrincipal(otherRecord(), [SELF_ROLE_ARN, 'phiguard-dev-us-east-1-on-event'])).toBe(false);
    expect(
      isSelfPrincipal(selfRecord(), ['arn:aws:iam::999999999999:role/phiguard-dev-us-east-1-on-event']),
    ).toBe(false);
    expect(isSelfPrincipal(selfRecord(), [])).toBe(false);
    expect(isSelfPrincipal(selfRecord(), ['phiguard'])).toBe(false);
  });
});
