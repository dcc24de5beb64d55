/**
 * Every error PHI Guard raises on purpose. Callers branch on the class, never on
 * the message; the message is for people and never carries resource content
 * (object keys, tag values, policy bodies) because errors end up in logs.
 */
export class PhiGuardError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'PhiGuardError';
  }
}

/** The input is not an EventBridge envelope nor a CloudTrail record. Lambda must retry and dead-letter it. */
export class InvalidEventError extends PhiGuardError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidEventError';
  }
}

/** Configuration (file or environment) is malformed. Raised at start-up, never at the first event. */
export class ConfigError extends PhiGuardError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConfigError';
  }
}

/**
 * A resource a rule reads no longer exists (a bucket deleted between the event and
 * the read). Resource modules throw it from their reads; the engine reports `gone`.
 * The message names the resource by its ARN only.
 */
export class ResourceGoneError extends PhiGuardError {
  readonly resource: string;
  constructor(resource: string, options?: { cause?: unknown }) {
    super(`${resource} no longer exists`, options);
    this.name = 'ResourceGoneError';
    this.resource = resource;
  }
}

/** A rule module breaks the rule contract (duplicate id, missing permissions, …). */
export class RuleDefinitionError extends PhiGuardError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'RuleDefinitionError';
  }
}

/**
 * One or more (rule, resource) evaluations ended in `error`. The handler throws this
 * after reporting every outcome so that Lambda retries the event (the engine is
 * idempotent: it re-reads live state) and, after the last retry, dead-letters it.
 */
export class RemediationFailedError extends PhiGuardError {
  readonly failures: readonly { rule: string; resource: string; reason: string }[];

  constructor(
    failures: readonly { rule: string; resource: string; reason: string }[],
    options?: { cause?: unknown },
  ) {
    super(
      `${failures.length} remediation(s) failed: ${failures.map((f) => `${f.rule} on ${f.resource}: ${f.reason}`).join('; ')}`,
      options,
    );
    this.name = 'RemediationFailedError';
    this.failures = failures;
  }
}

/**
 * A Lambda bundle was asked for an SDK capability that infra/esbuild-plugins.cjs
 * left out of it (S3 event streams, DynamoDB endpoint discovery). No rule uses
 * one today; a rule that needs one must take its stand-in out of the plugin.
 */
export class NotBundledError extends PhiGuardError {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'NotBundledError';
  }
}

/**
 * A write whose answer never came (the connection dropped, the call timed out, the
 * service answered 5xx): it may or may not have been applied. It is not sent again
 * blindly (a repeated write is a second change, and counts towards fights); the
 * engine reads the resource back and decides from what it sees.
 *
 * The SDK's failure is kept as `underlying`, not as `cause`: the SDK's retry
 * classification follows `cause` and would retry the write again.
 */
export class WriteOutcomeUnknownError extends PhiGuardError {
  readonly operation: string;
  readonly underlying: unknown;
  constructor(operation: string, underlying: unknown, description: string) {
    super(`${operation}: no answer (${description}); it may have been applied`);
    this.name = 'WriteOutcomeUnknown';
    this.operation = operation;
    this.underlying = underlying;
  }
}
