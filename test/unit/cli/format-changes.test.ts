import { describe, expect, it } from 'vitest';
import { formatChanges } from '../../../src/cli/format-changes';
import { outcome } from '../../support/outcomes';

describe('formatChanges', () => {
  it('shows each changed setting, and a setting present on one side only as "-"', () => {
    const fixed = outcome({
      status: 'remediated',
      rule: 's3-bucket-encryption',
      resource: 'arn:aws:s3:::phi-claims',
      before: { algorithm: 'none', bucketKeyEnabled: false },
      after: { algorithm: 'aws:kms', kmsKey: 'alias/aws/s3' },
    });
    const lines = formatChanges([fixed]).split('\n');
    expect(lines[0]).toMatch(/^RESOURCE\s+RULE\s+SETTING\s+BEFORE\s+AFTER$/);
    expect(lines.slice(2)).toEqual([
      expect.stringMatching(/arn:aws:s3:::phi-claims\s+s3-bucket-encryption\s+algorithm\s+none\s+aws:kms$/),
      expect.stringMatching(/bucketKeyEnabled\s+false\s+-$/),
      expect.stringMatching(/kmsKey\s+-\s+alias\/aws\/s3$/),
    ]);
  });

  it('says so when nothing was changed', () => {
    expect(formatChanges([outcome({ status: 'compliant' })])).toBe('(no settings changed)');
  });
});
