/**
 * `npm run bench [-- --buckets N] [-- --data-stores N] [-- --warm-events N] [-- --drift-events N]
 *   [-- --org-accounts N] [-- --org-buckets N] [-- --skip-bundles] [-- --skip-drift-share]
 *   [-- --skip-reliability]`:
 * figures printed, never asserted. PHIGUARD_RULE_MODES (e.g. `s3-bucket-versioning=off`) is
 * passed to the sweeps, to compare figures with an earlier catalogue.
 *
 * Starts its own moto server behind a recording proxy, builds an account of the
 * given size, and measures: the emulator's own ceiling; a dry-run and an apply
 * sweep (wall time, resources/s, API calls per resource, client and emulator CPU,
 * peak RSS); the CLI's start against a bare node start; `phiguard scan` over accounts
 * 0, 50 and 100 % drifted against the bound of its own calls (scripts/bench/drift-share.ts);
 * apply side by side with Cloud Custodian when it is installed (scripts/bench/custodian.ts);
 * per resource type the calls each compliant resource costs beyond its type's listing; the bundled
 * handlers (size, module load, a cold process handling one event, warm latency
 * over 1,000 compliant-bucket events and over 100 fixes); and DynamoDB calls per
 * event; and an organisation of member accounts swept with `scan --org` (wall time
 * against the emulator's bound, AssumeRole calls per member account); then faults and
 * bursts (scripts/bench/reliability.ts). Writes bench-results/bench-<N>.json.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { cpus, totalmem } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { GetBucketAclCommand } from '@aws-sdk/client-s3';
import { eventFunctionName } from '../../infra/event-function-stack';
import { emulatorEnv, startMotoServer } from '../../local/moto-server';
import { isRead, type RecordedCall, startRecordingProxy } from '../../local/recording-proxy';
import { median, percentile, table } from './format';
import { processCpuSeconds } from './process-cpu';
import { runChild } from './run-child';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { values: args } = parseArgs({
  options: {
    buckets: { type: 'string', default: '300' },
    // Sets of compliant data stores (8 resources each: RDS, Aurora, snapshots, Redshift,
    // DynamoDB, EBS), beside a quarter as many sets of drifted ones.
    'data-stores': { type: 'string', default: '20' },
    'skip-bundles': { type: 'boolean', default: false },
    // Faults and bursts (scripts/bench/reliability.ts, its own emulator): about 12 minutes.
    'skip-reliability': { type: 'boolean', default: false },
    // `phiguard scan` at 0, 50 and 100 % drifted buckets against the bound of its own calls
    // (scripts/bench/drift-share.ts, its own emulators): about 6 minutes.
    'skip-drift-share': { type: 'boolean', default: false },
    // The organisation swept with `scan --org`: member accounts, and buckets in each.
    'org-accounts': { type: 'string', default: '10' },
    'org-buckets': { type: 'string', default: '50' },
    // Compliant-bucket events (the common case: no lock, no transaction).
    'warm-events': { type: 'string', default: '1000' },
    // Drift events, each fixing its own public bucket. Fewer: each settles in a
    // TransactWriteItems, and moto deep-copies its whole table on every one, so the
    // emulator slows with every event (an artifact real DynamoDB does not have).
    'drift-events': { type: 'string', default: '100' },
  },
});
const BUCKETS = Number(args.buckets);
const DATA_STORES = Number(args['data-stores']);
const WARM_EVENTS = Number(args['warm-events']);
const DRIFT_EVENTS = Number(args['drift-events']);
const REGION = 'us-east-1';
const ROOT = resolve(import.meta.dirname, '..', '..');
const OUT = join(ROOT, 'bench-results');
const TABLE = 'phiguard-bench-ledger';

/** DynamoDB calls about guarded tables (the dynamodb-table-pitr rule's); every other is the registry's. */
const TABLE_RULE_OPERATIONS = new Set([
  'ListTables',
  'DescribeContinuousBackups',
  'UpdateContinuousBackups',
  'ListTagsOfResource',
  'DescribeTable',
]);
const isRegistry = (c: RecordedCall) => c.service === 'dynamodb' && !TABLE_RULE_OPERATIONS.has(c.operation);
const isWrite = (c: RecordedCall) => !isRegistry(c) && !isRead(c);

const lastJson = (stdout: string) => JSON.parse(stdout.trim().split('\n').at(-1) as string);

const moto = await startMotoServer();
const proxy = await startRecordingProxy(moto.endpoint);
const report: Record<string, unknown> = {
  date: new Date().toISOString(),
  machine: `${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}), ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
  buckets: BUCKETS,
};
try {
  const env: Record<string, string> = {
    ...emulatorEnv(proxy.endpoint, REGION),
    PHIGUARD_LEDGER_TABLE: TABLE,
    PHIGUARD_FLOW_LOGS_DESTINATION: 'arn:aws:s3:::bench-flow-logs',
    PHIGUARD_ACCESS_LOGS_BUCKET: 'bench-access-logs',
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    // `PHIGUARD_RULE_MODES=<rule>=off npm run bench` measures without a rule: figures stay
    // comparable across stops that add controls.
    ...(process.env.PHIGUARD_RULE_MODES ? { PHIGUARD_RULE_MODES: process.env.PHIGUARD_RULE_MODES } : {}),
  };
  Object.assign(process.env, emulatorEnv(moto.endpoint, REGION));
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const { localClients } = await import('../../local/clients');
  const { initLedgerTable } = await import('../../src/ledger/init-table');
  const { buildAccount } = await import('./account');
  const { bucketEvent } = await import('../../local/fixtures');
  const seed = await import('../../local/seed');

  process.stdout.write(
    `Building the account: ${BUCKETS} buckets, 20 ALBs, 20 VPCs, ${DATA_STORES} sets of data stores …\n`,
  );
  const seedStarted = performance.now();
  await initLedgerTable(new DynamoDBClient({}), TABLE);
  const direct = localClients(REGION);
  const account = await buildAccount(direct, REGION, BUCKETS, DATA_STORES);
  process.stdout.write(`  built in ${((performance.now() - seedStarted) / 1000).toFixed(1)} s\n`);

  // The emulator's ceiling: simple reads, a tight parallel client, through the same proxy.
  const viaProxy = localClients(REGION, { endpoint: proxy.endpoint }).s3();
  let reads = 0;
  const ceilingCpuBefore = processCpuSeconds(moto.pid);
  const until = performance.now() + 3000;
  await Promise.all(
    Array.from({ length: 32 }, async (_, w) => {
      while (performance.now() < until) {
        await viaProxy.send(
          new GetBucketAclCommand({
            Bucket: account.compliantBuckets[(w + reads) % account.compliantBuckets.length],
          }),
        );
        reads++;
      }
    }),
  );
  const ceiling = reads / 3;
  const ceilingCpuAfter = processCpuSeconds(moto.pid);
  const ceilingCpu =
    ceilingCpuBefore === undefined || ceilingCpuAfter === undefined
      ? undefined
      : (100 * (ceilingCpuAfter - ceilingCpuBefore)) / 3;
  report.emulatorReadsPerSecond = ceiling;
  report.emulatorCpuPercentAtCeiling = ceilingCpu;

  // Each type's listing call: a page of it names no resource (no subject on the wire).
  const LISTINGS: Record<string, string> = {
    'AWS::S3::Bucket': 'ListBuckets',
    'AWS::RDS::DBInstance': 'DescribeDBInstances',
    'AWS::RDS::DBCluster': 'DescribeDBClusters',
    'AWS::RDS::DBSnapshot': 'DescribeDBSnapshots',
    'AWS::RDS::DBClusterSnapshot': 'DescribeDBClusterSnapshots',
    'AWS::Redshift::Cluster': 'DescribeClusters',
    'AWS::DynamoDB::Table': 'ListTables',
    'AWS::EC2::Volume': 'DescribeVolumes',
    'AWS::EC2::Snapshot': 'DescribeSnapshots',
    'AWS::SQS::Queue': 'ListQueues',
    'AWS::SNS::Topic': 'ListTopics',
    'AWS::KMS::Key': 'ListKeys',
  };
  /** What a call about this resource names: its id, its own parameter group, its ARN. */
  const subjectsOf = (arn: string) => {
    const id = arn.split(/[:/]/).at(-1) as string;
    return [arn, id, `${id}-params`, `${id}-cluster-params`];
  };
  const compliantByType: Record<string, string[]> = {
    'AWS::S3::Bucket': account.compliantBuckets.map((b) => `arn:aws:s3:::${b}`),
    ...account.compliantStores,
  };
  const perTypeRows = (calls: RecordedCall[]) =>
    Object.entries(compliantByType).map(([type, arns]) => {
      const subjects = new Set(arns.flatMap(subjectsOf));
      const own = calls.filter((c) => c.subject !== undefined && subjects.has(c.subject)).length;
      const listing = calls.filter((c) => c.operation === LISTINGS[type] && c.subject === undefined).length;
      return [type, arns.length, listing, own / arns.length];
    });
  let perType: (string | number)[][] = [];

  const sweeps: (string | number)[][] = [];
  for (const mode of ['dry-run', 'apply'] as const) {
    proxy.reset();
    const motoCpuBefore = processCpuSeconds(moto.pid);
    const { stdout } = await runChild(process.execPath, ['--import', 'tsx', 'scripts/bench/sweep-child.ts'], {
      ...env,
      PHIGUARD_DRY_RUN: mode === 'dry-run' ? 'true' : 'false',
    });
    const motoCpuAfter = processCpuSeconds(moto.pid);
    const result = lastJson(stdout) as {
      wallMs: number;
      cpuMs: number;
      resources: number;
      maxRssMb: number;
      counts: Record<string, number>;
    };
    const guarded = proxy.calls.filter((c) => !isRegistry(c));
    const dynamo = proxy.calls.filter(isRegistry).length;
    const compliant = new Set(account.compliantBuckets);
    const compliantCalls =
      guarded.filter((c) => c.bucket && compliant.has(c.bucket)).length / account.compliantBuckets.length;
    const bound = (guarded.length + dynamo) / ceiling;
    const seconds = result.wallMs / 1000;
    // Busy share of one core over the sweep: the client's own process, and the emulator's.
    const clientCpu = (100 * result.cpuMs) / result.wallMs;
    const motoCpu =
      motoCpuBefore === undefined || motoCpuAfter === undefined
        ? undefined
        : (100 * (motoCpuAfter - motoCpuBefore)) / seconds;
    if (mode === 'dry-run') perType = perTypeRows(guarded);
    report[`perType-${mode}`] = perTypeRows(guarded);
    sweeps.push([
      mode,
      seconds,
      result.resources / seconds,
      guarded.length / result.resources,
      compliantCalls,
      dynamo,
      guarded.filter(isWrite).length,
      bound,
      seconds / bound,
      clientCpu,
      motoCpu ?? '-',
      result.maxRssMb,
    ]);
    report[`sweep-${mode}`] = {
      ...result,
      guardedCalls: guarded.length,
      dynamoCalls: dynamo,
      compliantCalls,
      boundSeconds: bound,
      clientCpuPercent: clientCpu,
      emulatorCpuPercent: motoCpu,
    };
  }

  process.stdout.write(
    `\nPHI Guard benchmark — ${BUCKETS} buckets, 20 ALBs, 20 VPCs, ${DATA_STORES} sets of data stores (${Object.values(account.compliantStores).flat().length} compliant, ${account.driftedStores} drifted); ${report.machine}; ${report.date}\n\n`,
  );
  process.stdout.write(
    `Emulator ceiling: ${ceiling.toFixed(0)} simple reads/s (32 parallel clients through the counting proxy${ceilingCpu === undefined ? '' : `; emulator at ${ceilingCpu.toFixed(0)}% of one core`})\n\n`,
  );
  process.stdout.write(
    `${table(
      [
        'sweep',
        'wall s',
        'resources/s',
        'API calls/resource',
        'calls/compliant bucket',
        'DynamoDB calls',
        'writes',
        'emulator bound s',
        'wall/bound',
        'client CPU %',
        'emulator CPU %',
        'peak RSS MB',
      ],
      sweeps,
    )}\n\n`,
  );
  process.stdout.write(
    `${table(
      [
        'resource type (dry-run sweep)',
        'compliant',
        'listing calls',
        'calls per compliant resource beyond listing',
      ],
      perType,
    )}\n`,
  );
  process.stdout.write(
    '  (AWS::Redshift::Cluster: the emulator answers require_ssl=false for every cluster, so none is compliant with\n   every rule there; the reads counted are the same.)\n\n',
  );

  // How fast the CLI starts (no emulator needed); a scan's first line is in the drift-share table.
  const { measureCliStart } = await import('./cli-start');
  const start = await measureCliStart();
  report.cliStart = start;
  process.stdout.write(
    `${table(
      ['CLI start (a new process; median of 5, code cache written)', 'ms', 'x bare node'],
      [
        ['node -e 0', start.bareNodeMs, 1],
        ['phiguard rules --json', start.rulesJsonMs, start.rulesJsonMs / start.bareNodeMs],
        ['phiguard --help', start.helpMs, start.helpMs / start.bareNodeMs],
      ],
    )}\n\n`,
  );

  if (!args['skip-drift-share']) {
    const driftShare = await runChild(
      process.execPath,
      ['--import', 'tsx', 'scripts/bench/drift-share.ts', '--buckets', String(BUCKETS)],
      {},
    );
    process.stdout.write(driftShare.stdout);
  }
  // PHI Guard and Cloud Custodian fixing the same account (skipped, saying why, without `custodian`).
  const custodian = await runChild(
    process.execPath,
    ['--import', 'tsx', 'scripts/bench/custodian.ts', '--buckets', String(Math.min(BUCKETS, 100))],
    process.env.PHIGUARD_BENCH_CUSTODIAN
      ? { PHIGUARD_BENCH_CUSTODIAN: process.env.PHIGUARD_BENCH_CUSTODIAN }
      : {},
  );
  process.stdout.write(custodian.stdout);

  // The organisation: member accounts swept with `scan --org`, each through its member role.
  const ORG_ACCOUNTS = Number(args['org-accounts']);
  const ORG_BUCKETS = Number(args['org-buckets']);
  if (ORG_ACCOUNTS > 0) {
    const { buildOrganisation, sweepOrganisation, ORG_RULES } = await import('./organisation');
    process.stdout.write(
      `Building the organisation: ${ORG_ACCOUNTS} member accounts × ${ORG_BUCKETS} buckets …\n`,
    );
    const org = await buildOrganisation(moto.endpoint, ORG_ACCOUNTS, ORG_BUCKETS);
    const swept = await sweepOrganisation(org, proxy, ceiling, env);
    report.organisation = { ...swept, rules: ORG_RULES };
    process.stdout.write(
      `${table(
        [
          'scan --org (dry-run, S3 rules)',
          'accounts',
          'buckets',
          's',
          'emulator bound s',
          'x bound',
          'AssumeRole per member',
          'ListAccounts',
          'findings',
        ],
        [
          [
            'management + members',
            swept.accounts,
            swept.buckets,
            swept.seconds,
            swept.boundSeconds,
            swept.seconds / swept.boundSeconds,
            swept.assumeRolePerMember,
            swept.listAccounts,
            swept.findings,
          ],
        ],
      )}\n\n`,
    );
  }

  if (!args['skip-bundles']) {
    const serverless = join(ROOT, '.serverless');
    rmSync(serverless, { recursive: true, force: true });
    execFileSync(join(ROOT, 'node_modules', '.bin', 'osls'), ['package', '--stage', 'bench'], {
      cwd: ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', AWS_CONFIG_FILE: '/nonexistent' },
      stdio: 'ignore',
    });
    const bundlesDir = join(OUT, 'bundles');
    rmSync(bundlesDir, { recursive: true, force: true });
    const handlerEnv: Record<string, string> = {
      ...env,
      PHIGUARD_LEDGER_TABLE: `${TABLE}-events`,
      POWERTOOLS_LOG_LEVEL: 'WARN',
      PHIGUARD_SWEEP_QUEUE_URL: `${proxy.endpoint}/123456789012/phiguard-bench-sweep`,
      // What the stack hands the heartbeat function (serverless.yml).
      PHIGUARD_STAGE: 'bench',
      // What the stack hands the coordinator (infra/stack-fragments): the rules' ids and types.
      PHIGUARD_SWEEP_RULES: (await import('../../src/sweep/catalogue')).catalogueJson(
        (await import('../../remediations')).rules,
      ),
    };
    const bundles: (string | number)[][] = [];
    const bundleReport: Record<string, unknown> = {};
    for (const zip of readdirSync(serverless).filter((f) => f.endsWith('.zip'))) {
      const name = zip.replace(/\.zip$/, '');
      const target = join(bundlesDir, name);
      mkdirSync(target, { recursive: true });
      execFileSync('python3', ['-m', 'zipfile', '-e', join(serverless, zip), target]);
      // handlers/<name>.mjs, or handlers/events/<source>.mjs for an event function.
      const file = (readdirSync(join(target, 'handlers'), { recursive: true }) as string[])
        .filter((entry) => entry.endsWith('.mjs'))
        .map((entry) => join(target, 'handlers', entry))[0] as string;
      const loads: number[] = [];
      for (let i = 0; i < 5; i++) {
        loads.push(
          lastJson(
            (await runChild(process.execPath, ['scripts/bench/handler-child.mjs', file, 'load'], handlerEnv))
              .stdout,
          ).loadMs,
        );
      }
      bundles.push([
        name,
        statSync(file).size / 1024,
        statSync(join(serverless, zip)).size / 1024,
        median(loads),
      ]);
      bundleReport[name] = {
        bytes: statSync(file).size,
        zipBytes: statSync(join(serverless, zip)).size,
        loadMs: median(loads),
      };
    }
    report.bundles = bundleReport;
    process.stdout.write(
      `${table(['bundle', 'KB (minified)', 'KB (zip)', 'module load ms (median of 5)'], bundles)}\n\n`,
    );

    // The event path with the bundled handler, as Lambda runs it, against a fresh emulator: moto's
    // TransactWriteItems deep-copies its whole DynamoDB state on every call, so the sweep's history
    // would otherwise slow every event.
    const eventMoto = await startMotoServer();
    const eventProxy = await startRecordingProxy(eventMoto.endpoint);
    Object.assign(process.env, emulatorEnv(eventMoto.endpoint, REGION));
    const eventClients = localClients(REGION);
    await initLedgerTable(new DynamoDBClient({}), `${TABLE}-events`);
    await seed.createCompliantBucket(eventClients.s3(), 'bench-warm');
    // The drifted buckets of the event path also lack access logging: its fix needs the
    // configured log bucket in this emulator too.
    await seed.createLogBucket(eventClients.s3(), 'bench-access-logs');
    Object.assign(handlerEnv, emulatorEnv(eventProxy.endpoint, REGION));
    // S3's event function: the one the benchmark's events are routed to.
    const handler = join(bundlesDir, eventFunctionName('s3'), 'handlers', 'events', 's3.mjs');
    const cold: number[] = [];
    const coldHandle: number[] = [];
    for (let i = 0; i < 5; i++) {
      const bucket = `bench-cold-${i}`;
      await seed.createPublicBucket(eventClients.s3(), bucket);
      const file = join(OUT, `cold-${i}.json`);
      writeFileSync(file, JSON.stringify([bucketEvent('s3/PutBucketAcl.public-read', bucket)]));
      const { stdout, ms } = await runChild(
        process.execPath,
        ['scripts/bench/handler-child.mjs', handler, 'cold', file],
        {
          ...handlerEnv,
          PHIGUARD_DRY_RUN: 'false',
        },
      );
      cold.push(ms);
      coldHandle.push(lastJson(stdout).latencies[0]);
      rmSync(file);
    }
    // Warm latency: one process handles every event, as a warm Lambda does.
    const warmRun = async (events: unknown[], extraEnv: Record<string, string>) => {
      const file = join(OUT, 'warm-events.json');
      writeFileSync(file, JSON.stringify(events));
      const { stdout } = await runChild(
        process.execPath,
        ['scripts/bench/handler-child.mjs', handler, 'warm', file],
        { ...handlerEnv, ...extraEnv },
      );
      rmSync(file);
      return lastJson(stdout) as { latencies: number[]; maxRssMb: number };
    };
    const warm = await warmRun(
      Array.from({ length: WARM_EVENTS }, () => bucketEvent('s3/PutBucketAcl.public-read', 'bench-warm')),
      { PHIGUARD_DRY_RUN: 'false' },
    );
    // Drift settles in a TransactWriteItems, and moto deep-copies the whole table on each
    // one: the drift run gets a table of its own, so it is not charged for the compliant
    // run's thousands of records (DynamoDB's transactions do not grow with the table).
    await initLedgerTable(new DynamoDBClient({}), `${TABLE}-drift`);
    const driftEvents = [];
    for (let i = 0; i < DRIFT_EVENTS; i++) {
      await seed.createPublicBucket(eventClients.s3(), `bench-warm-drift-${i}`);
      driftEvents.push(bucketEvent('s3/PutBucketAcl.public-read', `bench-warm-drift-${i}`));
    }
    const drift = await warmRun(driftEvents, {
      PHIGUARD_DRY_RUN: 'false',
      PHIGUARD_LEDGER_TABLE: `${TABLE}-drift`,
    });
    await eventProxy.close();
    await eventMoto.stop();
    report.eventPath = {
      coldProcessMs: median(cold),
      coldHandleMs: median(coldHandle),
      warmEvents: WARM_EVENTS,
      warmP50Ms: percentile(warm.latencies, 50),
      warmMinMs: Math.min(...warm.latencies),
      warmP99Ms: percentile(warm.latencies, 99),
      warmMaxRssMb: warm.maxRssMb,
      driftEvents: DRIFT_EVENTS,
      driftP50Ms: percentile(drift.latencies, 50),
      driftP99Ms: percentile(drift.latencies, 99),
    };
    process.stdout.write(
      `${table(
        ['event path (bundled S3 event function)', 'value'],
        [
          ['cold process, one PutBucketAcl fixed, start to exit (median of 5), ms', median(cold)],
          ['  of which handling the event, ms', median(coldHandle)],
          [`warm, compliant bucket: p50 over ${WARM_EVENTS} events, ms`, percentile(warm.latencies, 50)],
          ['warm, compliant bucket: p99, ms', percentile(warm.latencies, 99)],
          ['warm, compliant bucket: fastest event, ms', Math.min(...warm.latencies)],
          ['warm process peak RSS, MB', warm.maxRssMb],
          [`warm, drift fixed: p50 over ${DRIFT_EVENTS} events, ms`, percentile(drift.latencies, 50)],
          ['warm, drift fixed: p99, ms', percentile(drift.latencies, 99)],
        ],
      )}\n\n`,
    );
  }

  const ledger = await runChild(process.execPath, ['--import', 'tsx', 'scripts/bench/ledger-calls.ts'], {});
  process.stdout.write(
    ledger.stdout
      .split('\n')
      .filter((line) => !line.startsWith('Written'))
      .join('\n'),
  );
  if (!args['skip-reliability']) {
    // Its own emulator and proxy, after this one's work is done, so neither slows the other.
    const reliability = await runChild(
      process.execPath,
      ['--import', 'tsx', 'scripts/bench/reliability.ts'],
      {},
    );
    process.stdout.write(reliability.stdout);
  }
  mkdirSync(OUT, { recursive: true });
  const file = join(OUT, `bench-${BUCKETS}.json`);
  writeFileSync(file, `${JSON.stringify(report, null, 2)}\n`);
  process.stdout.write(
    `Written: ${file}${existsSync(join(OUT, 'ledger.json')) ? ' and bench-results/ledger.json' : ''}\n`,
  );
} finally {
  await proxy.close();
  await moto.stop();
}
