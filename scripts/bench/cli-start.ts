/**
 * How fast `phiguard` starts as a person runs it (a new process from the repository's bin):
 * `rules --json` and `--help` against a bare `node -e 0`, medians of five after one run
 * that leaves the bundle's code cache (issue 16's goal: within 6× a bare node start).
 */
import { join, resolve } from 'node:path';
import { median } from './format';
import { runChild } from './run-child';

const ROOT = resolve(import.meta.dirname, '..', '..');
const RUNS = 5;

async function medianMs(command: string, argv: string[]): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) times.push((await runChild(command, argv, {})).ms);
  return median(times);
}

export interface CliStart {
  bareNodeMs: number;
  rulesJsonMs: number;
  helpMs: number;
}

export async function measureCliStart(): Promise<CliStart> {
  const bin = join(ROOT, 'bin', 'phiguard.js');
  // The first run after a build compiles everything and writes the code cache.
  await runChild(process.execPath, [bin, 'rules', '--json'], {});
  return {
    bareNodeMs: await medianMs(process.execPath, ['-e', '0']),
    rulesJsonMs: await medianMs(process.execPath, [bin, 'rules', '--json']),
    helpMs: await medianMs(process.execPath, [bin, '--help']),
  };
}
