/**
 * The bound of scripts/bench/drift-share.ts: sends the calls listed in a file (as the
 * recording proxy saw them) through PHI Guard's own S3 client and options, `concurrency`
 * at once, and prints one JSON line with the loop's wall time (this process's start not
 * included). Reads only: anything else means the scan changed, and the bound must too.
 */
import { readFileSync } from 'node:fs';
import * as S3 from '@aws-sdk/client-s3';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { localClients } from '../../local/clients';
import { mapLimited } from '../../src/concurrency';

type Call = { service: string; operation: string; method: string; bucket?: string };
type Command = new (input: { Bucket?: string }) => unknown;

const [file, concurrency] = process.argv.slice(2) as [string, string];
const calls = JSON.parse(readFileSync(file, 'utf8')) as Call[];
const region = process.env.AWS_REGION ?? 'us-east-1';
const s3 = localClients(region).s3();
const sts = new STSClient({ region });
const sends = calls.map((call) => {
  if (call.service === 'sts' && call.operation === 'GetCallerIdentity')
    return () => sts.send(new GetCallerIdentityCommand({}));
  const command = (S3 as unknown as Record<string, Command | undefined>)[`${call.operation}Command`];
  if (call.service !== 's3' || command === undefined || call.method !== 'GET') {
    throw new Error(`the bound cannot replay ${call.service} ${call.method} ${call.operation}`);
  }
  return () =>
    s3.send(new command(call.bucket ? { Bucket: call.bucket } : {}) as never).catch((error: unknown) => {
      // An error answer (no policy, no encryption…) costs the emulator what the scan's did.
      if (!(error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode) throw error;
    });
});
const started = performance.now();
await mapLimited(sends, Number(concurrency), (send) => send());
process.stdout.write(`${JSON.stringify({ wallMs: performance.now() - started, calls: calls.length })}\n`);
