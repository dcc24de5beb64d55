import { ListClustersCommand } from '@aws-sdk/client-emr';
import { ListVaultsCommand } from '@aws-sdk/client-glacier';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { emr, emrCluster } from '../../../src/resources/emr/cluster';
import { glacier, glacierVault } from '../../../src/resources/glacier/vault';
import { listAll } from '../../../src/resources/resource-type';
import { testEngine } from '../../support/engine';
import { MockAws } from '../../support/scenario';

const ctx = () => testEngine().resourceContext('eu-west-1', '123456789012');

let mocks = new MockAws();
beforeEach(() => {
  mocks = new MockAws();
});
afterEach(() => mocks.restore());

describe('sweep listing of the Glacier and EMR types (client mocks: moto lacks vault policies, and its EMR ignores the Region)', () => {
  it('Glacier: every vault of the caller’s account, page after page, as ARNs of the context’s Region', async () => {
    const stub = mocks.client(glacier);
    stub
      .on(ListVaultsCommand, { marker: undefined })
      .resolves({ VaultList: [{ VaultName: 'imaging-archive' }], Marker: 'page-2' })
      .on(ListVaultsCommand, { marker: 'page-2' })
      .resolves({ VaultList: [{ VaultName: 'claims_2019' }] });
    expect(await listAll(glacierVault, ctx())).toEqual([
      'arn:aws:glacier:eu-west-1:123456789012:vaults/imaging-archive',
      'arn:aws:glacier:eu-west-1:123456789012:vaults/claims_2019',
    ]);
    expect(stub.commandCalls(ListVaultsCommand).map((c) => c.args[0].input)).toEqual([
      { accountId: '-', marker: undefined, limit: 1000 },
      { accountId: '-', marker: 'page-2', limit: 1000 },
    ]);
  });

  it('EMR: only clusters that run (or are about to), page after page', async () => {
    const stub = mocks.client(emr);
    stub
      .on(ListClustersCommand, { Marker: undefined })
      .resolves({
        Clusters: [
          { Id: 'j-1ABC', ClusterArn: 'arn:aws:elasticmapreduce:eu-west-1:123456789012:cluster/j-1ABC' },
        ],
        Marker: 'm2',
      })
      .on(ListClustersCommand, { Marker: 'm2' })
      .resolves({ Clusters: [{ Id: 'j-2DEF' }] });
    expect(await listAll(emrCluster, ctx())).toEqual([
      'arn:aws:elasticmapreduce:eu-west-1:123456789012:cluster/j-1ABC',
      'arn:aws:elasticmapreduce:eu-west-1:123456789012:cluster/j-2DEF',
    ]);
    for (const call of stub.commandCalls(ListClustersCommand)) {
      expect(call.args[0].input.ClusterStates).toEqual(['STARTING', 'BOOTSTRAPPING', 'RUNNING', 'WAITING']);
    }
  });
});
