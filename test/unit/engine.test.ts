import { describe, expect, it, vi } from 'vitest';
import { loadFixture } from '../../local/fixtures';
import { READ_BACK_ROUNDS } from '../../src/engine/decide';
import { InvalidEventError } from '../../src/errors';
import { MemoryLedger } from '../../src/ledger/memory-ledger';
import { MemoryNotificationPublisher } from '../../src/notify/queue-publisher';
import { EventFailedError, processEvent } from '../../src/process-event';
import { TAGS_READ } from '../../src/read-cache';
import { defineResourceType } from '../../src/resources/resource-type';
import { s3 } from '../../src/resources/s3/bucket';
import type { CheckResult, Rule, Settle } from '../../src/rule';
import { defineRule } from '../../src/rule';
import { asSelf, testEngine } from '../support/engine';

/**
 * The engine's rules of evidence and its check → plan → apply → read-back loop,
 * with an in-memory rule whose "resource" is a variable: every call is visible.
 */
function fakeRule(
  initial: { compliant: boolean; tags?: Record<string, string> },
  /** Another fake rule's resource, to look at the same one. */
  shared?: { compliant: boolean; tags: Record<string, string>; exists: boolean },
  options: { settle?: Settle; iamActions?: string[] } = {},
) {
  const state = shared ?? { compliant: initial.compliant, tags: initial.tags ?? {}, exists: true };
  const writes: string[] = [];
  const check = vi.fn(async (): Promise<CheckResult<{ compliant: boolean }>> => {
    if (!state.exists) return { state: 'gone' };
    return {
      state: state.compliant ? 'compliant' : 'non-compliant',
      findings: state.compliant ? [] : ['setting is off'],
      observed: { compliant: state.compliant },
      summary: { setting: state.compliant },
    };
  });
  const resource = defineResourceType({
    type: 'AWS::S3::Bucket',
    client: s3,
    permissions: { read: ['s3:ListAllMyBuckets'] },
    resourceIds: () => ['arn:aws:s3:::fake-bucket'],
    listPage: async () => ({ arns: ['arn:aws:s3:::fake-bucket'] }),
    tags: async () => state.tags,
    consoleUrl: () => undefined,
  });
  const rule = defineRule<{ compliant: boolean }>({
    id: 'fake-rule',
    title: 'A fake rule for engine tests',
    severity: 'high',
    safeguards: ['164.312(a)(1)'],
    fix: 'turn the setting on',
    resource,
    triggers: [{ source: 's3.amazonaws.com', events: ['PutBucketAcl'] }],
    permissions: { read: ['s3:GetBucketAcl'], write: ['s3:PutBucketAcl'] },
    check,
    plan: () => ({
      kind: 'fix',
      settle: options.settle,
      actions: [
        {
          service: 's3',
          api: 'PutBucketAcl',
          iamActions: options.iamActions ?? ['s3:PutBucketAcl'],
          params: { Bucket: 'fake-bucket' },
          run: async () => {
            writes.push('PutBucketAcl');
            state.compliant = true;
          },
        },
      ],
    }),
  });
  return { rule: rule as Rule, state, writes, check };
}

const event = () => loadFixture('s3/PutBucketAcl.public-read');

describe('engine', () => {
  it('an event whose settlement the registry refused fails, and its immediate retry runs again instead of being taken for a duplicate in progress', async () => {
    const fake = fakeRule({ compliant: false });
    // The registry's lock (30 s) outlasts the retry: without forgetting the marker the
    // retry would be "being processed by another delivery" and the event dropped.
    const ledger = new MemoryLedger({ lockSeconds: 30 });
    const complete = ledger.complete.bind(ledger);
    let refusals = 1;
    vi.spyOn(ledger, 'complete').mockImplementation(async (settlement) => {
      if (refusals-- > 0)
        throw Object.assign(new Error('registry unavailable'), { name: 'InternalServerError' });
      return complete(settlement);
    });
    const engine = testEngine({ rules: [fake.rule], ledger });
    const same = event();
    await expect(processEvent(engine, same)).rejects.toThrow('registry unavailable');
    expect(fake.writes).toEqual(['PutBucketAcl']);
    // The retry: the fix landed, so it reads compliant, and the event completes this time.
    const retried = await processEvent(engine, same);
    expect(retried.outcomes.map((o) => o.status)).toEqual(['compliant']);
    expect((await processEvent(engine, same)).outcomes.map((o) => o.status)).toEqual(['duplicate']);
    expect(fake.writes).toEqual(['PutBucketAcl']);
  });

  it('an event that meets a claim another live invocation still holds fails (so Lambda retries it), writing nothing', async () => {
    const fake = fakeRule({ compliant: false });
    const engine = testEngine({ rules: [fake.rule], env: { PHIGUARD_LOCK_SECONDS: '1' } });
    // Someone else holds the claim and keeps it (a long fix under way).
    const holder = setInterval(
      () => void engine.ledger.claim('fake-rule', 'arn:aws:s3:::fake-bucket', 'other'),
      200,
    );
    await engine.ledger.claim('fake-rule', 'arn:aws:s3:::fake-bucket', 'other');
    try {
      const failed = await processEvent(engine, event()).then(
        () => undefined,
        (error: unknown) => error,
      );
      expect(failed).toBeInstanceOf(EventFailedError);
      expect((failed as EventFailedError).report.outcomes).toMatchObject([
        { status: 'error', reason: expect.stringMatching(/^another invocation still holds the claim/) },
      ]);
      expect(fake.writes).toEqual([]);
    } finally {
      clearInterval(holder);
    }
  });

  it('the same event planned in dry-run still acts in apply (each mode marks its deliveries apart), once', async () => {
    const fake = fakeRule({ compliant: false });
    const ledger = new MemoryLedger(testEngine().config.ledger);
    const same = event();
    const planned = await processEvent(testEngine({ rules: [fake.rule], dryRun: true, ledger }), same);
    expect(planned.outcomes.map((o) => o.status)).toEqual(['would-remediate']);
    const apply = testEngine({ rules: [fake.rule], ledger });
    expect((await processEvent(apply, same)).outcomes.map((o) => o.status)).toEqual(['remediated']);
    expect((await processEvent(apply, same)).outcomes.map((o) => o.status)).toEqual(['duplicate']);
    expect(fake.writes).toEqual(['PutBucketAcl']);
  });

  it('a finding fixed by someone else is resolved: the compliant outcome closes it and is announced', async () => {
    const fake = fakeRule({ compliant: false });
    const ledger = new MemoryLedger(testEngine().config.ledger);
    const publisher = new MemoryNotificationPublisher();
    const dry = testEngine({ rules: [fake.rule], dryRun: true, ledger, publisher });
    expect((await processEvent(dry, event())).outcomes.map((o) => o.status)).toEqual(['would-remediate']);
    // A person fixes it; the next event finds it compliant.
    fake.state.compliant = true;
    const [closed] = (await processEvent(dry, event())).outcomes;
    expect(closed).toMatchObject({ status: 'compliant', findingClosed: true });
    expect(publisher.published.map((n) => n.kind)).toEqual(['would-remediate', 'resolved']);
    // Once closed, a compliant resource is quiet again.
    const [quiet] = (await processEvent(dry, event())).outcomes;
    expect(quiet?.findingClosed).toBeUndefined();
    expect(publisher.published).toHaveLength(2);
    expect(fake.writes).toEqual([]);
  });

  it('remediates drift and confirms it by reading the resource back', async () => {
    const fake = fakeRule({ compliant: false });
    const report = await processEvent(testEngine({ rules: [fake.rule] }), event());
    expect(report.outcomes).toMatchObject([
      {
        rule: 'fake-rule',
        resource: 'arn:aws:s3:::fake-bucket',
        status: 'remediated',
        before: { setting: false },
        after: { setting: true },
        actor: 'arn:aws:sts::123456789012:assumed-role/DataEngineer/alice',
        actions: [{ service: 's3', api: 'PutBucketAcl', params: { Bucket: 'fake-bucket' } }],
      },
    ]);
    expect(fake.writes).toEqual(['PutBucketAcl']);
    // Read once before the claim (nobody touched it since, so that read stands) and once to confirm.
    expect(fake.check).toHaveBeenCalledTimes(2);
  });

  it('reads again under the claim when another invocation settled the resource after the first read', async () => {
    const fake = fakeRule({ compliant: false });
    const ledger = new MemoryLedger();
    const claim = ledger.claim.bind(ledger);
    // Between this event's read and its claim, another invocation fixes the resource and releases.
    ledger.claim = async (rule, resource, owner) => {
      await claim(rule, resource, 'other-invocation');
      fake.state.compliant = true;
      await ledger.complete({
        owner: 'other-invocation',
        failed: false,
        entries: [],
        releases: [
          {
            rule,
            resource,
            owner: 'other-invocation',
            status: 'remediated',
            remediated: true,
            recentRemediations: [],
          },
        ],
      });
      ledger.claim = claim;
      return claim(rule, resource, owner);
    };
    const report = await processEvent(testEngine({ rules: [fake.rule], ledger }), event());
    expect(report.outcomes[0]).toMatchObject({ status: 'compliant' });
    expect(fake.writes).toEqual([]);
    expect(fake.check).toHaveBeenCalledTimes(2);
  });

  it('a later rule of the same resource reads again after an earlier rule changed it', async () => {
    const first = fakeRule({ compliant: false });
    // The second rule looks at the same setting of the same resource: the first fix fixes it too.
    const second = fakeRule({ compliant: false }, first.state);
    const later = { ...second.rule, id: 'fake-rule-two' } as Rule;
    const report = await processEvent(testEngine({ rules: [first.rule, later] }), event());
    expect(report.outcomes.map((o) => [o.rule, o.status])).toEqual([
      ['fake-rule', 'remediated'],
      ['fake-rule-two', 'compliant'],
    ]);
    expect(first.writes).toEqual(['PutBucketAcl']);
    expect(second.writes).toEqual([]);
  });

  it('reads again under a claim taken over from an invocation that died holding it', async () => {
    const fake = fakeRule({ compliant: false });
    let now = 1_000_000;
    const ledger = new MemoryLedger({ lockSeconds: 30 }, () => now);
    await ledger.claim('fake-rule', 'arn:aws:s3:::fake-bucket', 'died-mid-fix');
    fake.state.compliant = true; // it had fixed the resource, then crashed before releasing
    now += 31;
    const read = fake.check.getMockImplementation();
    fake.check.mockImplementationOnce(async () => {
      // The first read predates the dead invocation's fix.
      fake.state.compliant = false;
      const stale = await read?.();
      fake.state.compliant = true;
      return stale as Awaited<ReturnType<typeof fake.check>>;
    });
    const report = await processEvent(testEngine({ rules: [fake.rule], ledger }), event());
    expect(report.outcomes[0]).toMatchObject({ status: 'compliant' });
    expect(fake.writes).toEqual([]);
  });

  it('in dry-run reports the plan and writes nothing', async () => {
    const fake = fakeRule({ compliant: false });
    const report = await processEvent(testEngine({ rules: [fake.rule], dryRun: true }), event());
    expect(report.outcomes[0]).toMatchObject({
      status: 'would-remediate',
      dryRun: true,
      actions: [{ api: 'PutBucketAcl' }],
    });
    expect(fake.writes).toEqual([]);
  });

  it('leaves a compliant resource alone', async () => {
    const fake = fakeRule({ compliant: true });
    const report = await processEvent(testEngine({ rules: [fake.rule] }), event());
    expect(report.outcomes[0]?.status).toBe('compliant');
    expect(fake.writes).toEqual([]);
  });

  it('reports an exempt resource and never changes it; an empty tag value does not exempt', async () => {
    const exempt = fakeRule({ compliant: false, tags: { 'phiguard:exempt': 'public website' } });
    const report = await processEvent(testEngine({ rules: [exempt.rule] }), event());
    expect(report.outcomes[0]).toMatchObject({ status: 'exempt', reason: 'tagged phiguard:exempt' });
    expect(JSON.stringify(report)).not.toContain('public website');
    expect(exempt.writes).toEqual([]);

    const blank = fakeRule({ compliant: false, tags: { 'phiguard:exempt': ' ' } });
    await processEvent(testEngine({ rules: [blank.rule] }), event());
    expect(blank.writes).toEqual(['PutBucketAcl']);
  });

  it('ignores failed calls and PHI Guard’s own calls without reading anything', async () => {
    const fake = fakeRule({ compliant: false });
    const failed = event();
    failed.detail.errorCode = 'AccessDenied';
    const engine = testEngine({
      rules: [fake.rule],
      env: { PHIGUARD_SELF_PRINCIPALS: 'phiguard-dev-us-east-1-on-event' },
    });
    const a = await processEvent(engine, failed);
    const b = await processEvent(engine, asSelf(event()));
    expect(a.outcomes).toMatchObject([
      { status: 'ignored', reason: expect.stringContaining('errorCode AccessDenied') },
    ]);
    expect(b.outcomes).toMatchObject([
      { status: 'ignored', reason: expect.stringContaining('PHI Guard itself') },
    ]);
    expect(fake.check).not.toHaveBeenCalled();
    expect(fake.writes).toEqual([]);
  });

  it('skips events no rule listens to', async () => {
    const fake = fakeRule({ compliant: false });
    const other = event();
    other.detail.eventName = 'GetObject';
    const report = await processEvent(testEngine({ rules: [fake.rule] }), other);
    expect(report).toMatchObject({ skipped: 'no rule listens to s3.amazonaws.com GetObject', outcomes: [] });
    expect(fake.check).not.toHaveBeenCalled();
  });

  it.each([
    ['off', 'ignored'],
    ['ticket', 'ticket'],
    ['notify', 'non-compliant'],
  ])('in mode %s reports %s and writes nothing', async (mode, status) => {
    const fake = fakeRule({ compliant: false });
    const engine = testEngine({ rules: [fake.rule], env: { PHIGUARD_RULE_MODES: `fake-rule=${mode}` } });
    const report = await processEvent(engine, event());
    expect(report.outcomes[0]?.status).toBe(status);
    expect(fake.writes).toEqual([]);
  });

  it('reports a vanished resource as gone', async () => {
    const fake = fakeRule({ compliant: false });
    fake.state.exists = false;
    const report = await processEvent(testEngine({ rules: [fake.rule] }), event());
    expect(report.outcomes[0]).toMatchObject({ status: 'gone' });
  });

  it('reads again under the claim when the first read fails, and acts on what it reads there', async () => {
    const fake = fakeRule({ compliant: false });
    fake.check.mockRejectedValueOnce(Object.assign(new Error('slow down'), { name: 'SlowDown' }));
    const report = await processEvent(testEngine({ rules: [fake.rule] }), event());
    expect(report.outcomes[0]).toMatchObject({ status: 'remediated' });
    expect(fake.writes).toEqual(['PutBucketAcl']);
  });

  it('turns a failed read into an error outcome, and the event into a retryable failure', async () => {
    const fake = fakeRule({ compliant: false });
    fake.check.mockRejectedValue(
      Object.assign(new Error('denied'), { name: 'AccessDenied', $metadata: { httpStatusCode: 403 } }),
    );
    const failure = await processEvent(testEngine({ rules: [fake.rule] }), event()).catch((e) => e);
    expect(failure).toBeInstanceOf(EventFailedError);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: 'reading live state failed: AccessDenied (HTTP 403)',
    });
    expect(fake.writes).toEqual([]);
  });

  it('reports error when the fix does not stick', async () => {
    const fake = fakeRule({ compliant: false });
    fake.check.mockImplementation(async () => ({
      state: 'non-compliant',
      findings: ['setting is off'],
      observed: { compliant: false },
      summary: { setting: false },
    }));
    const failure = await processEvent(testEngine({ rules: [fake.rule] }), event()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: 'fix applied but resource is still non-compliant: setting is off',
    });
  });

  it('rejects input that is not an event, before any rule runs', async () => {
    const fake = fakeRule({ compliant: false });
    await expect(processEvent(testEngine({ rules: [fake.rule] }), { hello: 'world' })).rejects.toThrow(
      InvalidEventError,
    );
    expect(fake.check).not.toHaveBeenCalled();
  });

  it('announces an unchanged finding once per reminder window, but records every evaluation', async () => {
    const fake = fakeRule({ compliant: false });
    const ledger = new MemoryLedger();
    const publisher = new MemoryNotificationPublisher();
    const engine = testEngine({
      rules: [fake.rule],
      ledger,
      publisher,
      env: { PHIGUARD_RULE_MODES: 'fake-rule=ticket' },
    });
    const first = await processEvent(engine, event());
    const second = await processEvent(engine, event());
    expect(first.outcomes[0]).toMatchObject({ status: 'ticket' });
    expect(first.outcomes[0]?.repeat).toBeUndefined();
    expect(second.outcomes[0]).toMatchObject({ status: 'ticket', repeat: true });
    expect(publisher.published.map((n) => n.kind)).toEqual(['needs-person']);
    expect((await ledger.history({})).map((h) => h.status)).toEqual(['ticket', 'ticket']);

    // A change of status is news again.
    const apply = testEngine({ rules: [fake.rule], ledger, publisher });
    expect((await processEvent(apply, event())).outcomes[0]?.status).toBe('remediated');
    expect(publisher.published.map((n) => n.kind)).toEqual(['needs-person', 'remediated']);
  });

  it('an event about a resource re-evaluates every rule of its type, in registry order, not only the rules listening', async () => {
    const listening = fakeRule({ compliant: true });
    const other = fakeRule({ compliant: false });
    // Same resource type, but it listens to another event only.
    const quiet = {
      ...other.rule,
      id: 'fake-rule-quiet',
      resource: listening.rule.resource,
      triggers: [{ source: 's3.amazonaws.com', events: ['PutBucketPolicy'] }],
    } as Rule;
    const off = { ...quiet, id: 'fake-rule-off' } as Rule;
    const engine = testEngine({
      rules: [quiet, listening.rule, off],
      env: { PHIGUARD_RULE_MODES: 'fake-rule-off=off' },
    });
    const report = await processEvent(engine, event());
    // The quiet rule's drift is fixed by an event it does not listen to; a rule that is off is not run.
    expect(report.outcomes.map((o) => `${o.rule}:${o.status}`)).toEqual([
      'fake-rule-quiet:remediated',
      'fake-rule:compliant',
    ]);
    expect(other.writes).toEqual(['PutBucketAcl']);
  });

  it('a fix that changes what a later rule of the resource judges: that rule reads again and acts on it', async () => {
    const first = fakeRule({ compliant: false });
    const later = fakeRule({ compliant: true });
    // The first rule's fix leaves the resource drifted for the later rule (as cancelling a
    // key's deletion leaves the key disabled).
    const plan = first.rule.plan;
    (first.rule as { plan: Rule['plan'] }).plan = (arn, observed, ctx) => {
      const planned = plan(arn, observed, ctx);
      if (planned.kind !== 'fix') return planned;
      const [action] = planned.actions;
      return {
        ...planned,
        actions: [
          {
            ...(action as NonNullable<typeof action>),
            run: async (c) => {
              await action?.run(c);
              later.state.compliant = false;
            },
          },
        ],
      };
    };
    const laterRule = { ...later.rule, id: 'fake-rule-later', resource: first.rule.resource } as Rule;
    const report = await processEvent(testEngine({ rules: [first.rule, laterRule] }), event());
    expect(report.outcomes.map((o) => `${o.rule}:${o.status}`)).toEqual([
      'fake-rule:remediated',
      'fake-rule-later:remediated',
    ]);
    expect(later.writes).toEqual(['PutBucketAcl']);
  });

  it('tags are read once for a resource several rules fix, unless a fix writes tags', async () => {
    let tagReads = 0;
    const first = fakeRule({ compliant: false });
    const second = fakeRule({ compliant: false });
    const resource = defineResourceType({
      ...first.rule.resource,
      tags: (arn, ctx) =>
        ctx.reads.get(arn, TAGS_READ, async () => {
          tagReads++;
          return {};
        }),
    });
    const rulesOn = (iamActions: string[]) => [
      { ...first.rule, resource } as Rule,
      {
        ...second.rule,
        id: 'fake-rule-b',
        resource,
        permissions: { ...second.rule.permissions, write: iamActions },
        plan: (arn: string, observed: never, ctx: never) => {
          const planned = second.rule.plan(arn, observed, ctx);
          return planned.kind === 'fix'
            ? { ...planned, actions: planned.actions.map((a) => ({ ...a, iamActions })) }
            : planned;
        },
      } as Rule,
    ];
    const fixed = await processEvent(testEngine({ rules: rulesOn(['s3:PutBucketAcl']) }), event());
    expect(fixed.outcomes.map((o) => o.status)).toEqual(['remediated', 'remediated']);
    expect(tagReads).toBe(1);

    // A fix that writes tags: the next rule reads them again.
    tagReads = 0;
    first.state.compliant = false;
    second.state.compliant = false;
    const tagging = rulesOn(['s3:PutBucketTagging']).reverse();
    expect(
      (await processEvent(testEngine({ rules: tagging }), event())).outcomes.map((o) => o.status),
    ).toEqual(['remediated', 'remediated']);
    expect(tagReads).toBe(2);
  });

  it('a compliant resource costs its reads only: no rule reads twice when nothing was fixed', async () => {
    const a = fakeRule({ compliant: true });
    const b = fakeRule({ compliant: true });
    const bRule = { ...b.rule, id: 'fake-rule-b', resource: a.rule.resource } as Rule;
    const report = await processEvent(testEngine({ rules: [a.rule, bRule] }), event());
    expect(report.outcomes.map((o) => o.status)).toEqual(['compliant', 'compliant']);
    expect([a.check.mock.calls.length, b.check.mock.calls.length]).toEqual([1, 1]);
  });

  it('refuses to run a call the rule does not declare, before anything is written', async () => {
    const fake = fakeRule({ compliant: false }, undefined, {
      iamActions: ['s3:PutBucketAcl', 's3:DeleteBucket'],
    });
    const failure = await processEvent(testEngine({ rules: [fake.rule] }), event()).catch((e) => e);
    expect(failure.report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: 'rule planned s3:DeleteBucket, which it does not declare in permissions.write',
    });
    expect(fake.writes).toEqual([]);
  });
});

describe('fixes that take time', () => {
  /** A fix the service accepts at once but shows only after `visibleAfter` reads. */
  function slowFix(visibleAfter: number, settle: Settle) {
    const fake = fakeRule({ compliant: false }, undefined, { settle });
    let reads = 0;
    let written = false;
    fake.check.mockImplementation(async () => {
      const compliant = written && ++reads > visibleAfter;
      return {
        state: compliant ? 'compliant' : 'non-compliant',
        findings: compliant ? [] : ['setting is off'],
        observed: { compliant },
        summary: { setting: compliant },
      };
    });
    const plan = fake.rule.plan;
    (fake.rule as { plan: Rule['plan'] }).plan = (arn, observed, ctx) => {
      const planned = plan(arn, observed, ctx);
      if (planned.kind !== 'fix') return planned;
      return {
        ...planned,
        actions: planned.actions.map((action) => ({
          ...action,
          run: async (c: Parameters<typeof action.run>[0]) => {
            await action.run(c);
            written = true;
          },
        })),
      };
    };
    return fake;
  }

  it('reads back again when server errors outlast the SDK retries of the read-back (found by the reliability bench), and gives up as an error after its rounds', async () => {
    const serverError = () =>
      Object.assign(new Error('SlowDown'), { name: 'SlowDown', $metadata: { httpStatusCode: 503 } });
    const fake = fakeRule({ compliant: false });
    const check = fake.check.getMockImplementation() as NonNullable<
      ReturnType<typeof fake.check.getMockImplementation>
    >;
    // Before the fix the check answers; after it, the first READ_BACK_ROUNDS - 1 read-backs fail.
    let failures = READ_BACK_ROUNDS - 1;
    fake.check.mockImplementation(async (...args) => {
      if (fake.writes.length > 0 && failures-- > 0) throw serverError();
      return check(...args);
    });
    const report = await processEvent(testEngine({ rules: [fake.rule] }), event());
    expect(report.outcomes[0]).toMatchObject({ status: 'remediated', after: { setting: true } });
    expect(fake.writes).toEqual(['PutBucketAcl']);

    const failing = fakeRule({ compliant: false });
    const failingCheck = failing.check.getMockImplementation() as typeof check;
    failing.check.mockImplementation(async (...args) => {
      if (failing.writes.length > 0) throw serverError();
      return failingCheck(...args);
    });
    const failed = await processEvent(testEngine({ rules: [failing.rule] }), event()).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect((failed as EventFailedError).report.outcomes[0]).toMatchObject({
      status: 'error',
      reason: 'fix applied but read-back failed: SlowDown (HTTP 503)',
    });
    // One check before the fix, then every round's read-back.
    expect(failing.check).toHaveBeenCalledTimes(1 + READ_BACK_ROUNDS);
    expect(failing.writes).toEqual(['PutBucketAcl']);
  });

  it('polls the read-back until the fix shows, within the time the plan gives', async () => {
    const fake = slowFix(2, { timeoutSeconds: 5, intervalSeconds: 0.05 });
    const report = await processEvent(testEngine({ rules: [fake.rule] }), event());
    expect(report.outcomes[0]).toMatchObject({ status: 'remediated', after: { setting: true } });
    expect(fake.writes).toEqual(['PutBucketAcl']);
  });

  it('reports pending (not error: the event is not retried) when the fix is not visible in time, and the next read confirms it without writing again', async () => {
    const fake = slowFix(1_000, { timeoutSeconds: 0.2, intervalSeconds: 0.05 });
    const ledger = new MemoryLedger();
    const publisher = new MemoryNotificationPublisher();
    const engine = testEngine({ rules: [fake.rule], ledger, publisher });
    const first = await processEvent(engine, event());
    expect(first.outcomes[0]).toMatchObject({
      status: 'pending',
      reason: expect.stringContaining('the next event or sweep confirms it'),
      actions: [{ api: 'PutBucketAcl' }],
    });
    // The change is under way: nobody is told "remediated" before a read shows it.
    expect(publisher.published).toEqual([]);

    fake.check.mockResolvedValue({
      state: 'compliant',
      findings: [],
      observed: { compliant: true },
      summary: { setting: true },
    });
    const second = await processEvent(engine, event());
    expect(second.outcomes[0]).toMatchObject({
      status: 'remediated',
      reason: 'confirmed: the fix applied earlier is now in effect',
      actions: [],
      after: { setting: true },
    });
    expect(fake.writes).toEqual(['PutBucketAcl']);
    expect(publisher.published.map((n) => n.kind)).toEqual(['remediated']);
    expect((await ledger.history({})).map((h) => h.status).sort()).toEqual(['pending', 'remediated']);

    // Confirmed once: the next compliant read is plain compliant.
    expect((await processEvent(engine, event())).outcomes[0]?.status).toBe('compliant');
  });

  it("uses the plan's waiter instead of polling, and still decides by reading the resource", async () => {
    const waitFor = vi.fn(async () => {});
    const fake = slowFix(0, { timeoutSeconds: 30, waitFor });
    const report = await processEvent(testEngine({ rules: [fake.rule] }), event());
    expect(waitFor).toHaveBeenCalledWith(expect.objectContaining({ region: 'us-east-1' }), 30);
    expect(report.outcomes[0]?.status).toBe('remediated');
  });
});

describe('fixes the resource cannot take yet', () => {
  /** A resource that refuses the fix while `busy` (a database still being created). */
  function deferringRule() {
    const fake = fakeRule({ compliant: false });
    const control = { busy: true };
    const plan = fake.rule.plan;
    (fake.rule as { plan: Rule['plan'] }).plan = (arn, observed, ctx) =>
      control.busy ? { kind: 'defer', reason: 'the instance is creating' } : plan(arn, observed, ctx);
    return { ...fake, control };
  }

  it('reports pending without actions and writes nothing, in apply as in dry-run; the next event fixes it', async () => {
    const fake = deferringRule();
    const publisher = new MemoryNotificationPublisher();
    const engine = testEngine({ rules: [fake.rule], publisher });
    for (const dryRun of [true, false]) {
      const report = await processEvent(testEngine({ rules: [fake.rule], dryRun }), event());
      expect(report.outcomes[0]).toMatchObject({
        status: 'pending',
        reason: 'the instance is creating',
        actions: [],
      });
    }
    expect((await processEvent(engine, event())).outcomes[0]?.status).toBe('pending');
    expect(fake.writes).toEqual([]);
    expect(publisher.published).toEqual([]);

    fake.control.busy = false;
    const fixed = await processEvent(engine, event());
    expect(fixed.outcomes[0]).toMatchObject({ status: 'remediated', actions: [{ api: 'PutBucketAcl' }] });
    expect(fake.writes).toEqual(['PutBucketAcl']);
  });

  it('is a ticket when the rule is in ticket mode', async () => {
    const fake = deferringRule();
    const engine = testEngine({ rules: [fake.rule], env: { PHIGUARD_RULE_MODES: 'fake-rule=ticket' } });
    expect((await processEvent(engine, event())).outcomes[0]).toMatchObject({
      status: 'ticket',
      reason: 'the instance is creating',
    });
    expect(fake.writes).toEqual([]);
  });

  it('never counts towards a fight, however often it is deferred', async () => {
    const fake = deferringRule();
    const engine = testEngine({ rules: [fake.rule], env: { PHIGUARD_FIGHT_THRESHOLD: '2' } });
    for (let i = 0; i < 5; i++)
      expect((await processEvent(engine, event())).outcomes[0]?.status).toBe('pending');
    fake.control.busy = false;
    expect((await processEvent(engine, event())).outcomes[0]?.status).toBe('remediated');
  });

  it('a compliant read after a deferral is compliant, not a fix of PHI Guard confirmed', async () => {
    const fake = deferringRule();
    const ledger = new MemoryLedger();
    const publisher = new MemoryNotificationPublisher();
    const engine = testEngine({ rules: [fake.rule], ledger, publisher });
    expect((await processEvent(engine, event())).outcomes[0]?.status).toBe('pending');
    // Someone else fixed it meanwhile.
    fake.state.compliant = true;
    expect((await processEvent(engine, event())).outcomes[0]).toMatchObject({
      status: 'compliant',
      actions: [],
    });
    expect(publisher.published).toEqual([]);
    expect((await ledger.history({})).map((h) => h.status).sort()).toEqual(['compliant', 'pending']);
    expect(fake.writes).toEqual([]);
  });
});
