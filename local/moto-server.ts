import { type ChildProcess, execFileSync, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { PhiGuardError } from '../src/errors';
import { startSnowballStandIn } from './snowball-stand-in';

/**
 * A moto server (the local AWS emulator) on a free loopback port, for `npm start`,
 * the integration tests and the benchmark. Uses `moto_server` from PATH, else a
 * project-local virtualenv (`.venv/`), creating it with `moto[server]` when missing.
 */
export class EmulatorError extends PhiGuardError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'EmulatorError';
  }
}

export interface MotoServer {
  endpoint: string;
  port: number;
  /** moto's process id (the benchmark reads its CPU time); `endpoint` is its Snowball front. */
  pid: number | undefined;
  stop(): Promise<void>;
}

function onPath(command: string): string | undefined {
  try {
    return execFileSync('sh', ['-c', `command -v ${command}`], { encoding: 'utf8' }).trim() || undefined;
  } catch {
    return undefined;
  }
}

/** Finds (or installs into `.venv/`) the `moto_server` executable. */
export function findMotoServer(projectRoot = process.cwd()): string {
  const fromEnv = process.env.PHIGUARD_MOTO_SERVER;
  if (fromEnv) return fromEnv;
  const fromPath = onPath('moto_server');
  if (fromPath) return fromPath;
  const venv = join(projectRoot, '.venv');
  const local = join(venv, 'bin', 'moto_server');
  if (existsSync(local)) return local;
  const python = onPath('python3');
  if (!python)
    throw new EmulatorError('moto_server is not on PATH and python3 is missing, so it cannot be installed');
  process.stderr.write('moto_server not found; installing moto[server] into .venv/ (one time)\n');
  try {
    execFileSync(python, ['-m', 'venv', venv], { stdio: 'inherit' });
    execFileSync(join(venv, 'bin', 'pip'), ['install', '--quiet', 'moto[server]>=5,<6'], {
      stdio: 'inherit',
    });
  } catch (error) {
    throw new EmulatorError('could not install moto[server] into .venv/ (is PyPI reachable?)', {
      cause: error,
    });
  }
  return local;
}

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
}

async function waitUntilReady(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new EmulatorError(`moto_server exited with code ${child.exitCode}`);
    try {
      const response = await fetch(`${endpoint}/moto-api/`);
      if (response.ok) return;
    } catch {
      // not listening yet
    }
    await sleep(100);
  }
  throw new EmulatorError(`moto_server did not answer on ${endpoint} within ${timeoutMs} ms`);
}

export async function startMotoServer(
  options: { timeoutMs?: number; quiet?: boolean } = {},
): Promise<MotoServer> {
  const executable = findMotoServer();
  let lastError: unknown;
  for (let attempt = 0; attempt < 3; attempt++) {
    const port = await freePort();
    const endpoint = `http://127.0.0.1:${port}`;
    const child = spawn(executable, ['-H', '127.0.0.1', '-p', String(port)], {
      stdio: ['ignore', 'ignore', options.quiet === false ? 'inherit' : 'ignore'],
      detached: false,
    });
    try {
      await waitUntilReady(endpoint, child, options.timeoutMs ?? 20_000);
      // Clients talk to the front (local/snowball-stand-in.ts): moto itself has no Snowball.
      const frontPort = await freePort();
      const front = await startSnowballStandIn(endpoint, frontPort);
      return {
        endpoint: `http://127.0.0.1:${frontPort}`,
        port: frontPort,
        pid: child.pid,
        stop: () =>
          new Promise((resolve) => {
            front.closeAllConnections();
            front.close();
            if (child.exitCode !== null) return resolve();
            child.once('exit', () => resolve());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 3000).unref();
          }),
      };
    } catch (error) {
      lastError = error;
      child.kill('SIGKILL');
    }
  }
  throw new EmulatorError('could not start moto_server', { cause: lastError });
}

/** Credentials and endpoint for SDK clients talking to the emulator (never real keys). */
export function emulatorEnv(endpoint: string, region = 'us-east-1'): Record<string, string> {
  return {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: region,
    AWS_DEFAULT_REGION: region,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_SESSION_TOKEN: 'testing',
    // moto's default account: PHI Guard's own there (other accounts are reached through their member role).
    PHIGUARD_ACCOUNT_ID: '123456789012',
  };
}
