import { existsSync, mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetBucketAclCommand } from '@aws-sdk/client-s3';
import puppeteer, { type Browser } from 'puppeteer-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { localClients } from '../../local/clients';
import { bucketEvent } from '../../local/fixtures';
import { emulatorEnv } from '../../local/moto-server';
import * as seed from '../../local/seed';
import { createLedger } from '../../src/ledger/create-ledger';
import { initLedgerTable } from '../../src/ledger/init-table';
import type { HistoryEntry } from '../../src/ledger/ledger';
import { processEvent } from '../../src/process-event';
import { runPhiguard } from '../support/cli';
import { testConfig } from '../support/config';
import { testEngine } from '../support/engine';
import { motoClients, motoEndpoint, REGION, uniqueName, useMoto } from '../support/moto';

/**
 * `phiguard report` as an auditor sees it: a registry in moto filled by real
 * events (a fix three minutes after its API call, an exempt bucket with its
 * owner's reason, a rule in ticket mode) plus older history written into the
 * registry as the engine writes it (a fix of three weeks ago, a fight); the CLI
 * writes the HTML, and headless Chromium renders it.
 */
const TABLE = uniqueName('phiguard-report-ledger');
const FIXED = uniqueName('phi-report-claims');
const EXEMPT = uniqueName('phi-report-press');
const LOGS = uniqueName('phi-report-logs');
const REASON = 'public press kit, approved by privacy office 2026-11';
const DAY = 86_400_000;
const dir = mkdtempSync(join(tmpdir(), 'phiguard-report-'));
let env: Record<string, string>;

/** Debian's chromium, or the browser named by CHROME_PATH; `.ci/run` installs it where missing. */
function chromiumPath(): string {
  const found = [process.env.CHROME_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].find(
    (p) => p && existsSync(p),
  );
  if (!found) throw new Error('no Chromium: apt-get install chromium (or set CHROME_PATH)');
  return found;
}

function oldEntry(overrides: Partial<HistoryEntry>): HistoryEntry {
  return {
    id: uniqueName('old').replace(/-/g, ''),
    rule: 's3-bucket-encryption',
    resource: `arn:aws:s3:::${uniqueName('phi-report-old')}`,
    status: 'remediated',
    safeguards: ['164.312(a)(2)(iv)'],
    time: new Date(Date.now() - 20 * DAY).toISOString(),
    dryRun: false,
    actions: [{ service: 's3', api: 'PutBucketEncryption', params: {} }],
    region: REGION,
    account: '123456789012',
    ...overrides,
  };
}

let browser: Browser;

beforeAll(async () => {
  useMoto();
  env = {
    ...emulatorEnv(motoEndpoint(), REGION),
    PHIGUARD_LEDGER_TABLE: TABLE,
    PHIGUARD_ACCESS_LOGS_BUCKET: LOGS,
    PHIGUARD_RULE_MODES: 's3-bucket-tls-only=ticket',
  };
  await initLedgerTable(new DynamoDBClient({}), TABLE);
  const s3 = motoClients().s3();
  await seed.createLogBucket(s3, LOGS);
  await seed.createPublicBucket(s3, FIXED);
  await seed.createPublicBucket(s3, EXEMPT);
  await seed.tagBucket(s3, EXEMPT, { 'phiguard:exempt': REASON });

  const config = testConfig(env);
  const ledger = createLedger(config);
  const engine = testEngine({ env, ledger });
  // The ACL was made public three minutes before PHI Guard heard of it.
  const late = bucketEvent('s3/PutBucketAcl.public-read', FIXED);
  late.detail.eventTime = new Date(Date.now() - 180_000).toISOString();
  await processEvent(engine, late);
  await processEvent(engine, bucketEvent('s3/PutBucketAcl.public-read', EXEMPT));
  // Three weeks ago: a fix two hours after its API call, and a fight.
  const fought = `arn:aws:s3:::${uniqueName('phi-report-fought')}`;
  await ledger.complete({
    owner: 'report-test',
    failed: false,
    releases: [],
    entries: [
      oldEntry({ eventTime: new Date(Date.now() - 20 * DAY - 2 * 3600_000).toISOString() }),
      oldEntry({
        rule: 's3-bucket-public-access',
        resource: fought,
        safeguards: ['164.312(a)(1)'],
        status: 'ticket',
        actions: [],
        fight: true,
        reason: 'remediated 3 times in the last 60 min: the drift keeps coming back',
      }),
    ],
  });
  browser = await puppeteer.launch({
    executablePath: chromiumPath(),
    args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
}, 120_000);

afterAll(async () => {
  await browser?.close();
});

describe('phiguard report', () => {
  it('renders in Chromium as an auditor reads it: figures, reasons, charts with their bars, nothing fetched', async () => {
    const out = join(dir, 'evidence.html');
    const run = await runPhiguard(['report', '--since', '30d', '--out', out], { env, cwd: dir });
    expect(run.stderr).toContain(`evidence report written to ${out}`);
    expect(run.code).toBe(0);

    const page = await browser.newPage();
    await page.setViewport({ width: 1200, height: 900 });
    const requested: string[] = [];
    page.on('request', (request) => {
      requested.push(request.url());
    });
    await page.goto(pathToFileURL(out).href, { waitUntil: 'load' });
    // Air-gapped: the file itself is the only thing loaded.
    expect(requested).toEqual([pathToFileURL(out).href]);
    // The text as rendered (CSS applied, hidden text left out): what a person reads.
    // biome-ignore lint/performance/useDomNodeTextContent: the rendered text is the point
    const text = await page.$eval('body', (body) => (body as unknown as { innerText: string }).innerText);
    expect(text).toContain('HIPAA Security Rule — technical safeguard evidence');
    for (const safeguard of [
      '164.308(a)(7)',
      '164.312(a)(1)',
      '164.312(a)(2)(iv)',
      '164.312(b)',
      '164.312(c)(1)',
      '164.312(e)(1)',
    ])
      expect(text).toContain(`§${safeguard}`);
    // The exempt bucket, with its owner's reason read from its tag.
    expect(text).toContain(`arn:aws:s3:::${EXEMPT}`);
    expect(text).toContain(REASON);

    const summary = await page.$$eval('table.summary tbody tr', (rows) =>
      rows.map((row) => ({
        id: row.getAttribute('data-safeguard'),
        cells: [...row.querySelectorAll('td')].map((td) => td.textContent?.trim() ?? ''),
      })),
    );
    const row = (id: string) => summary.find((r) => r.id === id)?.cells ?? [];
    // Access control: the bucket made public was fixed; the fight is counted.
    expect(row('164.312(a)(1)')[10]).toBe('1');
    expect(row('164.312(e)(1)')[8]).toMatch(/^[1-9]\d* \/ [1-9]\d*$/); // TLS-only in ticket mode: opened, still open

    const bars = await page.$$eval('figure.chart', (figures) =>
      figures.map((figure) =>
        [...figure.querySelectorAll('rect.bar')].map((rect) => ({
          week: rect.getAttribute('data-week'),
          safeguard: rect.getAttribute('data-safeguard'),
          bucket: rect.getAttribute('data-bucket'),
          count: Number(rect.getAttribute('data-count')),
          height: Number(rect.getAttribute('height')),
        })),
      ),
    );
    const [weekly = [], timeToFix = []] = bars;
    // Drifts per week: the bars add up to each safeguard's drifts in the summary table.
    for (const { id, cells } of summary) {
      const drawn = weekly.filter((b) => b.safeguard === id).reduce((n, b) => n + b.count, 0);
      expect(drawn, `§${id}`).toBe(Number(cells[4]));
    }
    // Three weeks ago there is one bar per safeguard drifted then: the old fix and the fight.
    const oldWeek = weekly.filter((b) => b.week && Date.parse(b.week) < Date.now() - 14 * DAY);
    expect(oldWeek.map((b) => [b.safeguard, b.count]).sort()).toEqual([
      ['164.312(a)(1)', 1],
      ['164.312(a)(2)(iv)', 1],
    ]);
    expect(weekly.every((b) => b.height > 0)).toBe(true);
    // Time to fix: today's fixes within 1–5 min of the API call, the old one 1–4 h.
    const byBucket = Object.fromEntries(timeToFix.map((b) => [b.bucket, b.count]));
    expect(byBucket['1–4 h']).toBe(1);
    expect(byBucket['1–5 min']).toBeGreaterThanOrEqual(1);
    expect(Object.keys(byBucket).sort()).toEqual(['1–4 h', '1–5 min']);

    const screenshot = join(dir, 'evidence.png');
    await page.screenshot({ path: screenshot, fullPage: true });
    expect(statSync(screenshot).size).toBeGreaterThan(10_000);
    // Prints to PDF with the print stylesheet.
    const pdf = await page.pdf({ format: 'A4', printBackground: true });
    expect(Buffer.from(pdf).subarray(0, 5).toString()).toBe('%PDF-');
    await page.close();
  }, 120_000);

  it('--scan: "compliant now" from a live dry-run scan, which changes nothing', async () => {
    const region = 'ap-northeast-3';
    const s3 = localClients(region).s3();
    const open = uniqueName('phi-report-scan-open');
    await seed.createPublicBucket(s3, open);
    const run = await runPhiguard(
      ['report', '--since', '7d', '--format', 'markdown', '--scan', '--region', region],
      { env, cwd: dir },
    );
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('(live dry-run scan)');
    const accessControl = /\| §164\.312\(a\)\(1\) Access control \| \d+ \| (\d+) \| ([^|]+) \|/.exec(
      run.stdout,
    );
    expect(Number(accessControl?.[1])).toBeGreaterThanOrEqual(1);
    expect(accessControl?.[2]?.trim()).not.toBe('100 %');
    // Dry: the bucket is as public as before.
    const acl = await s3.send(new GetBucketAclCommand({ Bucket: open }));
    expect(acl.Grants?.some((g) => g.Grantee?.URI?.endsWith('/global/AllUsers'))).toBe(true);
  }, 120_000);

  it('as markdown on stdout; refuses a bad period and a missing registry with one line', async () => {
    const markdown = await runPhiguard(['report', '--since', '4w', '--format', 'markdown'], {
      env,
      cwd: dir,
    });
    expect(markdown.code).toBe(0);
    expect(markdown.stdout).toContain('# HIPAA Security Rule — technical safeguard evidence');
    expect(markdown.stdout).toMatch(/\| §164\.312\(a\)\(1\) Access control \| \d+ \|/);
    expect(markdown.stdout).toContain(
      `| \`arn:aws:s3:::${EXEMPT}\` | \`s3-bucket-public-access\` | ${REASON} |`,
    );
    // Nothing PHI-bearing beyond the owner's reason: no tag other than it, no policy body.
    expect(markdown.stdout).not.toContain('"Statement"');

    const bad = await runPhiguard(['report', '--since', 'yesterday'], { env, cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe(
      'phiguard: ReportInputError: --since must be a number of days or weeks (90d, 12w) or a date (2026-09-01)\n',
    );
    const { PHIGUARD_LEDGER_TABLE: _table, ...noTable } = env;
    const missing = await runPhiguard(['report'], { env: noTable, cwd: dir });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(
      /^phiguard: ReportInputError: the report is made from the action registry/,
    );
    expect(readFileSync(join(dir, 'evidence.html'), 'utf8')).not.toContain('<script');
  }, 60_000);
});
