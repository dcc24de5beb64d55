import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

/**
 * `npm start` is the README's first command: it must keep working. The demo
 * starts its own emulator, so this runs it exactly as a user does.
 */
const ROOT = join(import.meta.dirname, '..', '..');

describe('npm start (the demo)', () => {
  it('drifts an account, reviews it in dry-run, fixes it, and shows the settings it changed', async () => {
    const { stdout } = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '' },
      timeout: 120_000,
    });
    expect(stdout).toContain('== Before / after');
    expect(stdout).toMatch(/s3-bucket-public-access\s+RestrictPublicBuckets\s+false\s+true/);
    expect(stdout).toMatch(/s3-bucket-encryption\s+algorithm\s+none\s+aws:kms/);
    expect(stdout).toMatch(/Summary of the apply pass[\s\S]*remediated: \d+/);
    // It ends with the evidence report of the demo account, where it says.
    const reportPath = /Evidence report written to (\S+)/.exec(stdout)?.[1] ?? '';
    const report = readFileSync(reportPath, 'utf8');
    expect(report).toContain('HIPAA Security Rule — technical safeguard evidence');
    expect(report).toContain('public press kit, approved by privacy office');
    expect(report).toMatch(/<rect class="bar"[^>]*data-safeguard="164\.312\(a\)\(1\)"/);
    // And with phiguard status of its stand-in deployment: every check passes.
    expect(stdout).toMatch(/OK\s+event rules\s+(\d+) of \1 enabled with a target/);
    expect(stdout).toMatch(/OK\s+last sweep\s+\S+: (\d+) of \1 shards/);
    expect(stdout).toContain('(phiguard status exit code 0:');
    expect(stdout).toContain('emulator stopped');
  }, 120_000);
});
