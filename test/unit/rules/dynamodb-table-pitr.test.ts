import {
  DescribeContinuousBackupsCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTagsOfResourceCommand,
  UpdateContinuousBackupsCommand,
} from '@aws-sdk/client-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { loadFixture } from '../../../local/fixtures';
import rule, { TABLE_ACTIVE_WAIT } from '../../../remediations/dynamodb-table-pitr';
import { processEvent } from '../../../src/process-event';
import type { Rule } from '../../../src/rule';
import { asSelf, testEngine } from '../../support/engine';
import { awsError } from '../../support/fake-s3';

const ARN = 'arn:aws:dynamodb:us-east-1:123456789012:table/phi-encounters';
const engine = (dryRun = false) => testEngine({ rules: [rule as Rule], dryRun });
const event = () => loadFixture('dynamodb/UpdateContinuousBackups.disabled');

/** One table behind the mocked client; UpdateContinuousBackups changes it as DynamoDB does. */
function fakeTable(
  options: { pitr?: boolean; exists?: boolean; creatingReads?: number; tags?: Record<string, string> } = {},
) {
  const mock = mockClient(DynamoDBClient);
  let pitr = options.pitr ?? false;
  let creating = options.creatingReads ?? 0;
  const gone = () => {
    if (options.exists === false) throw awsError('TableNotFoundException', 400);
  };
  mock.on(DescribeContinuousBackupsCommand).callsFake(() => {
    gone();
    if (creating > 0) throw awsError('ContinuousBackupsUnavailableException', 400);
    return {
      ContinuousBackupsDescription: {
        ContinuousBackupsStatus: 'ENABLED',
        PointInTimeRecoveryDescription: { PointInTimeRecoveryStatus: pitr ? 'ENABLED' : 'DISABLED' },
      },
    };
  });
  mock.on(DescribeTableCommand).callsFake(() => {
    gone();
    creating = Math.max(0, creating - 1);
    return { Table: { TableStatus: creating > 0 ? 'CREATING' : 'ACTIVE' } };
  });
  mock.on(UpdateContinuousBackupsCommand).callsFake(() => {
    pitr = true;
    return {};
  });
  mock.on(ListTagsOfResourceCommand).callsFake(() => {
    gone();
    return { Tags: Object.entries(options.tags ?? {}).map(([Key, Value]) => ({ Key, Value })) };
  });
  return mock;
}
const updates = () => mock.commandCalls(UpdateContinuousBackupsCommand).map((c) => c.args[0].input);

let mock: ReturnType<typeof fakeTable>;
afterEach(() => mock?.restore());
beforeAll(() => Object.assign(TABLE_ACTIVE_WAIT, { maxWaitTime: 1, minDelay: 0.01, maxDelay: 0.02 }));

describe('dynamodb-table-pitr (client mocks)', () => {
  it('names the table of CreateTable (its ARN) and UpdateContinuousBackups (its name)', () => {
    for (const name of ['dynamodb/CreateTable.basic', 'dynamodb/UpdateContinuousBackups.disabled']) {
      expect(rule.resourceIds(loadFixture(name).detail as never)).toEqual([ARN]);
    }
  });

  it('PITR off: turned on, read back', async () => {
    mock = fakeTable();
    const report = await processEvent(engine(), event());
    expect(report.outcomes[0]).toMatchObject({
      status: 'remediated',
      resource: ARN,
      findings: ['point-in-time recovery is off'],
      before: { pointInTimeRecovery: 'DISABLED' },
      after: { pointInTimeRecovery: 'ENABLED' },
    });
    expect(updates()).toEqual([
      { TableName: 'phi-encounters', PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true } },
    ]);
  });

  it('PITR on is compliant: nothing written', async () => {
    mock = fakeTable({ pitr: true });
    expect((await processEvent(engine(), event())).outcomes[0]?.status).toBe('compliant');
    expect(updates()).toEqual([]);
  });

  it('a table still being created is waited for (the SDK waiter), then fixed', async () => {
    mock = fakeTable({ creatingReads: 2 });
    expect(
      (await processEvent(engine(), loadFixture('dynamodb/CreateTable.basic'))).outcomes[0]?.status,
    ).toBe('remediated');
    expect(mock.commandCalls(DescribeTableCommand).length).toBeGreaterThan(0);
  });

  it('dry-run: would-remediate with the exact call, nothing written', async () => {
    mock = fakeTable();
    expect((await processEvent(engine(true), event())).outcomes[0]).toMatchObject({
      status: 'would-remediate',
      actions: [{ service: 'dynamodb', api: 'UpdateContinuousBackups' }],
    });
    expect(updates()).toEqual([]);
  });

  it('exempt and gone tables are never written', async () => {
    mock = fakeTable({ tags: { 'phiguard:exempt': 'scratch, no PHI' } });
    expect((await processEvent(engine(), event())).outcomes[0]?.status).toBe('exempt');
    mock.restore();
    mock = fakeTable({ exists: false });
    expect((await processEvent(engine(), event())).outcomes[0]?.status).toBe('gone');
    expect(updates()).toEqual([]);
  });

  it('a failed call and PHI Guard’s own call are set aside without a read', async () => {
    mock = fakeTable();
    const failed = event();
    failed.detail.errorCode = 'AccessDeniedException';
    const own = testEngine({
      rules: [rule as Rule],
      env: { PHIGUARD_SELF_PRINCIPALS: 'phiguard-dev-us-east-1-on-event' },
    });
    expect((await processEvent(own, failed)).outcomes[0]?.status).toBe('ignored');
    expect((await processEvent(own, asSelf(event()))).outcomes[0]?.status).toBe('ignored');
    expect(mock.calls()).toEqual([]);
  });

  it('AccessDenied on DescribeContinuousBackups is an error outcome (retried), nothing written', async () => {
    mock = fakeTable();
    mock.on(DescribeContinuousBackupsCommand).rejects(awsError('AccessDeniedException', 400));
    const failure = await processEvent(engine(), event()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: expect.stringContaining('AccessDeniedException'),
    });
    expect(updates()).toEqual([]);
  });
});
