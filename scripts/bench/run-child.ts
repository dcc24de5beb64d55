import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');

/**
 * Runs a measured child process from the repository's root with only `env` (and
 * PATH, HOME); resolves with its stdout, wall time and the time to its first byte of
 * output (stdout or stderr) when it exits with one of `okExitCodes` (a scan with
 * findings exits 2), rejects with its stderr otherwise.
 */
export function runChild(
  command: string,
  argv: string[],
  env: Record<string, string>,
  okExitCodes: readonly number[] = [0],
): Promise<{ stdout: string; ms: number; firstOutputMs: number | undefined }> {
  return new Promise((resolvePromise, reject) => {
    const started = performance.now();
    const child = spawn(command, argv, {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    let firstOutputMs: number | undefined;
    const first = () => {
      firstOutputMs ??= performance.now() - started;
    };
    child.stdout.on('data', (chunk) => {
      first();
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      first();
      stderr += chunk;
    });
    child.on('close', (code) =>
      code !== null && okExitCodes.includes(code)
        ? resolvePromise({ stdout, ms: performance.now() - started, firstOutputMs })
        : reject(new Error(`${argv.join(' ')} exited ${code}: ${stderr}`)),
    );
  });
}

/**
 * `phiguard scan --format json` as a person runs it (the repository's bin, a new process)
 * with only `env`; `args` are its other options. Exit 2, findings remain, is an answer.
 */
export function runScanChild(args: string[], env: Record<string, string>) {
  return runChild(
    process.execPath,
    [join(ROOT, 'bin', 'phiguard.js'), 'scan', '--format', 'json', ...args],
    env,
    [0, 2],
  );
}
