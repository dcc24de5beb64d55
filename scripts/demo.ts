/**
 * `npm start`: PHI Guard end to end against a local AWS emulator.
 *
 * Starts moto on a free loopback port, builds a small drifted account, replays
 * matching CloudTrail events from events/ through the Lambda's code path
 * (processEvent) first in dry-run, then with apply, prints what happened and a
 * before/after table, and stops the emulator.
 */
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { emulatorEnv, type MotoServer, startMotoServer } from '../local/moto-server';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const REGION = 'us-east-1';
/** The stand-in deployment's stage: its resources are named phiguard-demo-…. */
const STAGE = 'demo';
/** The account moto answers as. */
const MOTO_ACCOUNT = '123456789012';

function banner(text: string): void {
  process.stdout.write(`\n== ${text} ${'='.repeat(Math.max(0, 90 - text.length))}\n`);
}

async function run(moto: MotoServer): Promise<number> {
  // The SDK reads these at client creation; set them before any client exists.
  Object.assign(process.env, emulatorEnv(moto.endpoint, REGION));
  const flowLogBucket = 'phi-demo-flow-logs';
  process.env.PHIGUARD_FLOW_LOGS_DESTINATION = `arn:aws:s3:::${flowLogBucket}`;
  process.env.PHIGUARD_LEDGER_TABLE = `phiguard-${STAGE}-ledger`;
  const accessLogBucket = 'phi-demo-access-logs';
  process.env.PHIGUARD_ACCESS_LOGS_BUCKET = accessLogBucket;

  const { rules } = await import('../remediations');
  const { createClientPool } = await import('../src/aws-clients');
  const { localClients } = await import('../local/clients');
  const { loadConfig } = await import('../src/config');
  const { Engine } = await import('../src/engine/engine');
  const { processEvent, EventFailedError } = await import('../src/process-event');
  const { formatReport } = await import('../src/cli/format-outcomes');
  const { formatChanges } = await import('../src/cli/format-changes');
  const { formatHistory } = await import('../src/cli/format-history');
  const { seedStandInDeployment } = await import('../local/seed-deployment');
  const { createLedger } = await import('../src/ledger/create-ledger');
  const { MemoryNotificationPublisher } = await import('../src/notify/queue-publisher');
  const { subjectOf } = await import('../src/notify/format');
  const { gatherEvidence, renderEvidence } = await import('../src/cli/report');
  const { formatDuration } = await import('../src/report/format');
  const { runStatus } = await import('../src/cli/status');
  const { Sweeper } = await import('../src/sweep/sweeper');
  const { planShards } = await import('../src/sweep/shard');
  const { sweepShardReport } = await import('../src/sweep/sweep-run-record');
  const fixtures = await import('../local/fixtures');
  const seed = await import('../local/seed');

  const clients = localClients(REGION);
  const s3 = clients.s3();
  const ec2 = clients.ec2();

  banner(`Local AWS emulator (moto) on ${moto.endpoint}; seeding a drifted account in ${REGION}`);
  await seed.createCompliantBucket(s3, flowLogBucket);
  await seed.createLogBucket(s3, accessLogBucket);
  await seed.createPublicBucket(s3, 'phi-demo-claims');
  await seed.createCompliantBucket(s3, 'phi-demo-archive');
  await seed.createPublicBucket(s3, 'phi-demo-press-kit');
  await seed.tagBucket(s3, 'phi-demo-press-kit', {
    'phiguard:exempt': 'public press kit, approved by privacy office',
  });
  const albVpc = await seed.createVpc(ec2, REGION, 2);
  const alb = await seed.createAlb(clients.elbv2(), seed.createAcmClient(REGION), albVpc, 'phi-demo-portal', {
    https: true,
  });
  const loggedVpc = await seed.createVpc(ec2, REGION);
  await seed.createFlowLog(ec2, loggedVpc.vpcId, `arn:aws:s3:::${flowLogBucket}`);
  await seed.createFlowLog(ec2, albVpc.vpcId, `arn:aws:s3:::${flowLogBucket}`);
  const driftedVpc = await seed.createVpc(ec2, REGION);
  const deleted = await seed.createFlowLog(ec2, driftedVpc.vpcId, `arn:aws:s3:::${flowLogBucket}`);
  await seed.deleteFlowLog(ec2, deleted);
  process.stdout.write(
    [
      '  phi-demo-claims     public ACL + public policy, no default encryption, no TLS-only policy,',
      '                      no versioning, no access logging',
      '  phi-demo-archive    compliant (Block Public Access, SSE-KMS + bucket key, TLS-only policy,',
      '                      versioned, server access logging on)',
      '  phi-demo-press-kit  public, tagged phiguard:exempt',
      '  phi-demo-portal     ALB: HTTP:80 forwards plaintext beside HTTPS:443, no access logs',
      `  ${driftedVpc.vpcId}  flow log ${deleted} just deleted (the emulator's default VPC never had one)`,
      `  ${loggedVpc.vpcId}  active flow log (compliant)`,
      '',
    ].join('\n'),
  );

  // The stack's moving parts as the stack names them (functions in apply mode, their event
  // rules and schedules, dead-letter queues) and the action registry's table, for phiguard status.
  await seedStandInDeployment({
    stage: STAGE,
    region: REGION,
    account: MOTO_ACCOUNT,
    env: { PHIGUARD_DRY_RUN: 'false' },
  });
  const ledger = createLedger(loadConfig(process.env, process.cwd(), rules));

  // Each pass gets fresh event ids, as new CloudTrail events would have.
  const makeEvents = () => {
    const failedCall = fixtures.bucketEvent('s3/PutBucketAcl.public-read', 'phi-demo-archive');
    failedCall.detail.errorCode = 'AccessDenied';
    return [
      fixtures.bucketEvent('s3/PutBucketAcl.public-read', 'phi-demo-claims'),
      fixtures.bucketEvent('s3/PutBucketPolicy.public', 'phi-demo-claims'),
      fixtures.bucketEvent('s3/DeleteBucketEncryption.basic', 'phi-demo-claims'),
      fixtures.bucketEvent('s3/PutBucketAcl.public-read', 'phi-demo-press-kit'),
      fixtures.bucketEvent('s3/PutBucketPolicy.public', 'phi-demo-archive'),
      failedCall,
      fixtures.listenerEvent(
        'elasticloadbalancing/CreateListener.http',
        alb.loadBalancerArn,
        alb.httpListenerArn,
      ),
      fixtures.loadFixture('ec2/DeleteFlowLogs.single'),
    ];
  };

  const pool = createClientPool();
  // The deployed stack puts these on the notifier's queue; here they are kept to show them.
  const publisher = new MemoryNotificationPublisher();
  let exitCode = 0;
  const replay = async (dryRun: boolean, events: unknown[]) => {
    const config = loadConfig({ ...process.env, PHIGUARD_DRY_RUN: String(dryRun) }, process.cwd(), rules);
    const engine = new Engine({ rules, config, ledger, publisher, clientsFor: pool });
    const outcomes = [];
    for (const event of events) {
      let report: Awaited<ReturnType<typeof processEvent>>;
      try {
        report = await processEvent(engine, event);
      } catch (error) {
        if (!(error instanceof EventFailedError)) throw error;
        report = error.report;
        exitCode = 1;
      }
      process.stdout.write(`\n${formatReport(report)}\n`);
      outcomes.push(...report.outcomes);
    }
    return outcomes;
  };

  banner('Pass 1: dry-run (the default): reads, plans, writes nothing');
  await replay(true, makeEvents());
  banner(
    'Pass 2: apply (PHIGUARD_DRY_RUN=false, or phiguard invoke --apply); the first event is delivered twice',
  );
  const applyEvents = makeEvents();
  const applied = await replay(false, [...applyEvents, structuredClone(applyEvents[0])]);
  banner('Before / after (settings read back from the emulator after each fix)');
  process.stdout.write(`${formatChanges(applied)}\n`);
  const counts = new Map<string, number>();
  for (const outcome of applied) counts.set(outcome.status, (counts.get(outcome.status) ?? 0) + 1);
  banner(
    'Action registry history for phi-demo-claims (phiguard history --resource arn:aws:s3:::phi-demo-claims)',
  );
  process.stdout.write(
    `${formatHistory(await ledger.history({ resource: 'arn:aws:s3:::phi-demo-claims' }))}\n`,
  );
  banner(
    `What people are told (${publisher.published.length} notifications; Slack, SNS and ticket sinks in a deployment)`,
  );
  for (const n of publisher.published) process.stdout.write(`  ${subjectOf(n)}\n`);
  banner('Summary of the apply pass');
  process.stdout.write(`${[...counts].map(([status, n]) => `${status}: ${n}`).join('   ')}\n`);

  // What an auditor gets (phiguard report --out FILE): the registry's trail as HIPAA evidence.
  banner('HIPAA evidence report (phiguard report --since 90d --out FILE)');
  const reportEngine = new Engine({
    rules,
    config: loadConfig(process.env, process.cwd(), rules),
    ledger,
    clientsFor: pool,
  });
  const now = new Date();
  const evidence = await gatherEvidence(reportEngine, {
    since: new Date(now.getTime() - 90 * 86_400_000),
    now,
    ownAccount: MOTO_ACCOUNT,
  });
  const reportPath = join(await mkdtemp(join(tmpdir(), 'phiguard-demo-')), 'evidence-report.html');
  await writeFile(reportPath, renderEvidence(evidence, 'html'));
  for (const s of evidence.safeguards.filter((s) => s.driftsDetected > 0)) {
    process.stdout.write(
      `  §${s.id.padEnd(18)} ${s.driftsDetected} drifts, ${s.fixedAutomatically} fixed automatically (median ${formatDuration(s.timeToFix.medianSeconds)}), ${s.ticketsStillOpen} ticket(s) open, ${s.exemptions.length} exempt\n`,
    );
  }
  process.stdout.write(
    `\nEvidence report written to ${reportPath} (open it in a browser; it prints to PDF)\n`,
  );

  // What the scheduled functions would have done by now: one sweep (recorded by its
  // workers) and one heartbeat, delivered back through the event path as CloudTrail would.
  const sweeper = new Sweeper(reportEngine, { concurrency: 16 });
  const shards = planShards(rules, {
    runId: `demo-${Date.now()}`,
    accounts: [MOTO_ACCOUNT],
    regions: [REGION],
    startedAt: new Date().toISOString(),
  });
  for (const shard of shards) {
    const result = await sweeper.runShard(shard);
    await ledger.recordSweepShard(sweepShardReport(shard, 'done', result.outcomes));
  }
  const sentAt = new Date().toISOString();
  await ledger.recordHeartbeatSent({ account: MOTO_ACCOUNT, region: REGION }, sentAt);
  const heartbeat = fixtures.loadFixture('events/PutRule.heartbeat');
  heartbeat.detail.requestParameters = {
    ...heartbeat.detail.requestParameters,
    name: `phiguard-${STAGE}-heartbeat`,
    description: `PHI Guard heartbeat, sent ${sentAt}`,
  };
  await processEvent(reportEngine, heartbeat);

  banner(`Is the deployment healthy? (phiguard status --stage ${STAGE})`);
  const statusCode = await runStatus({ stage: STAGE, json: false });
  process.stdout.write(`(phiguard status exit code ${statusCode}: 0 healthy, 2 degraded, 1 unreachable)\n`);
  return exitCode;
}

const started = Date.now();
let moto: MotoServer | undefined;
try {
  moto = await startMotoServer();
  const code = await run(moto);
  process.stdout.write(`\nDone in ${((Date.now() - started) / 1000).toFixed(1)} s; emulator stopped.\n`);
  process.exitCode = code;
} catch (error) {
  process.stderr.write(`demo failed: ${(error as Error).stack ?? error}\n`);
  process.exitCode = 1;
} finally {
  await moto?.stop();
}
