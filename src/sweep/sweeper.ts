import { randomUUID } from 'node:crypto';
import type { Engine, EvaluationPair } from '../engine';
import { RuleDefinitionError } from '../errors';
import type { Outcome } from '../outcome';
import { ReadCache } from '../read-cache';
import type { Rule } from '../rule';
import { Settlement } from '../settlement';
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
 * registry / apply path as events, so the two can never disagree. Each page is
 * settled in the registry (history, claim releases) and notified before the
 * next one is listed, so a shard stopped at its deadline loses nothing.
 */
export class Sweeper {
  constructor(
    private readonly engine: Engine,
    private readonly options: { concurrency: number; pageSize?: number },
  ) {}

  private rulesOf(shard: Shard): Rule[] {
    const rules = shard.rules.map((id) => {
      const rule = this.engine.rules.find((r) => r.id === id);
      if (!rule) throw new RuleDefinitionError(`sweep shard names unknown rule "${id}"`);
      return rule;
    });
    if (rules.some((rule) => rule.resourceType !== shard.resourceType)) {
      throw new RuleDefinitionError(`sweep shard mixes resource types: ${shard.rules.join(', ')}`);
    }
    return rules;
  }

  /**
   * Runs one shard from its token. With `deadline` (epoch ms) it stops after the
   * page in progress once the deadline has passed and returns the token to resume from.
   */
  async runShard(
    shard: Shard,
    hooks: { deadline?: number; onPage?: (progress: ShardProgress) => void } = {},
  ): Promise<ShardResult> {
    const rules = this.rulesOf(shard);
    const lister = rules[0] as Rule;
    const outcomes: Outcome[] = [];
    let token = shard.token;
    let pages = shard.pages;
    const reads = new ReadCache();
    const ctx = {
      ...this.engine.context(shard.region, shard.account, reads),
      pageSize: this.options.pageSize,
    };
    const facts = { eventId: `sweep:${shard.runId}`, eventName: 'Sweep', account: shard.account };
    do {
      const page = await lister.listPage(ctx, token);
      const settlement = new Settlement(`sweep:${shard.runId}/${randomUUID()}`);
      // Per resource, its rules in registry order (they may write to it); resources in parallel.
      const pairs: EvaluationPair[] = page.arns.flatMap((arn) => rules.map((rule) => ({ rule, arn, ctx })));
      const pageOutcomes = await this.engine.evaluatePairs(pairs, facts, settlement, {
        recordUnclaimed: false,
      });
      await this.engine.ledger.complete({
        owner: settlement.owner,
        failed: false,
        entries: settlement.entries,
        releases: settlement.releases,
      });
      await this.engine.notify(pageOutcomes);
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
