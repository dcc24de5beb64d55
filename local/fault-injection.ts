import type { InjectedFault, RecordedCall } from './recording-proxy';
import { isRead, throttlingFault } from './recording-proxy';

/**
 * Deterministic fault injection for the recording proxy: for chosen services, a
 * fraction of calls is answered with each protocol's real throttling or server
 * error, dropped before it reaches the emulator, or — for writes — forwarded and
 * its answer lost (the write happened; the client does not know). Seeded, so a
 * failing run reproduces. Used by the fault tests and the reliability benchmark.
 */
export interface FaultPlan {
  seed: number;
  /** Fraction (0–1) of each service's calls that fail: `{ s3: 0.2, dynamodb: 0.1 }`. */
  rates: Record<string, number>;
  /** How failures split; the rest of 1 are dropped connections. Default 0.75 throttling, 0.15 server errors. */
  throttling?: number;
  serverErrors?: number;
  /**
   * Services whose writes never lose an answer (their drops are all resets before the
   * service acted): the notification channels, which take no idempotency key, so a
   * lost answer is a message sent twice by any client.
   */
  answersKept?: readonly string[];
}

export interface FaultStats {
  throttled: number;
  serverErrors: number;
  resets: number;
  lostAnswers: number;
}

/** mulberry32: a small, good-enough seeded generator. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The 500 each protocol's SDK deserializer reads as a server error. */
export function serverErrorFault(call: RecordedCall): InjectedFault {
  if (call.service === 's3') {
    return {
      status: 500,
      contentType: 'application/xml',
      body: '<?xml version="1.0" encoding="UTF-8"?><Error><Code>InternalError</Code><Message>We encountered an internal error. Please try again.</Message><RequestId>proxy</RequestId></Error>',
    };
  }
  if (call.service === 'ec2') {
    return {
      status: 500,
      contentType: 'text/xml',
      body: '<Response><Errors><Error><Code>InternalError</Code><Message>An internal error has occurred.</Message></Error></Errors><RequestID>proxy</RequestID></Response>',
    };
  }
  if (call.protocol === 'query') {
    return {
      status: 500,
      contentType: 'text/xml',
      body: '<ErrorResponse><Error><Type>Receiver</Type><Code>InternalFailure</Code><Message>Internal failure</Message></Error><RequestId>proxy</RequestId></ErrorResponse>',
    };
  }
  if (call.protocol === 'rest') {
    return {
      status: 500,
      contentType: 'application/json',
      headers: { 'x-amzn-errortype': 'InternalServerErrorException' },
      body: JSON.stringify({ message: 'Internal server error' }),
    };
  }
  return {
    status: 500,
    contentType: 'application/x-amz-json-1.0',
    body: JSON.stringify({ __type: 'InternalServerError', message: 'Internal server error' }),
  };
}

/** DynamoDB throttles with its own error. */
function throttling(call: RecordedCall): InjectedFault {
  if (call.service === 'dynamodb') {
    return {
      status: 400,
      contentType: 'application/x-amz-json-1.0',
      body: JSON.stringify({
        __type: 'com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException',
        message: 'The level of configured provisioned throughput for the table was exceeded.',
      }),
    };
  }
  return throttlingFault(call);
}

/** The proxy's `fault` hook for the plan, and what it injected so far. */
export function faultInjector(plan: FaultPlan): {
  fault: (call: RecordedCall) => InjectedFault | undefined;
  stats: FaultStats;
} {
  const next = seededRandom(plan.seed);
  const throttlingShare = plan.throttling ?? 0.75;
  const serverShare = plan.serverErrors ?? 0.15;
  const stats: FaultStats = { throttled: 0, serverErrors: 0, resets: 0, lostAnswers: 0 };
  return {
    stats,
    fault(call) {
      const rate = plan.rates[call.service] ?? 0;
      if (rate <= 0 || next() >= rate) return undefined;
      const kind = next();
      if (kind < throttlingShare) {
        stats.throttled++;
        return throttling(call);
      }
      if (kind < throttlingShare + serverShare) {
        stats.serverErrors++;
        return serverErrorFault(call);
      }
      // A dropped connection: before the emulator saw it, or — half the writes — after
      // it acted, so the client never learns that its write happened.
      if (!isRead(call) && !plan.answersKept?.includes(call.service) && next() < 0.5) {
        stats.lostAnswers++;
        return { kind: 'lose-answer' };
      }
      stats.resets++;
      return { kind: 'reset' };
    },
  };
}
