import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Real CloudTrail records captured in real accounts live beside the repository
 * in ../shared/cloudtrail-samples (read in place, never copied). Where that
 * folder is absent, tests that need it skip and say why.
 */
export const SAMPLES_DIR = join(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  '..',
  '..',
  'shared',
  'cloudtrail-samples',
);

export const samplesAvailable = existsSync(SAMPLES_DIR);

if (!samplesAvailable) {
  process.stdout.write(`[samples] ${SAMPLES_DIR} is absent: tests on real CloudTrail records are skipped\n`);
}

export interface Sample {
  file: string;
  json: unknown;
  eventSource: string;
  eventName: string;
}

export function loadSamples(): Sample[] {
  if (!samplesAvailable) return [];
  const samples: Sample[] = [];
  for (const service of readdirSync(SAMPLES_DIR, { withFileTypes: true })) {
    if (!service.isDirectory()) continue;
    for (const file of readdirSync(join(SAMPLES_DIR, service.name))) {
      if (!file.endsWith('.json')) continue;
      const json = JSON.parse(readFileSync(join(SAMPLES_DIR, service.name, file), 'utf8')) as Record<
        string,
        unknown
      >;
      const record = (json.detail ?? json) as { eventSource: string; eventName: string };
      samples.push({
        file: `${service.name}/${file}`,
        json,
        eventSource: record.eventSource,
        eventName: record.eventName,
      });
    }
  }
  return samples.sort((a, b) => a.file.localeCompare(b.file));
}
