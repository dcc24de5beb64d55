import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The EventBridge-wrapped CloudTrail fixtures in `events/`, loaded by name
 * (`s3/PutBucketAcl.public-read`) and re-pointed at the resources of a local
 * account with structuredClone, so tests and the demo never edit the files.
 */
export const EVENTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', 'events');

export type FixtureEvent = {
  id: string;
  account: string;
  region: string;
  detail: {
    eventID: string;
    eventName: string;
    eventSource: string;
    awsRegion: string;
    recipientAccountId: string;
    errorCode?: string;
    userIdentity: Record<string, unknown>;
    requestParameters: Record<string, unknown> | null;
    responseElements: Record<string, unknown> | null;
    [key: string]: unknown;
  };
  [key: string]: unknown;
};

const cache = new Map<string, FixtureEvent>();

export function loadFixture(name: string): FixtureEvent {
  let event = cache.get(name);
  if (!event) {
    event = JSON.parse(readFileSync(join(EVENTS_DIR, `${name}.json`), 'utf8')) as FixtureEvent;
    cache.set(name, event);
  }
  // Every delivery gets its own ids and time, as EventBridge would give a new event
  // (time-to-fix is counted from eventTime).
  const copy = structuredClone(event);
  copy.id = randomUUID();
  copy.detail.eventID = randomUUID();
  const now = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  copy.time = now;
  copy.detail.eventTime = now;
  return copy;
}

/** The fixture, about `bucket`. */
export function bucketEvent(name: string, bucket: string): FixtureEvent {
  const event = loadFixture(name);
  const params = event.detail.requestParameters ?? {};
  params.bucketName = bucket;
  if ('Host' in params) params.Host = `${bucket}.s3.amazonaws.com`;
  event.detail.requestParameters = params;
  return event;
}

/** The fixture, in `region` of `account` (the emulator's account is 123456789012). */
export function inRegion<T extends FixtureEvent>(event: T, region: string): T {
  event.region = region;
  event.detail.awsRegion = region;
  return event;
}

/** A v2 listener fixture (CreateListener / ModifyListener), about this load balancer and listener. */
export function listenerEvent(name: string, loadBalancerArn: string, listenerArn: string): FixtureEvent {
  const event = loadFixture(name);
  const request = event.detail.requestParameters ?? {};
  if ('loadBalancerArn' in request) request.loadBalancerArn = loadBalancerArn;
  if ('listenerArn' in request) request.listenerArn = listenerArn;
  const listeners = (event.detail.responseElements?.listeners ?? []) as Record<string, unknown>[];
  for (const listener of listeners) {
    listener.loadBalancerArn = loadBalancerArn;
    listener.listenerArn = listenerArn;
  }
  return event;
}

/**
 * A load balancer fixture about the balancer of `arn` (v2 or Classic): its region,
 * and its ARN (v2) or name (Classic) wherever the record names it.
 */
export function loadBalancerEvent(name: string, arn: string): FixtureEvent {
  const event = inRegion(loadFixture(name), arn.split(':')[3] as string);
  const classicName = /:loadbalancer\/([^/]+)$/.exec(arn)?.[1];
  for (const part of [event.detail.requestParameters, event.detail.responseElements]) {
    if (!part) continue;
    if ('loadBalancerArn' in part) part.loadBalancerArn = arn;
    if (classicName && 'loadBalancerName' in part) part.loadBalancerName = classicName;
  }
  return event;
}

/** An SQS fixture about the queue of `arn`: its region, and its URL and name wherever the record names them. */
export function queueEvent(name: string, arn: string): FixtureEvent {
  const [, , , region, account, queue] = arn.split(':') as string[];
  const event = inRegion(loadFixture(name), region as string);
  const url = `https://sqs.${region}.amazonaws.com/${account}/${queue}`;
  for (const part of [event.detail.requestParameters, event.detail.responseElements]) {
    if (!part) continue;
    if ('queueUrl' in part) part.queueUrl = url;
    if ('queueName' in part) part.queueName = queue;
  }
  return event;
}

/** An SNS fixture about the topic of `arn`: its region, and its ARN and name wherever the record names them. */
export function topicEvent(name: string, arn: string): FixtureEvent {
  const event = inRegion(loadFixture(name), arn.split(':')[3] as string);
  for (const part of [event.detail.requestParameters, event.detail.responseElements]) {
    if (!part) continue;
    if ('topicArn' in part) part.topicArn = arn;
    if ('name' in part) part.name = arn.split(':')[5];
  }
  return event;
}

/** A Glacier fixture about the vault of `arn` (`arn:…:glacier:region:account:vaults/name`): its region and name. */
export function vaultEvent(name: string, arn: string): FixtureEvent {
  const [, , , region, account, resource] = arn.split(':');
  const event = inRegion(loadFixture(name), region as string);
  const vaultName = (resource as string).slice('vaults/'.length);
  event.detail.recipientAccountId = account as string;
  if (event.detail.requestParameters) event.detail.requestParameters.vaultName = vaultName;
  const response = event.detail.responseElements as { location?: string } | null;
  if (response?.location) response.location = `/${account}/vaults/${vaultName}`;
  return event;
}

/**
 * An EventBridge fixture about the rule of `arn` (`arn:…:events:region:account:rule/[bus/]name`):
 * its Region and account, the name where the record names it (`name` or `rule`), its bus.
 */
export function eventRuleEvent(name: string, arn: string): FixtureEvent {
  const [, , , region, account, resource] = arn.split(':');
  const event = inRegion(loadFixture(name), region as string);
  const parts = (resource as string).split('/').slice(1);
  const [ruleName, bus] = parts.length === 2 ? [parts[1], parts[0]] : [parts[0], undefined];
  event.detail.recipientAccountId = account as string;
  const request = event.detail.requestParameters as Record<string, unknown> | null;
  if (request) {
    if ('rule' in request) request.rule = ruleName;
    else request.name = ruleName;
    if (bus) request.eventBusName = bus;
    else delete request.eventBusName;
  }
  return event;
}

/** An EMR fixture about the cluster of `arn` (`arn:…:elasticmapreduce:region:account:cluster/j-…`). */
export function clusterEvent(name: string, arn: string): FixtureEvent {
  const [, , , region, account, resource] = arn.split(':');
  const event = inRegion(loadFixture(name), region as string);
  event.detail.recipientAccountId = account as string;
  const response = event.detail.responseElements as { jobFlowId?: string; clusterArn?: string } | null;
  if (response) {
    response.jobFlowId = (resource as string).slice('cluster/'.length);
    response.clusterArn = arn;
  }
  return event;
}

/** A KMS fixture about the key of `arn`: its region, and the key wherever the record names it. */
export function keyEvent(name: string, arn: string): FixtureEvent {
  const event = inRegion(loadFixture(name), arn.split(':')[3] as string);
  const keyId = arn.split('/').at(-1) as string;
  const detail = event.detail as FixtureEvent['detail'] & { resources?: { ARN: string }[] };
  for (const resource of detail.resources ?? []) resource.ARN = arn;
  const request = detail.requestParameters ?? {};
  if ('keyId' in request) request.keyId = keyId;
  const response = detail.responseElements ?? {};
  if ('keyId' in response) response.keyId = arn;
  const metadata = response.keyMetadata as Record<string, unknown> | undefined;
  if (metadata) Object.assign(metadata, { keyId, arn });
  return event;
}

/** A CloudTrail fixture about the trail of `arn`: its region, and the trail wherever the record names it. */
export function trailEvent(name: string, arn: string): FixtureEvent {
  const event = inRegion(loadFixture(name), arn.split(':')[3] as string);
  const trail = arn.split('/').at(-1) as string;
  const request = event.detail.requestParameters ?? {};
  if ('name' in request) request.name = String(request.name).startsWith('arn:') ? arn : trail;
  if ('trailName' in request) request.trailName = trail;
  const response = event.detail.responseElements ?? {};
  if ('trailARN' in response) response.trailARN = arn;
  if ('name' in response) response.name = trail;
  return event;
}

/** An API Gateway fixture about the stage of `arn`: its region, API id and stage name wherever the record names them. */
export function stageEvent(name: string, arn: string): FixtureEvent {
  const event = inRegion(loadFixture(name), arn.split(':')[3] as string);
  const [, , restApiId, , stageName] = (arn.split('::')[1] ?? '').split('/');
  const request = event.detail.requestParameters ?? {};
  request.restApiId = restApiId;
  if ('stageName' in request) request.stageName = stageName;
  const input = request.createStageInput as Record<string, unknown> | undefined;
  if (input) input.stageName = stageName;
  const response = event.detail.responseElements ?? {};
  if ('stageName' in response) response.stageName = stageName;
  return event;
}

/** Where each RDS ARN kind's identifier and ARN sit in RDS records. */
const RDS_FIELDS: Record<string, { id: string; arn: string }> = {
  db: { id: 'dBInstanceIdentifier', arn: 'dBInstanceArn' },
  cluster: { id: 'dBClusterIdentifier', arn: 'dBClusterArn' },
  snapshot: { id: 'dBSnapshotIdentifier', arn: 'dBSnapshotArn' },
  'cluster-snapshot': { id: 'dBClusterSnapshotIdentifier', arn: 'dBClusterSnapshotArn' },
};

/**
 * An RDS fixture (`rds/ModifyDBInstance.public`) about the resource of `arn`: its
 * region, and its identifier and ARN wherever the record names them.
 */
export function rdsEvent(name: string, arn: string): FixtureEvent {
  const [, , , region = '', , kind = '', id = ''] = arn.split(':');
  const fields = RDS_FIELDS[kind];
  if (!fields) throw new TypeError(`not an RDS instance, cluster or snapshot ARN: ${arn}`);
  const event = inRegion(loadFixture(name), region);
  const request = event.detail.requestParameters ?? {};
  const response = event.detail.responseElements ?? {};
  if (fields.id in request) request[fields.id] = id;
  if (fields.id in response) response[fields.id] = id;
  if (fields.arn in response) response[fields.arn] = arn;
  return event;
}
