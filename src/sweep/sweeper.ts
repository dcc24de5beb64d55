import { randomUUID } from 'node:crypto';
import type { Engine } from '../engine/engine';
import type { EvaluationPair } from '../engine/evaluate-pairs';
import { RuleDefinitionError } from '../errors';
import type { Outcome } from '../outcome';
import { ReadCache } from '../read-cache';
import type { ResourceType } from '../resources/resource-type';
import type { Rule } from '../rule';
import type { Shard } from './shard';

export interface ShardProgress {
  shard: Shard;
  checked: number;
  outcomes: Outcome[];
}

export interface ShardResult {
  outcomes: Outcome[];
  /** Set when the shard stopped before its listing ended (deadline): resume from here. */
  next?: string;
  pages: number;
}

/**
 * Evaluates every rule over every resource, through the same check / plan /
 * registry / apply path as events, so the two can never disagree. A shard is one
 * resource type in one region: its resources are listed once, through the type,
 * and each page is settled in the registry (history, claim releases) and notified
 * before the next one is listed, so a shard stopped at its deadline loses nothing.
 * A pair that fails is evaluated again, after a back-off, before its page settles.
 */
/** Back-off before a page's failed pairs are evaluated again (jittered ±50 %; doubled for the second round). */
export const RETRY_FAILED_AFTER_MS = 1_000;

export class Sweeper {
  constructor(
    private readonly engine: Engine,
    private readonly options: { concurrency: number; pageSize?: number; retryFailedAfterMs?: number },
  ) {}

  private shardParts(shard: Shard): { resource: ResourceType; rules: Rule[] } {
    const rules = shard.rules.map((id) => {
      const rule = this.engine.rules.find((r) => r.id === id);
      if (!rule) throw new RuleDefinitionError(`sweep shard names unknown rule "${id}"`);
      return rule;
    });
    const types = new Set(rules.map((rule) => rule.resource));
    const [resource] = types;
    if (!resource || types.size > 1 || resource.type !== shard.resourceType) {
      throw new RuleDefinitionError(`sweep shard mixes resource types: ${shard.rules.join(', ')}`);
    }
    return { resource, rules };
  }

  /**
   * Runs one shard from its token. With `deadline` (epoch ms) it stops after the
   * page in progress once the deadline has passed and returns the token to resume from.
   */
  async runShard(
    shard: Shard,
    hooks: { deadline?: number; onPage?: (progress: ShardProgress) => void } = {},
  ): Promise<ShardResult> {
    const { resource, rules } = this.shardParts(shard);
    const outcomes: Outcome[] = [];
    let token = shard.token;
    let pages = shard.pages;
    const reads = new ReadCache();
    // Another account of the organisation is listed, read and fixed through its member role,
    // assumed before anything is listed (a role that cannot be assumed fails the shard).
    const member = await this.engine.memberAccessFor(shard.region, shard.account);
    const base = {
      ...this.engine.resourceContext(shard.region, shard.account, reads, member),
      pageSize: this.options.pageSize,
    };
    const contexts = new Map(rules.map((rule) => [rule, this.engine.ruleContext(rule, base)]));
    const facts = { eventId: `sweep:${shard.runId}`, eventName: 'Sweep', account: shard.account };
    do {
      const page = await resource.listPage(base, token);
      // Per resource, its rules in registry order (they may write to it); resources in parallel.
      const pairs: EvaluationPair[] = page.arns.flatMap((arn) =>
        rules.map((rule) => ({ rule, arn, ctx: contexts.get(rule) as EvaluationPair['ctx'] })),
      );
      const pageOutcomes = await this.engine.evaluatePage(pairs, facts, {
        owner: `sweep:${shard.runId}/${randomUUID()}`,
        concurrency: this.options.concurrency,
        retryFailedAfterMs: this.options.retryFailedAfterMs ?? RETRY_FAILED_AFTER_MS,
      });
      outcomes.push(...pageOutcomes);
      reads.clear();
      pages++;
      token = page.next;
      hooks.onPage?.({ shard, checked: page.arns.length, outcomes: pageOutcomes });
      if (token && hooks.deadline !== undefined && Date.now() >= hooks.deadline)
        return { outcomes, next: token, pages };
    } while (token);
    return { outcomes, pages };
  }
}
