import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { emulatorEnv } from '../../local/moto-server';
import { runPhiguard } from '../support/cli';
import { motoEndpoint } from '../support/moto';

/**
 * `phiguard` runs from its built bundle (scripts/build-cli.mjs, at `npm ci` and
 * before the tests), not through tsx (issue 16). The bundle must say exactly what
 * the source says, and must never be run stale.
 */
const ROOT = join(import.meta.dirname, '..', '..');
const INPUTS = join(ROOT, '.build', 'cli', 'inputs.json');
const CODE_CACHE = join(ROOT, '.build', 'cli', 'phiguard.cache');
const BUNDLE = join(ROOT, '.build', 'cli', 'phiguard.cjs');
const env = { PHIGUARD_ACCOUNT_ID: '123456789012', AWS_REGION: 'us-east-1' };

describe('the built CLI', () => {
  it('prints the same rule catalogue as the TypeScript source run through tsx', async () => {
    const [built, source] = await Promise.all([
      runPhiguard(['rules', '--json'], { env, cwd: ROOT }),
      runPhiguard(['rules', '--json'], { env: { ...env, PHIGUARD_CLI_FROM_SOURCE: '1' }, cwd: ROOT }),
    ]);
    expect(built.code).toBe(0);
    expect(source.code).toBe(0);
    expect(JSON.parse(built.stdout).length).toBeGreaterThan(40);
    expect(built.stdout).toBe(source.stdout);
    expect(built.stderr).toBe('');
  });

  it('writes its code cache on a first run, and calls AWS when started from it', async () => {
    // A script compiled from a code cache has no import() in Node 20: the bundle must have none.
    const dynamicImport = readFileSync(BUNDLE, 'utf8').match(/.{0,60}(?:^|[^.\w$])import\(\s*["'`].{0,40}/);
    expect(dynamicImport?.[0]).toBeUndefined();
    // No account set: the CLI asks STS which account it is in.
    const { PHIGUARD_ACCOUNT_ID: _own, ...scanEnv } = emulatorEnv(motoEndpoint());
    const scan = ['scan', '--rule', 's3-bucket-name-phi', '--format', 'json'];
    rmSync(CODE_CACHE, { force: true });
    const first = await runPhiguard(scan, { env: scanEnv, cwd: ROOT });
    expect(existsSync(CODE_CACHE)).toBe(true);
    const cached = await runPhiguard(scan, { env: scanEnv, cwd: ROOT });
    for (const run of [first, cached]) {
      expect(run.stderr).not.toMatch(/phiguard: .*error|Error/i);
      expect([0, 2]).toContain(run.code);
      // The account comes from sts:GetCallerIdentity: the SDK's HTTP handler worked.
      expect(JSON.parse(run.stdout).account).toBe('123456789012');
    }
  });

  it('is rebuilt before it runs when a source file is newer than the bundle', async () => {
    const before = JSON.parse(readFileSync(INPUTS, 'utf8')) as { builtAt: number; inputs: string[] };
    expect(before.inputs).toContain('src/cli/main.ts');
    expect(before.inputs).toContain('remediations/index.ts');
    // As if every source file had been edited after the last build.
    writeFileSync(INPUTS, JSON.stringify({ ...before, builtAt: 0 }));
    const run = await runPhiguard(['--version'], { env, cwd: ROOT });
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+/);
    const after = JSON.parse(readFileSync(INPUTS, 'utf8')) as { builtAt: number };
    expect(after.builtAt).toBeGreaterThan(Date.now() - 120_000);
  }, 60_000);
});
