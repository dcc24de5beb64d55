import type { PhiGuardConfig } from '../config';
import { RuleIndex } from '../engine/rule-index';
import type { Rule } from '../rule';
import { renderTable } from './table';

/**
 * `phiguard rules`: every rule with its safeguards, triggers, effective mode, what
 * its fix does and its settings (the value each has now, or what applies unset).
 */
export function listRules(rules: readonly Rule[], config: PhiGuardConfig, format: 'json' | 'table'): string {
  const index = new RuleIndex(rules, config);
  const listed = rules.map((rule) => ({
    id: rule.id,
    title: rule.title,
    severity: rule.severity,
    safeguards: rule.safeguards,
    fix: rule.fix,
    resourceType: rule.resourceType,
    mode: index.modeOf(rule),
    triggers: rule.triggers,
    permissions: rule.permissions,
    settings: Object.fromEntries(
      Object.entries(rule.settings).map(([name, setting]) => [
        name,
        { env: setting.env, file: setting.file, value: config.ruleSettings[rule.id]?.[name] ?? null },
      ]),
    ),
  }));
  if (format === 'json') return JSON.stringify(listed, null, 2);

  const rows = listed.map((r) => [
    r.id,
    r.severity,
    r.safeguards.join(' '),
    r.mode,
    r.triggers.map((t) => `${t.source.replace('.amazonaws.com', '')}:${t.events.join(',')}`).join(' '),
  ]);
  const parts = [renderTable(['RULE', 'SEVERITY', 'SAFEGUARDS', 'MODE', 'TRIGGERS'], rows)];
  // One row per variable: rules may share a setting.
  const byVariable = new Map<string, { rules: string[]; value: unknown; unset: string }>();
  for (const rule of rules) {
    for (const [name, setting] of Object.entries(rule.settings)) {
      const row = byVariable.get(setting.env) ?? {
        rules: [],
        value: config.ruleSettings[rule.id]?.[name],
        unset: setting.unset,
      };
      row.rules.push(rule.id);
      byVariable.set(setting.env, row);
    }
  }
  if (byVariable.size > 0) {
    const settings = [...byVariable].map(([variable, row]) => [
      variable,
      row.rules.join(' '),
      row.value === undefined ? `(unset: ${row.unset})` : String(row.value),
    ]);
    parts.push('', renderTable(['SETTING', 'RULES', 'VALUE'], settings));
  }
  parts.push(`dry-run: ${config.dryRun ? 'on (default)' : 'off'}`);
  return parts.join('\n');
}
