/**
 * The one place that decides what may leave PHI Guard in a message or ticket.
 *
 * Notifications are built from content-free fields only (ids, ARNs, rule ids,
 * safeguards, actors, setting names and values). This sanitizer is the second
 * line: whatever a rule puts in an action's parameters, keys that can carry
 * content (policies, tags, object keys, bodies, descriptions, payloads) are
 * replaced, long strings are cut, and free text is bounded, so a future rule
 * cannot leak PHI through a notification by accident.
 */
export const REDACTED = '[redacted]';

/** Parameter names whose values can carry content. */
const CONTENT_KEY =
  /(policy|polic(y|ies)document|^tags?$|tagset|tagspecifications|^key$|^keys$|^prefix$|^value$|^values$|body|document|content|metadata|payload|description|^data$|message)/i;

const MAX_STRING = 300;
const MAX_DEPTH = 6;

function sanitizeValue(key: string, value: unknown, depth: number): unknown {
  if (value === null || typeof value === 'boolean' || typeof value === 'number') return value;
  if (CONTENT_KEY.test(key)) return REDACTED;
  if (typeof value === 'string') return value.length > MAX_STRING ? `${value.slice(0, MAX_STRING)}…` : value;
  if (depth >= MAX_DEPTH) return REDACTED;
  if (Array.isArray(value)) return value.slice(0, 20).map((item) => sanitizeValue('', item, depth + 1));
  if (typeof value === 'object') {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>))
      out[k] = sanitizeValue(k, v, depth + 1);
    return out;
  }
  return REDACTED;
}

export function sanitizeParams(params: Record<string, unknown>): Record<string, unknown> {
  return sanitizeValue('', params, 0) as Record<string, unknown>;
}

/** Bounded single-line text (reasons and findings are written by PHI Guard, but never trusted to be short). */
export function sanitizeText(text: string): string {
  const line = text.replace(/\s+/g, ' ').trim();
  return line.length > MAX_STRING ? `${line.slice(0, MAX_STRING)}…` : line;
}
