import { ConfigError } from '../errors';
import * as z from '../zod';

/**
 * What the sweep coordinator needs to know of the rules: their ids and resource
 * types, in registry order. It is generated from the registry at package time into
 * the coordinator's environment (`PHIGUARD_SWEEP_RULES`), so the coordinator's
 * bundle carries no rule, no resource module and no guarded service's client.
 */
export type SweepCatalogue = readonly { id: string; resourceType: string }[];

const catalogueSchema = z.record(z.string().check(z.minLength(1)), z.array(z.string().check(z.minLength(1))));

/** `{"AWS::S3::Bucket": ["s3-bucket-tls-only", …], …}`: types and rules in registry order. */
export function catalogueJson(rules: SweepCatalogue): string {
  const byType: Record<string, string[]> = {};
  for (const rule of rules) byType[rule.resourceType] = [...(byType[rule.resourceType] ?? []), rule.id];
  return JSON.stringify(byType);
}

export function parseCatalogue(name: string, raw: string | undefined): SweepCatalogue {
  let parsed: z.infer<typeof catalogueSchema>;
  try {
    parsed = catalogueSchema.parse(JSON.parse(raw ?? ''));
  } catch (error) {
    throw new ConfigError(
      `${name} must be the rule catalogue the stack generates (JSON: resource type to rule ids)`,
      {
        cause: error,
      },
    );
  }
  return Object.entries(parsed).flatMap(([resourceType, ids]) => ids.map((id) => ({ id, resourceType })));
}
