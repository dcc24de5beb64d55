import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import { parseEvent } from '../cloudtrail-event';
import type { EventReport } from '../engine/engine';
import { InvalidEventError, PhiGuardError } from '../errors';
import { createStderrLogger } from '../logger';
import type { Outcome } from '../outcome';
import { EventFailedError, processEvent } from '../process-event';
import { createCliEngine, loadCliConfig, sayIfMemoryLedger } from './cli-engine';
import { formatReport } from './format-outcomes';

/** Input `phiguard invoke` cannot use: exit 2, one line. */
export class CliInputError extends PhiGuardError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CliInputError';
  }
}

export interface InvokeOptions {
  apply: boolean;
  json: boolean;
  verbose: boolean;
}

/**
 * Exit codes: 0 processed, 1 an outcome or the run failed, 2 the input (or a record
 * of it) is not a usable event. Every command's bad input exits 2 the same way.
 */
export const INVOKE_EXIT = { ok: 0, failed: 1, badInput: 2 } as const;

const sourceName = (source: string) => (source === '-' ? 'standard input' : source);

/** The file or standard input as text; a gzipped file (CloudTrail delivers `.json.gz` to S3) is unpacked. */
export function readEventText(source: string): string {
  let bytes: Buffer;
  try {
    bytes = readFileSync(source === '-' ? 0 : source);
  } catch (error) {
    throw new CliInputError(`cannot read ${sourceName(source)}: ${(error as Error).message}`, {
      cause: error,
    });
  }
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) {
    try {
      bytes = gunzipSync(bytes);
    } catch (error) {
      throw new CliInputError(`${sourceName(source)} is not a valid gzip file`, { cause: error });
    }
  }
  return bytes.toString('utf8');
}

export function parseJson(text: string, source: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new CliInputError(`${sourceName(source)} is not JSON: ${(error as Error).message}`, {
      cause: error,
    });
  }
}

/** A CloudTrail log file as delivered to S3: `{"Records": [...]}`. */
function logFileRecords(input: unknown): unknown[] | undefined {
  if (typeof input !== 'object' || input === null || Array.isArray(input)) return undefined;
  const records = (input as { Records?: unknown }).Records;
  return Array.isArray(records) ? records : undefined;
}

/**
 * `phiguard invoke`: one event (an EventBridge event or a bare record) through the
 * Lambda's code path, or a CloudTrail log file record by record (to replay a log
 * after an outage). A record that is not usable is named on stderr and skipped;
 * the others are processed. Returns the exit code.
 */
export async function runInvoke(source: string, options: InvokeOptions): Promise<number> {
  const input = parseJson(readEventText(source), source);
  const records = logFileRecords(input);
  // Reject what is not an event before anything is set up (or said about the set-up).
  if (!records) parseEvent(input);
  const config = loadCliConfig(options.apply);
  const engine = createCliEngine(config, options.verbose ? createStderrLogger() : undefined);

  const reports: EventReport[] = [];
  let failed: EventFailedError | undefined;
  let unusable = 0;
  for (const [index, record] of (records ?? [input]).entries()) {
    try {
      reports.push(await processEvent(engine, record));
    } catch (error) {
      if (error instanceof EventFailedError) {
        failed ??= error;
        reports.push(error.report);
      } else if (records && error instanceof InvalidEventError) {
        unusable++;
        process.stderr.write(
          `phiguard: record ${index + 1} of ${records.length} skipped: ${error.message}\n`,
        );
      } else {
        throw error;
      }
    }
  }
  const outcomes: Outcome[] = reports.flatMap((r) => r.outcomes);
  // The operator's own terminal: names redacted everywhere else are shown as they are.
  process.stdout.write(
    engine.names.reveal(
      `${options.json ? JSON.stringify(outcomes, null, 2) : reports.map(formatReport).join('\n\n')}\n`,
    ),
  );
  if (options.json) {
    for (const r of reports) if (r.skipped) process.stderr.write(`phiguard: skipped: ${r.skipped}\n`);
  }
  // After the input proved usable (a bad one got its one line of error): worth knowing,
  // since a redelivery in another run is not recognised as a duplicate.
  if (outcomes.length > 0) sayIfMemoryLedger(config);
  if (records) {
    process.stderr.write(
      `phiguard: ${records.length} record(s): ${records.length - unusable} processed, ${unusable} not usable\n`,
    );
  }
  if (failed) {
    process.stderr.write(`phiguard: ${failed.message.split('\n')[0]}\n`);
    return INVOKE_EXIT.failed;
  }
  return unusable > 0 ? INVOKE_EXIT.badInput : INVOKE_EXIT.ok;
}
