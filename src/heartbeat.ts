/**
 * The heartbeat: the end-to-end proof that events still arrive. Silence looks
 * exactly like compliance, whatever caused it: a stopped trail, a disabled or
 * deleted rule, a broken bus policy, a dead function.
 *
 * Every PHIGUARD_HEARTBEAT_MINUTES the heartbeat function makes one harmless,
 * recognisable write in each guarded account and Region: PutRule of PHI Guard's
 * heartbeat rule (`phiguard-<stage>-heartbeat`: disabled, a pattern nothing
 * matches, its description the time it was sent). Its CloudTrail record travels
 * the same path as any drift event (default bus → forwarding rule → organisation
 * bus → the EventBridge event function); the function recognises it, records its
 * arrival in the registry, logs the metric and remediates nothing. The heartbeat
 * function counts the (account, Region) pairs whose last heartbeat arrived more
 * than three intervals ago and emits that count; the stack's alarm fires on it
 * (and on its absence, which means the heartbeat function itself stopped).
 */
import type { PutRuleCommandInput } from '@aws-sdk/client-eventbridge';
import { REGION_NAME } from './arn';
import { accountOf, type CloudTrailRecord } from './cloudtrail-event';
import { heartbeatRuleName } from './own-event-rules';
import { stringField } from './record-fields';

export const DEFAULT_HEARTBEAT_MINUTES = 10;
/** An (account, Region) is missing once this many intervals pass without its heartbeat arriving. */
export const MISSED_INTERVALS = 3;
/** The log message the event function writes on an arrival (the stack counts it as a metric). */
export const HEARTBEAT_ARRIVED = 'heartbeat arrived';

const HEARTBEAT_RULE = /^phiguard-[A-Za-z0-9-]+-heartbeat$/;
const SENT_AT = /sent (\d{4}-\d{2}-\d{2}T[\d:.]+Z)$/;

export interface HeartbeatPlace {
  account: string;
  region: string;
}

/** What the registry remembers of one (account, Region). */
export interface HeartbeatRecord extends HeartbeatPlace {
  /** When the heartbeat function first wrote here: a place is not missing before 3 intervals from it. */
  firstSentAt?: string;
  lastSentAt?: string;
  /** When the last heartbeat's event reached PHI Guard. */
  arrivedAt?: string;
  /** When that heartbeat was sent (from its description): arrivedAt minus this is the path's delay. */
  arrivedSentAt?: string;
}

/** A heartbeat's arrival, when `record` is one (PutRule of a `phiguard-<stage>-heartbeat` rule). */
export function heartbeatOf(record: CloudTrailRecord): (HeartbeatPlace & { sentAt?: string }) | undefined {
  if (record.eventSource !== 'events.amazonaws.com' || record.eventName !== 'PutRule') return undefined;
  const name = stringField(record.requestParameters, 'name');
  const account = accountOf(record);
  const region = record.awsRegion;
  if (!name || !HEARTBEAT_RULE.test(name) || !account || !region || !REGION_NAME.test(region))
    return undefined;
  const sentAt = SENT_AT.exec(stringField(record.requestParameters, 'description') ?? '')?.[1];
  return { account: String(account), region, ...(sentAt ? { sentAt } : {}) };
}

/** The heartbeat write: the rule is disabled and its pattern matches nothing, so it never runs anything. */
export function heartbeatWrite(stage: string, now: Date): PutRuleCommandInput {
  return {
    Name: heartbeatRuleName(stage),
    State: 'DISABLED',
    EventPattern: JSON.stringify({ source: ['phiguard.heartbeat'] }),
    Description: `PHI Guard heartbeat, sent ${now.toISOString()}`,
  };
}

/**
 * The places whose heartbeat has not arrived for MISSED_INTERVALS intervals, or
 * never arrived although the first was sent that long ago. A place PHI Guard has
 * not written to yet is not judged (it gets its first heartbeat now).
 */
export function missingHeartbeats(
  places: readonly HeartbeatPlace[],
  records: readonly HeartbeatRecord[],
  now: Date,
  intervalMinutes: number,
): (HeartbeatPlace & { lastArrival?: string })[] {
  const limit = now.getTime() - MISSED_INTERVALS * intervalMinutes * 60_000;
  const byPlace = new Map(records.map((r) => [`${r.account}/${r.region}`, r]));
  return places.flatMap((place) => {
    const record = byPlace.get(`${place.account}/${place.region}`);
    const since = record?.arrivedAt ?? record?.firstSentAt;
    if (!since || Date.parse(since) > limit) return [];
    return [{ ...place, ...(record?.arrivedAt ? { lastArrival: record.arrivedAt } : {}) }];
  });
}
