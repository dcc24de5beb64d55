import type { TestProject } from 'vitest/node';
import { emulatorEnv, startMotoServer } from '../../local/moto-server';
import { createTrail } from '../../local/seed-cloudtrail';
import { createAwsClients } from '../../src/aws-clients';

declare module 'vitest' {
  export interface ProvidedContext {
    motoEndpoint: string;
  }
}

/** Where the suite's account keeps the trail that records every Region. */
const TRAIL_REGION = 'af-south-1';

export default async function setup(project: TestProject) {
  const moto = await startMotoServer();
  project.provide('motoEndpoint', moto.endpoint);
  // The emulator's account records every Region, as an account holding PHI does: one
  // logging multi-Region trail, in a Region no test sweeps. cloudtrail-region-recorded
  // is compliant everywhere here, whatever order the files run in; its drift is tested
  // in an account of its own.
  Object.assign(process.env, emulatorEnv(moto.endpoint, TRAIL_REGION));
  await createTrail(createAwsClients({ region: TRAIL_REGION }), 'phiguard-suite-audit');
  return async () => {
    await moto.stop();
  };
}
