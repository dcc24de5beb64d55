/**
 * Resource policy documents (S3 buckets, SNS topics, Glacier vaults) evaluated
 * from their JSON. moto does not implement GetBucketPolicyStatus, and reading the
 * document lets one code path serve the emulator and real AWS alike.
 */
export interface PolicyStatement {
  Sid?: string;
  Effect?: string;
  Principal?: unknown;
  NotPrincipal?: unknown;
  Action?: string | string[];
  NotAction?: string | string[];
  Resource?: string | string[];
  Condition?: Record<string, Record<string, unknown>>;
  [key: string]: unknown;
}

export interface PolicyDocument {
  Version?: string;
  Id?: string;
  Statement: PolicyStatement[];
  [key: string]: unknown;
}

export class PolicyDocumentError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PolicyDocumentError';
  }
}

export function parsePolicy(text: string): PolicyDocument {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new PolicyDocumentError('bucket policy is not valid JSON', { cause: error });
  }
  if (typeof raw !== 'object' || raw === null)
    throw new PolicyDocumentError('bucket policy is not a JSON object');
  const doc = raw as { Statement?: unknown };
  const statements =
    doc.Statement === undefined ? [] : Array.isArray(doc.Statement) ? doc.Statement : [doc.Statement];
  return { ...(raw as object), Statement: statements as PolicyStatement[] };
}

export function toList(value: unknown): string[] {
  if (value === undefined || value === null) return [];
  return (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === 'string');
}

/** `"*"`, `{"AWS": "*"}` or `{"AWS": ["*"]}`: anyone. */
export function isEveryone(principal: unknown): boolean {
  if (principal === '*') return true;
  if (typeof principal === 'object' && principal !== null) {
    return toList((principal as Record<string, unknown>).AWS).includes('*');
  }
  return false;
}

/** An unconditional Allow to everyone: what Block Public Access calls a public policy. */
export function isPublicStatement(statement: PolicyStatement): boolean {
  return (
    statement.Effect === 'Allow' &&
    isEveryone(statement.Principal) &&
    (statement.Condition === undefined || Object.keys(statement.Condition).length === 0)
  );
}
