/**
 * `npm run docs`: the parts of the README generated from the rule registry (today
 * the rule settings table), rewritten between their markers. A contract test fails
 * when the README and the registry disagree, so a new setting cannot go undocumented.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { rules } from '../remediations';
import { settingRows } from '../src/rule-settings';

export const README = join(import.meta.dirname, '..', 'README.md');
const BEGIN = "<!-- generated from the rules' settings by `npm run docs`: do not edit -->";
const END = '<!-- end of generated rule settings -->';

export function renderSettingsTable(): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  return [
    '| variable | file key | rules | when unset | meaning |',
    '|---|---|---|---|---|',
    ...settingRows(rules).map(
      (row) =>
        `| \`${row.env}\` | \`${row.file}\` | ${row.rules.map((id) => `\`${id}\``).join(', ')} | ${cell(row.unset)} | ${cell(row.description)} |`,
    ),
  ].join('\n');
}

/** The README with its generated section replaced by what the registry declares now. */
export function withGeneratedSections(readme: string): string {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start < 0 || end < start) throw new Error(`README.md lacks the markers ${BEGIN} … ${END}`);
  return `${readme.slice(0, start + BEGIN.length)}\n${renderSettingsTable()}\n${readme.slice(end)}`;
}

if (process.argv[1]?.endsWith('docs.ts')) {
  const before = readFileSync(README, 'utf8');
  const after = withGeneratedSections(before);
  writeFileSync(README, after);
  process.stdout.write(
    before === after ? 'README.md is up to date\n' : 'README.md: rule settings table updated\n',
  );
}
