import * as z from '../zod';
import type { SweepCatalogue } from './catalogue';

/**
 * A unit of sweep work: every rule of one resource type in one region of one
 * account, from a pagination token on. Rules of one type share a shard so a resource is listed
 * once and each of its settings read once, whichever rule asks first.
 */
export const shardSchema = z.strictObject({
  runId: z.string().check(z.minLength(1)),
  account: z.string().check(z.regex(/^\d{12}$/)),
  region: z.string().check(z.minLength(1)),
  resourceType: z.string().check(z.minLength(1)),
  rules: z.array(z.string()).check(z.minLength(1)),
  token: z.optional(z.string()),
  /** How many pages this shard's chain has done (continuations count on). */
  pages: z._default(z.int().check(z.minimum(0)), 0),
  /** When the run was scheduled, and how many shards it planned: for the run's record (phiguard status). */
  startedAt: z.optional(z.string()),
  total: z.optional(z.int().check(z.minimum(1))),
});
export type Shard = z.infer<typeof shardSchema>;

/** One shard per (account, region, resource type), with the selected rules in registry order. */
export function planShards(
  rules: SweepCatalogue,
  options: {
    runId: string;
    accounts: readonly string[];
    regions: readonly string[];
    ruleIds?: readonly string[];
    /** When the run was scheduled (the scheduled sweep records its runs; `phiguard scan` does not). */
    startedAt?: string;
  },
): Shard[] {
  const selected = options.ruleIds?.length ? rules.filter((r) => options.ruleIds?.includes(r.id)) : rules;
  const byType = new Map<string, string[]>();
  for (const rule of selected)
    byType.set(rule.resourceType, [...(byType.get(rule.resourceType) ?? []), rule.id]);
  const shards: Shard[] = options.accounts.flatMap((account) =>
    options.regions.flatMap((region) =>
      [...byType].map(([resourceType, ruleIds]) => ({
        runId: options.runId,
        account,
        region,
        resourceType,
        rules: ruleIds,
        pages: 0,
      })),
    ),
  );
  const { startedAt } = options;
  return startedAt ? shards.map((shard) => ({ ...shard, startedAt, total: shards.length })) : shards;
}
