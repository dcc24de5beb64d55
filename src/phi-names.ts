import { createHmac, randomBytes } from 'node:crypto';
import { parseArn } from './arn';
import { ConfigError } from './errors';

/**
 * PHI in resource names. HIPAA's guidance is plain: no PHI in bucket or vault
 * names, because names travel where the data's protection does not (logs,
 * consoles, URLs, tickets). A name that looks like PHI is itself PHI, and it is
 * inside the resource's ARN: everything PHI Guard writes outside the operator's
 * own terminal (the registry, logs, notifications, tickets) carries the ARN with
 * the name replaced by `[redacted:<keyed hash>]`. The hash is keyed
 * (PHIGUARD_NAME_REDACTION_KEY), so the registry still de-duplicates and a person
 * holding the key can find the resource (`phiguard` prints the real name on their
 * terminal), while nobody can recover a nine-digit SSN by hashing all of them.
 */
export interface PhiNamePattern {
  /** What it finds, for findings and tickets: never the matched text. */
  kind: string;
  pattern: RegExp;
}

/**
 * What every deployment looks for. Bucket and vault names are lowercase letters,
 * digits, dots, hyphens (and underscores in vaults), so the separators are those.
 */
export const BUILT_IN_PHI_NAME_PATTERNS: readonly PhiNamePattern[] = [
  { kind: 'a US social security number', pattern: /(^|[^0-9])\d{3}[-._]\d{2}[-._]\d{4}([^0-9]|$)/i },
  { kind: 'a social security number after "ssn"', pattern: /ssn[-._]?\d{9}([^0-9]|$)/i },
  {
    kind: 'a date of birth after "dob"',
    pattern: /dob[-._]?(\d{4}[-._]?\d{2}[-._]?\d{2}|\d{2}[-._]?\d{2}[-._]?\d{4})([^0-9]|$)/i,
  },
  { kind: 'an e-mail address', pattern: /[a-z0-9._%+-]+(@|-at-)[a-z0-9-]+(\.[a-z0-9-]+)*\.[a-z]{2,}/i },
  {
    kind: 'a phone number',
    pattern: /(^|[^0-9])(1[-._])?\(?\d{3}\)?[-._]\d{3}[-._]\d{4}([^0-9]|$)/i,
  },
];

/** The operator's patterns (PHIGUARD_PHI_NAME_PATTERNS): each must compile, or start-up fails. */
export function operatorPatterns(variable: string, sources: readonly string[]): PhiNamePattern[] {
  return sources.map((source, i) => {
    try {
      return { kind: `the pattern ${i + 1} of ${variable}`, pattern: new RegExp(source, 'i') };
    } catch (error) {
      throw new ConfigError(`${variable}: pattern ${i + 1} is not a valid regular expression`, {
        cause: error,
      });
    }
  });
}

/** Minimum length of PHIGUARD_NAME_REDACTION_KEY: a keyed hash is only as strong as its key. */
export const MIN_REDACTION_KEY_LENGTH = 32;

/**
 * The user-chosen part of an ARN: a bucket's name, `vaults/<name>` → name,
 * `db:<name>` → name (the resource type before the first `/` or `:` stays).
 */
function namePart(arn: string): { prefix: string; name: string } | undefined {
  const parsed = parseArn(arn);
  if (!parsed) return undefined;
  const resource = parsed.resource;
  const separator = resource.search(/[/:]/);
  const name = separator >= 0 ? resource.slice(separator + 1) : resource;
  if (!name) return undefined;
  return { prefix: arn.slice(0, arn.length - name.length), name };
}

export class PhiNames {
  private readonly key: Buffer;
  private readonly keyed: boolean;
  /** Redacted ARN → real ARN and token → real name, of this process only: for the operator's terminal. */
  private readonly seen = new Map<string, string>();
  private warned = false;

  /** `key` as the configuration validated it (src/config.ts). */
  constructor(
    private readonly patterns: readonly PhiNamePattern[],
    key: string | undefined,
    private readonly warn: (message: string) => void = () => {},
  ) {
    this.keyed = key !== undefined;
    this.key = key !== undefined ? Buffer.from(key) : randomBytes(32);
  }

  /** What of PHI a name looks like to contain (the kinds, never the text); empty when nothing. */
  match(name: string): string[] {
    return this.patterns.filter(({ pattern }) => pattern.test(name)).map(({ kind }) => kind);
  }

  /** The ARN as everything but the operator's terminal may show it. */
  display(arn: string): string {
    const part = namePart(arn);
    if (!part || this.match(part.name).length === 0) return arn;
    if (!this.keyed && !this.warned) {
      this.warned = true;
      this.warn(
        'PHIGUARD_NAME_REDACTION_KEY is not set: names that look like PHI are redacted with a key of this process only, so the registry cannot match them across runs',
      );
    }
    const digest = createHmac('sha256', this.key).update(arn).digest('hex').slice(0, 12);
    const token = `[redacted:${digest}]`;
    this.seen.set(`${part.prefix}${token}`, arn);
    this.seen.set(token, part.name);
    return `${part.prefix}${token}`;
  }

  /**
   * `value` with every occurrence of the ARN's PHI-looking name replaced by its
   * redacted form (the ARN, console links, call parameters, error messages).
   */
  redact<T>(value: T, arn: string): T {
    const part = namePart(arn);
    const shown = this.display(arn);
    if (!part || shown === arn) return value;
    const token = shown.slice(part.prefix.length);
    const walk = (v: unknown): unknown => {
      if (typeof v === 'string') return v.split(arn).join(shown).split(part.name).join(token);
      if (Array.isArray(v)) return v.map(walk);
      if (v && typeof v === 'object')
        return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x)]));
      return v;
    };
    return walk(value) as T;
  }

  /** Real names back, for the operator's own terminal: only names this process redacted. */
  reveal(text: string): string {
    let out = text;
    // Whole ARNs first (inserted before their tokens), then tokens left in links and parameters.
    for (const [redacted, real] of this.seen) out = out.split(redacted).join(real);
    return out;
  }
}
