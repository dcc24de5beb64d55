/**
 * `npm run bench`: figures printed, never asserted. Starts its own moto server
 * behind a recording proxy, builds what each scenario needs, runs events
 * through the Lambda's code path (processEvent) and counts the AWS calls on
 * the wire.
 *
 * Section "action registry": DynamoDB calls per event for a new drift, a
 * duplicate delivery, a compliant resource and one whose open finding a person
 * fixed (targets: ≤ 3, 1, —, —), plus the guarded-API calls and the wall time of each.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { emulatorEnv, startMotoServer } from '../../local/moto-server';
import { isRead, type RecordedCall, startRecordingProxy } from '../../local/recording-proxy';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const REGION = 'us-east-1';
const REPEAT = Number(process.env.BENCH_REPEAT ?? 20);

interface Row {
  scenario: string;
  dynamodbCalls: number;
  guardedCalls: number;
  guardedWrites: number;
  status: string;
  msPerEvent: number;
}

const isDynamo = (c: RecordedCall) => c.service === 'dynamodb';
const isWrite = (c: RecordedCall) => !isDynamo(c) && !isRead(c);

function table(rows: Row[]): string {
  const header = [
    'scenario',
    'DynamoDB calls/event',
    'guarded API calls/event',
    'of which writes',
    'status',
    'ms/event',
  ];
  const body = rows.map((r) => [
    r.scenario,
    r.dynamodbCalls.toFixed(1),
    r.guardedCalls.toFixed(1),
    r.guardedWrites.toFixed(1),
    r.status,
    r.msPerEvent.toFixed(1),
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((row) => (row[i] ?? '').length)));
  return [header, widths.map((w) => '-'.repeat(w)), ...body]
    .map((row) => row.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  '))
    .join('\n');
}

const moto = await startMotoServer();
const proxy = await startRecordingProxy(moto.endpoint);
try {
  Object.assign(process.env, emulatorEnv(proxy.endpoint, REGION), {
    PHIGUARD_LEDGER_TABLE: 'phiguard-bench-ledger',
    PHIGUARD_DRY_RUN: 'false',
  });
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const { rules } = await import('../../remediations');
  const { createClientPool } = await import('../../src/aws-clients');
  const { localClients } = await import('../../local/clients');
  const { loadConfig } = await import('../../src/config');
  const { Engine } = await import('../../src/engine/engine');
  const { createLedger } = await import('../../src/ledger/create-ledger');
  const { initLedgerTable } = await import('../../src/ledger/init-table');
  const { bucketEvent } = await import('../../local/fixtures');
  const { processEvent } = await import('../../src/process-event');
  const seed = await import('../../local/seed');
  const { PutBucketAclCommand } = await import('@aws-sdk/client-s3');

  await initLedgerTable(new DynamoDBClient({}), 'phiguard-bench-ledger');
  // Seeding talks to moto directly, so the proxy counts only what PHI Guard does.
  const s3 = localClients(REGION, { endpoint: moto.endpoint }).s3();
  const config = loadConfig(process.env, process.cwd(), rules);
  const engine = new Engine({ rules, config, ledger: createLedger(config), clientsFor: createClientPool() });
  const publicAccess = rules.filter((r) => r.id === 's3-bucket-public-access');
  const singleRule = new Engine({
    rules: publicAccess,
    config,
    ledger: createLedger(config),
    clientsFor: createClientPool(),
  });

  const measure = async (
    scenario: string,
    prepare: (i: number) => Promise<unknown>,
    run = singleRule,
  ): Promise<Row> => {
    const events: unknown[] = [];
    for (let i = 0; i < REPEAT; i++) events.push(await prepare(i));
    proxy.reset();
    const statuses = new Set<string>();
    const started = performance.now();
    for (const event of events) {
      const report = await processEvent(run, event);
      for (const outcome of report.outcomes) statuses.add(outcome.status);
    }
    const elapsed = performance.now() - started;
    const calls = proxy.calls;
    return {
      scenario,
      dynamodbCalls: calls.filter(isDynamo).length / REPEAT,
      guardedCalls: calls.filter((c) => !isDynamo(c)).length / REPEAT,
      guardedWrites: calls.filter(isWrite).length / REPEAT,
      status: [...statuses].join(','),
      msPerEvent: elapsed / REPEAT,
    };
  };

  const rows: Row[] = [];
  rows.push(
    await measure('new drift (public bucket, PutBucketAcl)', async (i) => {
      await seed.createPublicBucket(s3, `bench-drift-${i}`);
      return bucketEvent('s3/PutBucketAcl.public-read', `bench-drift-${i}`);
    }),
  );
  const delivered: unknown[] = [];
  for (let i = 0; i < REPEAT; i++) {
    await seed.createPublicBucket(s3, `bench-dup-${i}`);
    const event = bucketEvent('s3/PutBucketAcl.public-read', `bench-dup-${i}`);
    await processEvent(singleRule, event);
    delivered.push(event);
  }
  rows.push(
    await measure('duplicate delivery (same event id again)', async (i) => structuredClone(delivered[i])),
  );
  rows.push(
    await measure('compliant bucket (PutBucketAcl)', async (i) => {
      await seed.createCompliantBucket(s3, `bench-ok-${i}`);
      return bucketEvent('s3/PutBucketAcl.public-read', `bench-ok-${i}`);
    }),
  );
  const reviewOnly = new Engine({
    rules: publicAccess,
    config: { ...config, dryRun: true },
    ledger: createLedger(config),
    clientsFor: createClientPool(),
  });
  rows.push(
    await measure('compliant again: a finding a person fixed (settled under the claim)', async (i) => {
      const bucket = `bench-fixed-${i}`;
      await seed.createPublicBucket(s3, bucket);
      await processEvent(reviewOnly, bucketEvent('s3/PutBucketAcl.public-read', bucket));
      await seed.blockPublicAccess(s3, bucket);
      await s3.send(new PutBucketAclCommand({ Bucket: bucket, ACL: 'private' }));
      return bucketEvent('s3/PutBucketAcl.public-read', bucket);
    }),
  );
  rows.push(
    await measure(
      'new bucket, every S3 rule (CreateBucket)',
      async (i) => {
        await seed.createPublicBucket(s3, `bench-create-${i}`);
        return bucketEvent('s3/CreateBucket.basic', `bench-create-${i}`);
      },
      engine,
    ),
  );

  const machine = `${cpus().length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  process.stdout.write(
    `\nPHI Guard benchmark: action registry (${REPEAT} events per scenario; moto on loopback; ${machine})\n\n`,
  );
  process.stdout.write(`${table(rows)}\n\n`);
  process.stdout.write('Targets: new drift <= 3 DynamoDB calls, duplicate = 1 (and no guarded API call).\n');
  mkdirSync('bench-results', { recursive: true });
  const file = 'bench-results/ledger.json';
  writeFileSync(
    file,
    `${JSON.stringify({ date: new Date().toISOString(), machine, repeat: REPEAT, rows }, null, 2)}\n`,
  );
  process.stdout.write(`Written: ${file}\n`);
} finally {
  await proxy.close();
  await moto.stop();
}
