import type { TestProject } from 'vitest/node';
import { startMotoServer } from '../../local/moto-server';

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string;
  }
}

export default async function setup(project: TestProject) {
  const moto = await startMotoServer();
  project.provide('motoEndpoint', moto.endpoint);
  return async () => {
    await moto.stop();
  };
}
