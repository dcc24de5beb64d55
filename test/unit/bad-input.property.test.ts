import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EVENTS_DIR } from '../../local/fixtures';
import { rules } from '../../remediations';
import { type ParsedEvent, parseEvent } from '../../src/cloudtrail-event';
import { InvalidEventError } from '../../src/errors';
import { loadSamples, samplesAvailable } from '../support/samples';

/**
 * Bad input never crashes PHI Guard and never loses an event silently: whatever
 * arrives, the parser gives a parsed event or a typed InvalidEventError (which the
 * Lambda fails on, so the event is retried and dead-lettered), and every rule's
 * resourceIds gives a selection or an InvalidEventError — never another exception.
 * Property-based (fast-check), seeded so a failure reproduces; the seeds are the
 * repository's event fixtures and, where ../shared is present, the real CloudTrail
 * records captured in real accounts.
 */
const SEED = 20261205;
const RUNS = 300;

function fixtureEvents(): unknown[] {
  const events: unknown[] = [];
  for (const service of readdirSync(EVENTS_DIR, { withFileTypes: true })) {
    if (!service.isDirectory()) continue;
    for (const file of readdirSync(join(EVENTS_DIR, service.name))) {
      if (file.endsWith('.json'))
        events.push(JSON.parse(readFileSync(join(EVENTS_DIR, service.name, file), 'utf8')));
    }
  }
  return events;
}

const SEEDS: unknown[] = [...fixtureEvents(), ...loadSamples().map((s) => s.json)];

/** Parsed, or a typed refusal; anything else is a defect. */
function parseOrRefuse(input: unknown): ParsedEvent | 'refused' {
  try {
    return parseEvent(input);
  } catch (error) {
    if (error instanceof InvalidEventError) return 'refused';
    throw error;
  }
}

/** Every rule's resourceIds on the parsed record: a selection, or a typed refusal. */
function selectEvery(event: ParsedEvent): void {
  for (const rule of rules) {
    try {
      const selection = rule.resourceIds(event.record);
      if (Array.isArray(selection)) {
        for (const arn of selection) expect(typeof arn).toBe('string');
      } else {
        expect(typeof selection.because).toBe('string');
      }
    } catch (error) {
      if (!(error instanceof InvalidEventError)) throw error;
    }
  }
}

/** Every path to a value in `value` (object keys and array indexes). */
function pathsOf(value: unknown, prefix: (string | number)[] = [], out: (string | number)[][] = []) {
  if (value && typeof value === 'object') {
    for (const [key, child] of Object.entries(value)) {
      const path = [...prefix, Array.isArray(value) ? Number(key) : key];
      out.push(path);
      if (out.length < 2000) pathsOf(child, path, out);
    }
  }
  return out;
}

function setAt(value: unknown, path: (string | number)[], replacement: unknown): unknown {
  const copy = structuredClone(value) as Record<string | number, unknown>;
  let node: Record<string | number, unknown> = copy;
  for (const key of path.slice(0, -1)) node = node[key] as Record<string | number, unknown>;
  node[path[path.length - 1] as string | number] = replacement;
  return copy;
}

function deeplyNested(depth: number): unknown {
  let value: unknown = 'bottom';
  for (let i = 0; i < depth; i++) value = i % 2 ? [value] : { nested: value };
  return value;
}

/** What a broken exporter, a new CloudTrail version or an attacker might put in a field. */
const replacement = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.string(),
  fc.constant(''),
  fc.constant('x'.repeat(200_000)),
  fc.constant(deeplyNested(400)),
  fc.array(fc.jsonValue(), { maxLength: 4 }),
  fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 4 }),
  fc.jsonValue(),
);

describe('bad input, property-based', () => {
  it('arbitrary JSON: parsed or refused with InvalidEventError, never another exception', () => {
    fc.assert(
      fc.property(fc.jsonValue(), (input) => {
        const parsed = parseOrRefuse(input);
        if (parsed !== 'refused') selectEvery(parsed);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it('arbitrary objects shaped like events: parsed or refused, never another exception', () => {
    const eventLike = fc.record(
      {
        'detail-type': fc.oneof(fc.constant('AWS API Call via CloudTrail'), fc.string(), fc.constant(null)),
        detail: fc.oneof(fc.dictionary(fc.string(), fc.jsonValue()), fc.jsonValue()),
        id: fc.oneof(fc.uuid(), fc.jsonValue()),
        region: fc.oneof(fc.constant('us-east-1'), fc.jsonValue()),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(eventLike, (input) => {
        const parsed = parseOrRefuse(input);
        if (parsed !== 'refused') selectEvery(parsed);
      }),
      { seed: SEED, numRuns: RUNS },
    );
  });

  it(`real records with one field mutated (wrong type, null, 200 KB, 400 levels deep): parsed or refused (${SEEDS.length} seeds${samplesAvailable ? ', real samples included' : ''})`, () => {
    expect(SEEDS.length).toBeGreaterThan(20);
    const seen = { parsed: 0, refused: 0 };
    fc.assert(
      fc.property(
        fc.nat({ max: SEEDS.length - 1 }),
        fc.nat(),
        replacement,
        fc.boolean(),
        (which, pathIndex, value, addUnknown) => {
          const seed = SEEDS[which];
          const paths = pathsOf(seed);
          let input = paths.length
            ? setAt(seed, paths[pathIndex % paths.length] as (string | number)[], value)
            : seed;
          // CloudTrail adds fields over time: an unknown field anywhere is accepted as it is.
          if (addUnknown && input && typeof input === 'object')
            input = { ...input, fieldFromTheFuture: value };
          const parsed = parseOrRefuse(input);
          seen[parsed === 'refused' ? 'refused' : 'parsed']++;
          if (parsed !== 'refused') selectEvery(parsed);
        },
      ),
      { seed: SEED, numRuns: RUNS * 3 },
    );
    // The mutations reach both sides: records still usable, and records refused.
    expect(seen.parsed).toBeGreaterThan(RUNS);
    expect(seen.refused).toBeGreaterThan(10);
  });

  it('optional fields that arrive as null or unknown are accepted: the event is still usable', () => {
    for (const seed of SEEDS) {
      const original = parseOrRefuse(seed);
      if (original === 'refused') continue;
      const detail = (seed as { detail?: Record<string, unknown> }).detail;
      const record = detail ?? (seed as Record<string, unknown>);
      const nulled = {
        ...record,
        additionalEventData: null,
        responseElements: null,
        userIdentity: { ...(record.userIdentity as object), invokedBy: null, sessionContext: null },
        aFieldCloudTrailAddsNextYear: { anything: [1, 2, 3] },
      };
      const input = detail ? { ...(seed as object), detail: nulled } : nulled;
      const parsed = parseOrRefuse(input);
      expect(parsed, 'a usable event became unusable with optional fields null').not.toBe('refused');
      expect((parsed as ParsedEvent).record.eventName).toBe(original.record.eventName);
    }
  });
});
