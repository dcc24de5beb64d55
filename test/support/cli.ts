import { spawn } from 'node:child_process';
import { join } from 'node:path';

/** `phiguard` as a user runs it: the package's bin in a child process, with only the given environment. */
export const BIN = join(import.meta.dirname, '..', '..', 'bin', 'phiguard.js');

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

export function runPhiguard(
  args: string[],
  options: { env: Record<string, string>; cwd: string; stdin?: string },
): Promise<CliRun> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [BIN, ...args], {
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...options.env },
      cwd: options.cwd,
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('close', (code) => resolve({ code, stdout, stderr }));
    child.stdin.end(options.stdin ?? '');
  });
}
