/**
 * `npm run bench:reliability` (and the last part of `npm run bench`): PHI Guard under
 * faults and bursts, against its own moto server behind the fault-injecting proxy
 * (local/fault-injection.ts, seeded). Figures printed and written to
 * bench-results/reliability.json, never asserted; the truth is read back from the
 * emulator directly, never taken from PHI Guard's own report.
 *
 * 1. Sweep under faults (issue 15's scenario): 80 buckets, 60 of them public;
 *    `phiguard scan --apply` run as a user runs it, without faults, then at 20 % on
 *    S3 and EC2 (75 % throttling, 15 % server errors, 10 % dropped connections, half
 *    of those after a write acted) for three seeds, then with 10 % on DynamoDB too.
 *    Per run: wall time, fixed by the first run, falsely reported remediated,
 *    writes applied twice, and whether a second run (no faults) converges.
 * 2. Events at 30 % faults: 20 public buckets, one event each through the engine,
 *    failed invocations retried the way Lambda retries an asynchronous event (twice).
 * 3. A burst: 2,000 events about 500 public buckets (several events per bucket, some
 *    delivered twice) through the engine at concurrency 50, the public-access rule on
 *    (see burst()); events/s, latency, each fix written once, every event marked
 *    completed, what a duplicate delivery costs.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { parseArgs } from 'node:util';
import { type AttributeValue, DynamoDBClient, ScanCommand } from '@aws-sdk/client-dynamodb';
import { isPublicAccessFixed } from '../../local/bucket-read-back';
import { localClients } from '../../local/clients';
import { type FaultPlan, type FaultStats, faultInjector } from '../../local/fault-injection';
import { bucketEvent, inRegion } from '../../local/fixtures';
import { emulatorEnv, type MotoServer, startMotoServer } from '../../local/moto-server';
import {
  type InjectedFault,
  type RecordedCall,
  type RecordingProxy,
  startRecordingProxy,
} from '../../local/recording-proxy';
import * as seed from '../../local/seed';
import { rules } from '../../remediations';
import { createClientPool } from '../../src/aws-clients';
import { mapLimited } from '../../src/concurrency';
import { loadConfig } from '../../src/config';
import { Engine } from '../../src/engine/engine';
import { createTableLedger } from '../../src/ledger/create-ledger';
import { initLedgerTable } from '../../src/ledger/init-table';
import type { Ledger } from '../../src/ledger/ledger';
import type { Outcome } from '../../src/outcome';
import { EventFailedError, processEvent } from '../../src/process-event';
import { percentile, table } from './format';
import { processCpuSeconds } from './process-cpu';
import { runChild } from './run-child';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { values: args } = parseArgs({
  options: {
    // The burst: buckets (four events each, one of them delivered twice) and events at once.
    'burst-buckets': { type: 'string', default: '500' },
    'burst-concurrency': { type: 'string', default: '50' },
    'skip-faults': { type: 'boolean', default: false },
  },
});
const ROOT = resolve(import.meta.dirname, '..', '..');
const OUT = join(ROOT, 'bench-results');
const HOME_REGION = 'us-east-1';
const FIX_WRITES = new Set(['PutBucketAcl', 'PutPublicAccessBlock']);

/** Fix writes that reached the emulator and succeeded there more than once, per (bucket, operation). */
function repeatedWrites(calls: readonly RecordedCall[], buckets: ReadonlySet<string>): number {
  const applied = new Map<string, number>();
  for (const c of calls) {
    if (!c.bucket || !buckets.has(c.bucket) || !FIX_WRITES.has(c.operation)) continue;
    if (c.status === undefined || c.status >= 300) continue;
    const key = `${c.bucket} ${c.operation}`;
    applied.set(key, (applied.get(key) ?? 0) + 1);
  }
  return [...applied.values()].reduce((sum, n) => sum + Math.max(0, n - 1), 0);
}

const noFaults = (): FaultStats => ({ throttled: 0, serverErrors: 0, resets: 0, lostAnswers: 0 });
const injectedCount = (s: FaultStats) => s.throttled + s.serverErrors + s.resets + s.lostAnswers;

interface Lab {
  moto: MotoServer;
  proxy: RecordingProxy;
  setFaults(plan: FaultPlan | undefined): FaultStats;
}

async function startLab(): Promise<Lab> {
  const moto = await startMotoServer();
  let fault: ((call: RecordedCall) => InjectedFault | undefined) | undefined;
  const proxy = await startRecordingProxy(moto.endpoint, { fault: (call) => fault?.(call) });
  return {
    moto,
    proxy,
    setFaults(plan) {
      if (!plan) {
        fault = undefined;
        return noFaults();
      }
      const injector = faultInjector(plan);
      fault = injector.fault;
      return injector.stats;
    },
  };
}

/** An engine in this process, every call through the proxy, configured as the Lambda is. */
function engineThroughProxy(
  lab: Lab,
  table: string,
  extraEnv: Record<string, string> = {},
): { engine: Engine; ledger: Ledger } {
  const env = {
    ...emulatorEnv(lab.proxy.endpoint, HOME_REGION),
    PHIGUARD_DRY_RUN: 'false',
    PHIGUARD_LEDGER_TABLE: table,
    ...extraEnv,
  };
  const config = loadConfig(env, '/nonexistent-config-dir', rules);
  const ledger = createTableLedger(
    table,
    config,
    new DynamoDBClient({ region: HOME_REGION, endpoint: lab.proxy.endpoint, maxAttempts: 4 }),
  );
  return {
    engine: new Engine({
      rules,
      config,
      ledger,
      clientsFor: createClientPool({ overrides: { endpoint: lab.proxy.endpoint } }),
    }),
    ledger,
  };
}

// ── 1. The sweep under faults ────────────────────────────────────────────────

interface SweepRun {
  label: string;
  seconds: number;
  exitCode: number;
  faults: number;
  fixedFirst: number;
  drifted: number;
  falselyRemediated: number;
  reportedError: number;
  /** Why the errors reported were errors (rule: reason), to see what a retry did not cure. */
  errorReasons: Record<string, number>;
  repeatedWrites: number;
  secondRunConverged: boolean;
}

async function sweepUnderFaults(lab: Lab, table: string): Promise<SweepRun[]> {
  const plans: { label: string; plan?: FaultPlan }[] = [
    { label: 'no faults' },
    ...[1, 2, 3].map((seedNumber) => ({
      label: `20 % S3/EC2, seed ${seedNumber}`,
      plan: { seed: seedNumber, rates: { s3: 0.2, ec2: 0.2 } },
    })),
    {
      label: '20 % S3/EC2 + 10 % DynamoDB',
      plan: { seed: 4, rates: { s3: 0.2, ec2: 0.2, dynamodb: 0.1 } },
    },
  ];
  const regions = ['eu-west-1', 'eu-west-2', 'eu-west-3', 'eu-north-1', 'eu-south-1'];
  const runs: SweepRun[] = [];
  for (const [i, { label, plan }] of plans.entries()) {
    const region = regions[i] as string;
    const s3 = localClients(region, { endpoint: lab.moto.endpoint }).s3();
    const drifted = Array.from({ length: 60 }, (_, n) => `rel-${i}-open-${n}`);
    const compliant = Array.from({ length: 20 }, (_, n) => `rel-${i}-ok-${n}`);
    await mapLimited(drifted, 8, (b) => seed.createOpenBucket(s3, b));
    await mapLimited(compliant, 8, (b) => seed.createCompliantBucket(s3, b));
    const env = {
      ...emulatorEnv(lab.proxy.endpoint, HOME_REGION),
      PHIGUARD_LEDGER_TABLE: table,
      PHIGUARD_DRY_RUN: 'false',
    };
    const args = ['bin/phiguard.js', 'scan', '--apply', '--region', region, '--format', 'json'];
    lab.proxy.reset();
    const stats = lab.setFaults(plan);
    const first = await runChild(process.execPath, args, env, [0, 1, 2]).catch((error: Error) => {
      throw new Error(`scan under "${label}" failed: ${error.message.slice(0, 500)}`);
    });
    lab.setFaults(undefined);
    const report = JSON.parse(first.stdout) as { outcomes: Outcome[] };
    const byBucket = new Map<string, Outcome[]>();
    for (const o of report.outcomes) {
      const bucket = o.resource.replace('arn:aws:s3:::', '');
      byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), o]);
    }
    let fixedFirst = 0;
    let falselyRemediated = 0;
    for (const bucket of drifted) {
      const fixed = await isPublicAccessFixed(s3, bucket);
      if (fixed) fixedFirst++;
      const said = byBucket.get(bucket)?.find((o) => o.rule === 's3-bucket-public-access');
      if (said?.status === 'remediated' && !fixed) falselyRemediated++;
    }
    const errors = report.outcomes.filter((o) => o.status === 'error').length;
    const errorReasons: Record<string, number> = {};
    for (const o of report.outcomes.filter((x) => x.status === 'error')) {
      const key = `${o.rule}: ${o.reason ?? ''}`;
      errorReasons[key] = (errorReasons[key] ?? 0) + 1;
    }
    await runChild(process.execPath, args, env, [0, 1, 2]);
    let converged = true;
    for (const bucket of drifted) converged &&= await isPublicAccessFixed(s3, bucket);
    runs.push({
      label,
      seconds: first.ms / 1000,
      exitCode: errors > 0 ? 1 : 0,
      faults: injectedCount(stats),
      fixedFirst,
      drifted: drifted.length,
      falselyRemediated,
      reportedError: errors,
      errorReasons,
      repeatedWrites: repeatedWrites(lab.proxy.calls, new Set(drifted)),
      secondRunConverged: converged,
    });
    process.stdout.write(`  ${label}: ${fixedFirst}/60 fixed in ${(first.ms / 1000).toFixed(1)} s\n`);
  }
  return runs;
}

// ── 2. Events at 30 % faults ─────────────────────────────────────────────────

/** Lambda's retries of an asynchronous event: the first attempt and two more, a back-off apart. */
const LAMBDA_ATTEMPTS = 3;

async function eventsUnderFaults(lab: Lab, table: string) {
  const region = 'ap-southeast-2';
  const s3 = localClients(region, { endpoint: lab.moto.endpoint }).s3();
  const buckets = Array.from({ length: 20 }, (_, n) => `rel-event-${n}`);
  for (const bucket of buckets) await seed.createOpenBucket(s3, bucket);
  const { engine, ledger } = engineThroughProxy(lab, table);
  lab.proxy.reset();
  const stats = lab.setFaults({ seed: 30, rates: { s3: 0.3, dynamodb: 0.3 } });
  let firstAttempt = 0;
  let afterRetry = 0;
  let deadLettered = 0;
  let attempts = 0;
  for (const bucket of buckets) {
    const event = inRegion(bucketEvent('s3/PutBucketAcl.public-read', bucket), region);
    for (let attempt = 1; attempt <= LAMBDA_ATTEMPTS; attempt++) {
      attempts++;
      try {
        await processEvent(engine, event);
        if (attempt === 1) firstAttempt++;
        else afterRetry++;
        break;
      } catch (error) {
        // Anything else thrown also fails the invocation: Lambda retries it the same way.
        if (!(error instanceof EventFailedError) && !(error instanceof Error)) throw error;
        if (attempt === LAMBDA_ATTEMPTS) deadLettered++;
        else await sleep(200);
      }
    }
  }
  lab.setFaults(undefined);
  let fixed = 0;
  let remediatedEntries = 0;
  for (const bucket of buckets) {
    if (await isPublicAccessFixed(s3, bucket)) fixed++;
    const history = await ledger.history({
      resource: `arn:aws:s3:::${bucket}`,
      rule: 's3-bucket-public-access',
    });
    remediatedEntries += history.filter((h) => h.status === 'remediated').length;
  }
  return {
    events: buckets.length,
    faults: injectedCount(stats),
    invocations: attempts,
    fixedFirstAttempt: firstAttempt,
    fixedAfterRetry: afterRetry,
    deadLettered,
    fixed,
    // Events neither fixed nor failed visibly: goal 0.
    lost: buckets.length - fixed - deadLettered,
    remediatedEntries,
    repeatedWrites: repeatedWrites(lab.proxy.calls, new Set(buckets)),
  };
}

// ── 3. A burst ───────────────────────────────────────────────────────────────

/** The registry's event markers by status, read straight from the emulator. */
async function markerCensus(endpoint: string, table: string): Promise<Record<string, number>> {
  const client = new DynamoDBClient({ region: HOME_REGION, endpoint });
  const census: Record<string, number> = {};
  let start: Record<string, AttributeValue> | undefined;
  do {
    const page = await client.send(
      new ScanCommand({
        TableName: table,
        ExclusiveStartKey: start,
        FilterExpression: 'begins_with(pk, :event)',
        ExpressionAttributeValues: { ':event': { S: 'EVENT#burst-' } },
        ProjectionExpression: '#status',
        ExpressionAttributeNames: { '#status': 'status' },
      }),
    );
    for (const item of page.Items ?? []) {
      const status = item.status?.S ?? 'none';
      census[status] = (census[status] ?? 0) + 1;
    }
    start = page.LastEvaluatedKey;
  } while (start);
  return census;
}

async function burst(table: string, options: { buckets: number; concurrency: number }) {
  // A fresh emulator: moto copies its DynamoDB state on every transaction, so a burst
  // after the sweeps above would be charged for their records.
  const lab = await startLab();
  try {
    Object.assign(process.env, emulatorEnv(lab.moto.endpoint, HOME_REGION));
    await initLedgerTable(new DynamoDBClient({ region: HOME_REGION, endpoint: lab.moto.endpoint }), table);
    const region = HOME_REGION;
    const s3 = localClients(region, { endpoint: lab.moto.endpoint }).s3();
    const buckets = Array.from({ length: options.buckets }, (_, n) => `rel-burst-${n}`);
    await mapLimited(buckets, 16, (b) => seed.createOpenBucket(s3, b));
    // Per bucket, what one IaC apply emits: an ACL, its public access block, versioning —
    // and one of them delivered twice (EventBridge delivers at least once).
    const names = [
      's3/PutBucketAcl.public-read',
      's3/PutBucketPublicAccessBlock.all-off',
      's3/PutBucketVersioning.suspended',
    ];
    const events: unknown[] = [];
    let duplicates = 0;
    buckets.forEach((bucket, n) => {
      const own = names.map((name, k) => {
        const event = bucketEvent(name, bucket);
        event.id = `burst-${n}-${k}`;
        event.detail.eventID = `burst-${n}-${k}`;
        return event;
      });
      events.push(...own, structuredClone(own[n % own.length]));
      duplicates++;
    });
    // Shuffled with a fixed seed, so the events of one bucket race each other.
    let state = 2000;
    const random = () => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state / 2 ** 31;
    };
    for (let i = events.length - 1; i > 0; i--) {
      const j = Math.floor(random() * (i + 1));
      [events[i], events[j]] = [events[j], events[i]];
    }
    // The public-access rule alone: every event records a history entry per rule, and
    // moto deep-copies the whole registry table on each of the burst's transactions (its
    // memory passed 17 GB with every S3 rule on); DynamoDB's cost does not grow so.
    const { engine } = engineThroughProxy(lab, table, {
      PHIGUARD_RULE_MODES: rules
        .filter((rule) => rule.id !== 's3-bucket-public-access')
        .map((rule) => `${rule.id}=off`)
        .join(','),
    });
    lab.proxy.reset();
    const motoCpuBefore = processCpuSeconds(lab.moto.pid);
    const latencies: number[] = [];
    let retried = 0;
    let failedForGood = 0;
    const failures: Record<string, number> = {};
    const started = performance.now();
    await mapLimited(events, options.concurrency, async (event) => {
      const t0 = performance.now();
      for (let attempt = 1; attempt <= LAMBDA_ATTEMPTS; attempt++) {
        try {
          await processEvent(engine, event);
          break;
        } catch (error) {
          const why =
            error instanceof EventFailedError
              ? [
                  ...new Set(error.report.outcomes.filter((o) => o.status === 'error').map((o) => o.reason)),
                ].join('; ')
              : `${(error as Error).name}: ${(error as Error).message}`.slice(0, 120);
          failures[why] = (failures[why] ?? 0) + 1;
          // A failed invocation (a claim another one holds, the registry's error) is retried, as Lambda does.
          if (attempt === LAMBDA_ATTEMPTS) failedForGood++;
          else {
            retried++;
            await sleep(500 * attempt);
          }
        }
      }
      latencies.push(performance.now() - t0);
    });
    const seconds = (performance.now() - started) / 1000;
    const motoCpuAfter = processCpuSeconds(lab.moto.pid);
    const emulatorCpuPercent =
      motoCpuBefore === undefined || motoCpuAfter === undefined
        ? undefined
        : (100 * (motoCpuAfter - motoCpuBefore)) / seconds;
    let compliant = 0;
    await mapLimited(buckets, 16, async (b) => {
      if (await isPublicAccessFixed(s3, b)) compliant++;
    });
    const fixWrites = lab.proxy.calls.filter(
      (c) => FIX_WRITES.has(c.operation) && c.status !== undefined && c.status < 300,
    ).length;
    // Every event's marker, read back: completed, so a later delivery is a duplicate.
    const markers = await markerCensus(lab.moto.endpoint, table);
    // A duplicate delivery, measured alone: every event again, one at a time.
    const again = events.slice(0, 50);
    lab.proxy.reset();
    for (const event of again) await processEvent(engine, event);
    const duplicateCalls = lab.proxy.calls.length / again.length;
    const duplicateGuardedCalls =
      lab.proxy.calls.filter((c) => c.service !== 'dynamodb').length / again.length;
    return {
      events: events.length,
      buckets: buckets.length,
      duplicatesDelivered: duplicates,
      concurrency: options.concurrency,
      seconds,
      eventsPerSecond: events.length / seconds,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      invocationsRetried: retried,
      failedAfterRetries: failedForGood,
      emulatorCpuPercent,
      markers,
      failures,
      compliant,
      fixWrites,
      fixWritesPerBucket: fixWrites / buckets.length,
      repeatedWrites: repeatedWrites(lab.proxy.calls, new Set(buckets)),
      callsPerDuplicateDelivery: duplicateCalls,
      guardedCallsPerDuplicateDelivery: duplicateGuardedCalls,
    };
  } finally {
    await lab.proxy.close();
    await lab.moto.stop();
  }
}

const TABLE = 'phiguard-reliability-ledger';
const BURST_BUCKETS = Number(args['burst-buckets']);
const started = performance.now();
const report: Record<string, unknown> = { date: new Date().toISOString() };
if (!args['skip-faults']) {
  const lab = await startLab();
  try {
    Object.assign(process.env, emulatorEnv(lab.moto.endpoint, HOME_REGION));
    await initLedgerTable(new DynamoDBClient({ region: HOME_REGION, endpoint: lab.moto.endpoint }), TABLE);
    process.stdout.write('Reliability: sweeps under faults (80 buckets, 60 public) …\n');
    report.sweeps = await sweepUnderFaults(lab, TABLE);
    process.stdout.write('Reliability: events at 30 % faults …\n');
    report.events = await eventsUnderFaults(lab, TABLE);
  } finally {
    await lab.proxy.close();
    await lab.moto.stop();
  }
}
process.stdout.write(`Reliability: a burst of ${BURST_BUCKETS * 4} events …\n`);
const b = await burst(`${TABLE}-burst`, {
  buckets: BURST_BUCKETS,
  concurrency: Number(args['burst-concurrency']),
});
report.burst = b;

const sweeps = (report.sweeps ?? []) as SweepRun[];
const clean = sweeps[0]?.seconds ?? Number.NaN;
if (sweeps.length > 0) {
  process.stdout.write(
    `\n${table(
      [
        'scan --apply, 80 buckets (60 public)',
        'faults injected',
        'fixed by 1st run',
        'wall s',
        'x fault-free',
        'errors reported',
        'falsely remediated',
        'writes repeated',
        '2nd run converged',
      ],
      sweeps.map((r) => [
        r.label,
        r.faults,
        `${r.fixedFirst}/${r.drifted}`,
        r.seconds,
        r.seconds / clean,
        r.reportedError,
        r.falselyRemediated,
        r.repeatedWrites,
        r.secondRunConverged ? 'yes' : 'NO',
      ]),
      1,
    )}\n\n`,
  );
}
const ev = report.events as Awaited<ReturnType<typeof eventsUnderFaults>> | undefined;
const rows: (string | number)[][] = [];
if (ev) {
  rows.push(
    [`events at 30 % faults (S3, DynamoDB): ${ev.events} events, faults injected`, ev.faults],
    [
      '  fixed on the first invocation / after Lambda retries',
      `${ev.fixedFirstAttempt} / ${ev.fixedAfterRetry}`,
    ],
    ['  dead-lettered after 3 invocations / lost', `${ev.deadLettered} / ${ev.lost}`],
    ['  remediated registry entries per fix', ev.remediatedEntries / Math.max(1, ev.fixed)],
    ['  writes repeated', ev.repeatedWrites],
  );
}
rows.push(
  [
    `burst: ${b.events} events, ${b.buckets} buckets, concurrency ${b.concurrency}: events/s`,
    b.eventsPerSecond,
  ],
  ['  latency p50 / p99, ms (retries included)', `${b.p50Ms.toFixed(0)} / ${b.p99Ms.toFixed(0)}`],
  [
    '  invocations failed and retried / failed after 3 (dead-lettered)',
    `${b.invocationsRetried} / ${b.failedAfterRetries}`,
  ],
  ['  buckets compliant after the burst', `${b.compliant}/${b.buckets}`],
  [
    '  fix writes per bucket (2 = each once) / writes repeated',
    `${b.fixWritesPerBucket.toFixed(2)} / ${b.repeatedWrites}`,
  ],
  ['  emulator busy during the burst, % of one core', b.emulatorCpuPercent ?? '-'],
  [
    '  event markers after the burst (completed / other)',
    `${b.markers.COMPLETED ?? 0} / ${Object.entries(b.markers)
      .filter(([k]) => k !== 'COMPLETED')
      .reduce((n, [, v]) => n + v, 0)}`,
  ],
  [
    '  a duplicate delivery: calls in all / to the guarded service',
    `${b.callsPerDuplicateDelivery.toFixed(2)} / ${b.guardedCallsPerDuplicateDelivery.toFixed(2)}`,
  ],
);
process.stdout.write(`${table(['events and bursts', 'value'], rows, 1)}\n`);
// Why the burst's failed invocations failed (outcome reasons, or the error's name and first words).
for (const [why, count] of Object.entries(b.failures)
  .sort((x, y) => y[1] - x[1])
  .slice(0, 3)) {
  process.stdout.write(`  ${count} × ${why.split('\n')[0]}\n`);
}
process.stdout.write('\n');
mkdirSync(OUT, { recursive: true });
writeFileSync(join(OUT, 'reliability.json'), `${JSON.stringify(report, null, 2)}\n`);
process.stdout.write(
  `Written: bench-results/reliability.json (${((performance.now() - started) / 1000).toFixed(0)} s)\n`,
);
