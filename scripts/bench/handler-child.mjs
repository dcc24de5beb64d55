// Runs a bundled handler the way Lambda does: load the module, handle events, exit.
// argv: <bundle.mjs> <mode: load|cold|warm> <events.json>
import { readFileSync } from 'node:fs';

const [bundle, mode, eventsFile] = process.argv.slice(2);
const context = {
  functionName: 'bench',
  awsRequestId: 'bench',
  invokedFunctionArn: 'arn:aws:lambda:us-east-1:123456789012:function:bench',
  getRemainingTimeInMillis: () => 60_000,
};
const t0 = performance.now();
const module = await import(bundle);
const loadMs = performance.now() - t0;
if (mode === 'load') {
  process.stdout.write(`${JSON.stringify({ loadMs })}\n`);
} else {
  const events = JSON.parse(readFileSync(eventsFile, 'utf8'));
  const latencies = [];
  for (const event of events) {
    const start = performance.now();
    await module.handler(event, context);
    latencies.push(performance.now() - start);
  }
  process.stdout.write(
    `${JSON.stringify({ loadMs, latencies, maxRssMb: process.resourceUsage().maxRSS / 1024 })}\n`,
  );
}
