/**
 * `npm run docs`: what is generated from the rule registry into files of the
 * repository. The README's rules table and rule settings table, rewritten between
 * their markers, the event functions' entry points (scripts/event-entry-points.ts)
 * and the member-account template (infra/member-template.ts).
 * Contract tests fail when either disagrees with the registry, so a control or a
 * setting cannot go undocumented, nor an event reach a function without its rule.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { MEMBER_TEMPLATE_FILE, memberTemplateText } from '../infra/member-template';
import { rules } from '../remediations';
import { settingRows } from '../src/rule-settings';
import { EVENT_HANDLERS_DIR, eventEntryPoints } from './event-entry-points';

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

/** Writes handlers/events/ as the registry groups it; returns the files changed or removed. */
function writeEventEntryPoints(): string[] {
  mkdirSync(EVENT_HANDLERS_DIR, { recursive: true });
  const changed: string[] = [];
  const wanted = eventEntryPoints();
  for (const { file, text } of wanted) {
    const path = join(EVENT_HANDLERS_DIR, file);
    if (existsSync(path) && readFileSync(path, 'utf8') === text) continue;
    writeFileSync(path, text);
    changed.push(file);
  }
  // An event source no rule listens to any more loses its function.
  for (const file of readdirSync(EVENT_HANDLERS_DIR)) {
    if (wanted.some((entry) => entry.file === file)) continue;
    rmSync(join(EVENT_HANDLERS_DIR, file));
    changed.push(`${file} (removed)`);
  }
  return changed;
}

if (process.argv[1]?.endsWith('docs.ts')) {
  const before = readFileSync(README, 'utf8');
  const after = withGeneratedSections(before);
  writeFileSync(README, after);
  process.stdout.write(
    before === after ? 'README.md is up to date\n' : 'README.md: generated tables updated\n',
  );
  const memberTemplate = memberTemplateText();
  const memberBefore = existsSync(MEMBER_TEMPLATE_FILE) ? readFileSync(MEMBER_TEMPLATE_FILE, 'utf8') : '';
  writeFileSync(MEMBER_TEMPLATE_FILE, memberTemplate);
  process.stdout.write(
    memberBefore === memberTemplate
      ? 'infra/member-account.template.json is up to date\n'
      : 'infra/member-account.template.json: updated\n',
  );
  const handlers = writeEventEntryPoints();
  process.stdout.write(
    handlers.length === 0 ? 'handlers/events/ is up to date\n' : `handlers/events/: ${handlers.join(', ')}\n`,
  );
}
