import { DescribeJobCommand, ListJobsCommand } from '@aws-sdk/client-snowball';
import { describe, expect, it } from 'vitest';
import { createAwsClients } from '../../src/aws-clients';
import { listAll } from '../../src/resources/resource-type';
import { snowball, snowballJob } from '../../src/resources/snowball/job';
import { testEngine } from '../support/engine';
import { REGION, useMoto } from '../support/moto';

/**
 * moto has no Snowball; the local emulator answers it from a front that holds no
 * jobs (local/snowball-stand-in.ts), so sweeps of every rule stay clean there. This
 * also proves the pre-schema Snowball client (3.523.0) is given AWS_ENDPOINT_URL,
 * which it does not read itself.
 */
describe('Snowball against the local emulator (moto has none: a stand-in without jobs)', () => {
  it('the 3.523 client reaches the emulator through AWS_ENDPOINT_URL and finds no jobs; a job id is unknown', async () => {
    useMoto();
    const clients = createAwsClients({ region: REGION });
    expect((await clients.get(snowball).send(new ListJobsCommand({}))).JobListEntries).toEqual([]);
    await expect(
      clients
        .get(snowball)
        .send(new DescribeJobCommand({ JobId: 'JID123e4567-e89b-12d3-a456-426655440000' })),
    ).rejects.toMatchObject({ name: 'InvalidResourceException' });
    // The sweep's listing through the engine's own clients.
    expect(await listAll(snowballJob, testEngine().resourceContext(REGION, '123456789012'))).toEqual([]);
  });
});
