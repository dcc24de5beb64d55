import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EVENTS_DIR, loadFixture } from '../../local/fixtures';
import { createRegistry, rules } from '../../remediations';
import { README, withGeneratedSections } from '../../scripts/docs';
import { EVENT_HANDLERS_DIR, eventEntryPoints } from '../../scripts/event-entry-points';
import { parseEvent } from '../../src/cloudtrail-event';
import { RuleDefinitionError } from '../../src/errors';
import type { Rule } from '../../src/rule';
import { declaredSettings } from '../../src/rule-settings';
import { loadSamples, samplesAvailable } from '../support/samples';
import { scenariosOf } from '../support/scenario';

const REMEDIATIONS_DIR = join(import.meta.dirname, '..', '..', 'remediations');
const RESOURCES_DIR = join(import.meta.dirname, '..', '..', 'src', 'resources');

describe('rule registry', () => {
  it('has one rule per file, with the id equal to the file name', () => {
    const files = readdirSync(REMEDIATIONS_DIR)
      .filter((file) => file.endsWith('.ts') && file !== 'index.ts')
      .map((file) => basename(file, '.ts'))
      .sort();
    expect(rules.map((rule) => rule.id).sort()).toEqual(files);
  });

  it('rules and resource modules read no environment: settings reach them declared, through ctx.settings', () => {
    const sources = [
      ...readdirSync(REMEDIATIONS_DIR).map((file) => join(REMEDIATIONS_DIR, file)),
      ...readdirSync(RESOURCES_DIR, { recursive: true })
        .map(String)
        .filter((file) => file.endsWith('.ts'))
        .map((file) => join(RESOURCES_DIR, file)),
    ];
    const reading = sources.filter((file) =>
      /process\.env|import\.meta\.env/.test(readFileSync(file, 'utf8')),
    );
    expect(reading).toEqual([]);
  });

  it('rejects duplicate ids and rules without permissions', () => {
    const [first] = rules as [Rule];
    expect(() => createRegistry([first, first])).toThrow(RuleDefinitionError);
    expect(() => createRegistry([{ ...first, permissions: { read: [], write: [], passRole: [] } }])).toThrow(
      /no read permissions/,
    );
    expect(() => createRegistry([{ ...first, id: 'Not_Kebab' }])).toThrow(/kebab-case/);
  });

  it.each(rules.map((rule) => [rule.id, rule] as const))(
    '%s declares metadata, safeguards and IAM actions',
    (_id, rule) => {
      expect(rule.title.length).toBeGreaterThan(10);
      expect(['critical', 'high', 'medium', 'low']).toContain(rule.severity);
      expect(rule.safeguards.length).toBeGreaterThan(0);
      for (const safeguard of rule.safeguards)
        expect(safeguard).toMatch(/^164\.3\d\d\([a-z]\)(\(\d+\))?(\([ivx]+\))?(\([A-Z]\))?$/);
      for (const action of [...rule.permissions.read, ...rule.permissions.write]) {
        expect(action).toMatch(/^[a-z0-9-]+:[A-Za-z*]+$/);
      }
      expect(rule.triggers.length).toBeGreaterThan(0);
    },
  );

  it.each(
    rules.flatMap((rule) =>
      rule.triggers.flatMap((trigger) =>
        trigger.events.map((event) => [rule.id, trigger.source, event] as const),
      ),
    ),
  )(
    '%s: trigger %s %s has a fixture in events/ that parses and yields resources',
    (id, source, eventName) => {
      const service = source.replace('.amazonaws.com', '');
      const dir = join(EVENTS_DIR, service);
      const fixtures = existsSync(dir)
        ? readdirSync(dir).filter((file) => file.startsWith(`${eventName}.`))
        : [];
      expect(fixtures.length, `no events/${service}/${eventName}.<variant>.json`).toBeGreaterThan(0);
      const rule = rules.find((r) => r.id === id) as Rule;
      const selections = fixtures.map((file) => {
        const event = parseEvent(loadFixture(`${service}/${basename(file, '.json')}`));
        expect(event.record.eventSource).toBe(source);
        expect(event.record.eventName).toBe(eventName);
        return rule.resourceIds(event.record);
      });
      // At least one fixture of the event names a resource this rule can act on.
      expect(selections.some((s) => !Array.isArray(s) || s.length > 0)).toBe(true);
    },
  );
});

describe('generated documentation', () => {
  it("the README's rules and settings tables are what the rules declare (npm run docs rewrites them)", () => {
    const readme = readFileSync(README, 'utf8');
    expect(withGeneratedSections(readme), 'README.md is stale: run npm run docs').toBe(readme);
    for (const { setting } of declaredSettings(rules)) expect(readme).toContain(`\`${setting.env}\``);
    for (const rule of rules) expect(readme).toContain(`| \`${rule.id}\` |`);
  });

  it('the event functions are the entry points the registry groups (npm run docs writes handlers/events/)', () => {
    const wanted = eventEntryPoints();
    expect(readdirSync(EVENT_HANDLERS_DIR).sort(), 'handlers/events/ is stale: run npm run docs').toEqual(
      wanted.map(({ file }) => file).sort(),
    );
    for (const { file, text } of wanted) {
      expect(readFileSync(join(EVENT_HANDLERS_DIR, file), 'utf8'), `${file} is stale: run npm run docs`).toBe(
        text,
      );
    }
    // Every rule an event can reach is in some entry point.
    const imported = wanted.flatMap(({ text }) =>
      [...text.matchAll(/remediations\/([a-z0-9-]+)'/g)].map((m) => m[1]),
    );
    for (const rule of rules.filter((r) => r.triggers.length > 0)) expect(imported).toContain(rule.id);
  });
});

describe.skipIf(!samplesAvailable)(
  'resource ids from real CloudTrail records (../shared/cloudtrail-samples)',
  () => {
    const samples = loadSamples();
    const listening = (rule: Rule, sample: { eventSource: string; eventName: string }) =>
      rule.triggers.some((t) => t.source === sample.eventSource && t.events.includes(sample.eventName));

    it.each(rules.map((rule) => [rule.id, rule] as const))(
      '%s: every record of its events has an expectation in its scenarios, and the ids match',
      async (_id, rule) => {
        const expected = (await scenariosOf(rule.id)).samples;
        const heard = samples.filter((sample) => listening(rule, sample));
        expect(Object.keys(expected).sort()).toEqual(heard.map((s) => s.file).sort());
        for (const sample of heard) {
          const selection = rule.resourceIds(parseEvent(sample.json).record);
          const kind = Array.isArray(selection) ? selection : 'all' in selection ? 'all' : 'lookup';
          expect(kind, sample.file).toEqual(expected[sample.file]);
        }
      },
    );

    it('every sample parses as an event (none is rejected as malformed)', () => {
      for (const sample of samples) expect(() => parseEvent(sample.json), sample.file).not.toThrow();
    });
  },
);
