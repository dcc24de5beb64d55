import { randomBytes } from 'node:crypto';
import { inject } from 'vitest';
import { type LocalClients, localClients } from '../../local/clients';
import { emulatorEnv } from '../../local/moto-server';

/**
 * Integration tests share one moto server (started by the global setup). Each
 * test makes its own uniquely named resources, so files can run in parallel.
 */
export const REGION = 'us-east-1';
export const ACCOUNT = '123456789012';

export function motoEndpoint(): string {
  return inject('motoEndpoint');
}

/** Points this worker's SDK environment at the emulator; returns the variables for child processes. */
export function useMoto(): Record<string, string> {
  const env = emulatorEnv(motoEndpoint(), REGION);
  Object.assign(process.env, env);
  return env;
}

export function motoClients(): LocalClients {
  useMoto();
  return localClients(REGION);
}

export function uniqueName(prefix: string): string {
  return `${prefix}-${randomBytes(4).toString('hex')}`;
}
