/**
 * One sweep of the whole account in its own process (so its peak RSS is its
 * own), through the same Sweeper as the Lambda workers and `phiguard scan`.
 * Prints one JSON line: wall time, its own CPU time, resources, outcome counts, peak RSS.
 */
import { randomUUID } from 'node:crypto';
import { rules } from '../../remediations';
import { createClientPool } from '../../src/aws-clients';
import { loadConfig } from '../../src/config';
import { Engine } from '../../src/engine/engine';
import { createLedger } from '../../src/ledger/create-ledger';
import { planShards } from '../../src/sweep/shard';
import { Sweeper } from '../../src/sweep/sweeper';

const config = loadConfig(process.env, process.cwd(), rules);
const engine = new Engine({ rules, config, ledger: createLedger(config), clientsFor: createClientPool() });
const concurrency = Number(process.env.BENCH_CONCURRENCY ?? 32);
const sweeper = new Sweeper(engine, { concurrency });
const shards = planShards(rules, {
  runId: randomUUID(),
  accounts: ['123456789012'],
  regions: [process.env.AWS_REGION ?? 'us-east-1'],
});
const started = performance.now();
const cpuBefore = process.cpuUsage();
const results = await Promise.all(shards.map((shard) => sweeper.runShard(shard)));
const wallMs = performance.now() - started;
const cpu = process.cpuUsage(cpuBefore);
const cpuMs = (cpu.user + cpu.system) / 1000;
const outcomes = results.flatMap((r) => r.outcomes);
const counts: Record<string, number> = {};
for (const o of outcomes) counts[o.status] = (counts[o.status] ?? 0) + 1;
const resources = new Set(outcomes.map((o) => o.resource)).size;
process.stdout.write(
  `${JSON.stringify({ wallMs, cpuMs, resources, evaluations: outcomes.length, counts, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
);
