/**
 * `node --import tsx scripts/bench/drift-share.ts [--buckets N] [--rounds N]` (also part of
 * `npm run bench`): `phiguard scan` (dry-run, the S3 rules, as a person runs it: a new
 * process, in-memory registry) over accounts of N buckets of which 0 %, 50 % and 100 %
 * are fully drifted (public ACL and policy, no Block Public Access, encryption, TLS-only
 * statement, versioning or access logging), against the emulator's bound for that scan:
 * the very calls the scan made, recorded by the proxy, sent again by a bare loop through
 * the same SDK client and options at the scan's concurrency (16), in a process of its own
 * (scripts/bench/replay-child.ts). So the bound costs what
 * the scan's own reads cost the emulator (a GetBucketPolicy is not a GetBucketAcl), and
 * wall/bound is what PHI Guard adds: its process start, its engine, its output.
 *
 * Each account gets its own emulator and a first, uncounted scan. Then `--rounds` rounds
 * (default 5) each time a scan and the bound, in turns, and the median of the rounds'
 * ratios is reported with their range. Prints a table
 * and writes bench-results/drift-share.json. Figures are printed, never asserted.
 */
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { localClients } from '../../local/clients';
import { emulatorEnv, startMotoServer } from '../../local/moto-server';
import { type RecordedCall, startRecordingProxy } from '../../local/recording-proxy';
import * as seed from '../../local/seed';
import { mapLimited } from '../../src/concurrency';
import { median, table } from './format';
import { runChild, runScanChild } from './run-child';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
const { values: args } = parseArgs({
  options: {
    buckets: { type: 'string', default: '300' },
    rounds: { type: 'string', default: '5' },
  },
});
const BUCKETS = Number(args.buckets);
const ROUNDS = Number(args.rounds);
const REGION = 'us-east-1';
const ROOT = resolve(import.meta.dirname, '..', '..');
const SHARES = [0, 0.5, 1];
/** `phiguard scan`'s default `--concurrency`. */
const CONCURRENCY = 16;
const S3_RULES = [
  's3-bucket-public-access',
  's3-bucket-encryption',
  's3-bucket-tls-only',
  's3-bucket-versioning',
  's3-bucket-access-logging',
  's3-bucket-name-phi',
];
const LOG_BUCKET = 'bench-access-logs';

/**
 * Sends `calls` again from a process of its own (as the scan is one: on two cores, a
 * client sharing the proxy's event loop would be charged less CPU contention than the
 * scan is); returns the loop's wall time in ms, its process start not included.
 */
async function replay(calls: readonly RecordedCall[], endpoint: string): Promise<number> {
  const file = join(tmpdir(), `phiguard-bench-calls-${process.pid}.json`);
  writeFileSync(
    file,
    JSON.stringify(
      calls.map(({ service, operation, method, bucket }) => ({ service, operation, method, bucket })),
    ),
  );
  try {
    const { stdout } = await runChild(
      process.execPath,
      ['--import', 'tsx', 'scripts/bench/replay-child.ts', file, String(CONCURRENCY)],
      {
        ...emulatorEnv(endpoint, REGION),
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      },
    );
    return (JSON.parse(stdout.trim().split('\n').at(-1) as string) as { wallMs: number }).wallMs;
  } finally {
    rmSync(file, { force: true });
  }
}

export interface DriftShareRow {
  driftedPercent: number;
  buckets: number;
  scanSeconds: number;
  boundSeconds: number;
  /** The median of the rounds' scan/bound, and their range. */
  ratio: number;
  ratioRange: [number, number];
  callsPerBucket: number;
  findings: number;
  /** The scan's first byte of output (its registry notice on stderr), after its start. */
  firstLineSeconds: number;
}

async function measure(share: number): Promise<DriftShareRow> {
  const moto = await startMotoServer();
  const proxy = await startRecordingProxy(moto.endpoint);
  try {
    // The account is built directly against the emulator, not through the proxy.
    Object.assign(process.env, emulatorEnv(moto.endpoint, REGION));
    const s3 = localClients(REGION).s3();
    const drifted = Math.round(share * BUCKETS);
    await seed.createLogBucket(s3, LOG_BUCKET);
    await mapLimited(
      Array.from({ length: BUCKETS }, (_, i) => i),
      8,
      async (i) => {
        const name = `drift-${String(i).padStart(5, '0')}`;
        if (i < drifted) await seed.createPublicBucket(s3, name);
        else await seed.createCompliantBucket(s3, name);
      },
    );
    const { PHIGUARD_ACCOUNT_ID: _own, ...base } = emulatorEnv(proxy.endpoint, REGION);
    const env = {
      ...base,
      PHIGUARD_ACCESS_LOGS_BUCKET: LOG_BUCKET,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    let calls: RecordedCall[] = [];
    let findings = 0;
    const firstLines: number[] = [];
    const scan = async () => {
      proxy.reset();
      // Exit 2: findings remain, the expected answer wherever a bucket is drifted.
      const { stdout, ms, firstOutputMs } = await runScanChild(
        ['--region', REGION, ...S3_RULES.flatMap((r) => ['--rule', r])],
        env,
      );
      calls = [...proxy.calls];
      if (firstOutputMs !== undefined) firstLines.push(firstOutputMs);
      findings = (JSON.parse(stdout) as { outcomes: { status: string }[] }).outcomes.filter(
        (o) => o.status === 'would-remediate' || o.status === 'ticket',
      ).length;
      return ms;
    };
    // A first scan, not counted, warms the emulator (moto loads an API's code on its first
    // call) and records the calls the bound sends.
    await scan();
    firstLines.length = 0;
    const scans: number[] = [];
    const bounds: number[] = [];
    const ratios: number[] = [];
    for (let round = 0; round < ROUNDS; round++) {
      // Scan and bound in turns, the bound first every other round, each round compared on
      // its own: the emulator's pace drifts over a run by more than PHI Guard's overhead.
      if (round % 2 === 0) {
        scans.push(await scan());
        bounds.push(await replay(calls, proxy.endpoint));
      } else {
        bounds.push(await replay(calls, proxy.endpoint));
        scans.push(await scan());
      }
      ratios.push((scans.at(-1) as number) / (bounds.at(-1) as number));
    }
    return {
      driftedPercent: share * 100,
      buckets: BUCKETS + 1,
      scanSeconds: median(scans) / 1000,
      boundSeconds: median(bounds) / 1000,
      ratio: median(ratios),
      ratioRange: [Math.min(...ratios), Math.max(...ratios)],
      callsPerBucket: calls.length / (BUCKETS + 1),
      findings,
      firstLineSeconds: median(firstLines) / 1000,
    };
  } finally {
    await proxy.close();
    await moto.stop();
  }
}

const rows: DriftShareRow[] = [];
for (const share of SHARES) rows.push(await measure(share));
process.stdout.write(
  `\nphiguard scan (dry-run, ${S3_RULES.length} S3 rules, in-memory registry) against the emulator's bound for its own calls — ${BUCKETS} buckets + the log bucket; medians of ${ROUNDS} rounds after one uncounted scan; ${cpus().length} cores (${cpus()[0]?.model ?? 'unknown'}); ${new Date().toISOString()}\n\n`,
);
process.stdout.write(
  `${table(
    [
      'drifted %',
      'buckets',
      'scan s',
      'calls/bucket',
      'bound s (same calls, bare SDK loop, 16 at once)',
      'scan/bound (median)',
      'rounds from–to',
      'findings',
      'first line s',
    ],
    rows.map((r) => [
      r.driftedPercent,
      r.buckets,
      r.scanSeconds,
      r.callsPerBucket,
      r.boundSeconds,
      r.ratio,
      r.ratioRange.map((x) => x.toFixed(2)).join('–'),
      r.findings,
      r.firstLineSeconds,
    ]),
  )}\n\n`,
);
const out = join(ROOT, 'bench-results');
mkdirSync(out, { recursive: true });
writeFileSync(
  join(out, 'drift-share.json'),
  `${JSON.stringify({ date: new Date().toISOString(), rows }, null, 2)}\n`,
);
