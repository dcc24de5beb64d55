/**
 * The event functions' entry points, `handlers/events/<key>.ts`: one per
 * CloudTrail event source, importing only that source's rules (so its bundle
 * carries only their SDK clients). Generated from the registry by `npm run docs`
 * (src/event-functions.ts says how the rules are grouped); a contract test fails
 * when a file is missing, stale or left over, so the stack can never bundle a
 * function that lacks a rule the registry routes to it.
 */
import { join } from 'node:path';
import { rules as registry } from '../remediations';
import { eventFunctionGroups } from '../src/event-functions';

export const EVENT_HANDLERS_DIR = join(import.meta.dirname, '..', 'handlers', 'events');

const camel = (id: string) => id.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());

/** `{file: 's3.ts', text}` for every event function, in source order. */
export function eventEntryPoints(rules = registry): { file: string; text: string }[] {
  return eventFunctionGroups(rules).map(({ key, eventSource, rules: own }) => {
    const imports = [...own]
      .map((rule) => rule.id)
      .sort()
      .map((id) => `import ${camel(id)} from '../../remediations/${id}';`);
    // Laid out as the formatter would (one line when it fits), so `biome check` accepts it as generated.
    const oneLine = `export const handler = createEventHandler([${own.map((rule) => camel(rule.id)).join(', ')}]);`;
    const call =
      oneLine.length <= 110
        ? [oneLine]
        : [
            'export const handler = createEventHandler([',
            ...own.map((rule) => `  ${camel(rule.id)},`),
            ']);',
          ];
    const text = [
      `// Generated from the rule registry by \`npm run docs\`: do not edit.`,
      `// The event function for ${eventSource} events: the rules of the resource`,
      '// types those events name, in registry order (src/event-functions.ts).',
      ...imports,
      "import { createEventHandler } from '../../src/lambda-event-handler';",
      '',
      ...call,
      '',
    ].join('\n');
    return { file: `${key}.ts`, text };
  });
}
