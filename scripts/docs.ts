/**
 * `npm run docs`: the parts of the README generated from the rule registry (the
 * rules table and the rule settings table), rewritten between their markers. A
 * contract test fails when the README and the registry disagree, so a control or a
 * setting cannot go undocumented.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rules } from '../remediations';
import { settingRows } from '../src/rule-settings';

export const README = join(import.meta.dirname, '..', 'README.md');

const cell = (text: string) => text.replaceAll('|', '\\|');

function rulesTable(): string {
  return [
    '| rule | safeguard (45 CFR) | resource | events | fix |',
    '|---|---|---|---|---|',
    ...rules.map((rule) =>
      [
        '',
        `\`${rule.id}\``,
        rule.safeguards.map((s) => `§${s}`).join(', '),
        `\`${rule.resourceType}\``,
        rule.triggers
          .map((t) => `${t.source.replace('.amazonaws.com', '')}: ${t.events.join(', ')}`)
          .join('; '),
        cell(rule.fix),
        '',
      ]
        .join(' | ')
        .trim(),
    ),
  ].join('\n');
}

function settingsTable(): string {
  return [
    '| variable | file key | rules | when unset | meaning |',
    '|---|---|---|---|---|',
    ...settingRows(rules).map(
      (row) =>
        `| \`${row.env}\` | \`${row.file}\` | ${row.rules.map((id) => `\`${id}\``).join(', ')} | ${cell(row.unset)} | ${cell(row.description)} |`,
    ),
  ].join('\n');
}

/** Generated sections: the README's marker lines and what goes between them. */
const SECTIONS = [
  {
    begin: '<!-- generated from the rules by `npm run docs`: do not edit -->',
    end: '<!-- end of generated rules -->',
    render: rulesTable,
  },
  {
    begin: "<!-- generated from the rules' settings by `npm run docs`: do not edit -->",
    end: '<!-- end of generated rule settings -->',
    render: settingsTable,
  },
];

/** The README with its generated sections replaced by what the registry declares now. */
export function withGeneratedSections(readme: string): string {
  let text = readme;
  for (const { begin, end, render } of SECTIONS) {
    const start = text.indexOf(begin);
    const stop = text.indexOf(end);
    if (start < 0 || stop < start) throw new Error(`README.md lacks the markers ${begin} … ${end}`);
    text = `${text.slice(0, start + begin.length)}\n${render()}\n${text.slice(stop)}`;
  }
  return text;
}

if (process.argv[1]?.endsWith('docs.ts')) {
  const before = readFileSync(README, 'utf8');
  const after = withGeneratedSections(before);
  writeFileSync(README, after);
  process.stdout.write(
    before === after ? 'README.md is up to date\n' : 'README.md: generated tables updated\n',
  );
}
