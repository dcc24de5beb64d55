import { describeAwsError, isThrottling } from './aws-errors';
import { WriteOutcomeUnknownError } from './errors';

/**
 * Writes get their own attempts. The SDK retries every transient failure, which is
 * right for a read and for a write the service refused (throttling: it was not
 * applied). But a write whose answer was lost — a dropped connection, a time-out, a
 * 5xx — may have been applied already, and sending it again is a second change.
 * This middleware, inside the SDK's retry loop, turns such a failure of a write into
 * WriteOutcomeUnknownError, which the SDK does not retry; the engine reads the
 * resource back instead (src/engine/decide.ts), so a fix that landed is reported
 * `remediated` from what the read shows, and one that did not is retried later.
 */

/** Operations that only read (by AWS's naming), and STS's, whose repetition changes nothing. */
const NOT_A_WRITE =
  /^(Get|List|Describe|Head|Lookup|Search|Select|Query|Scan|BatchGet|Check|Simulate|Test|Validate|Estimate|Preview|AssumeRole)/;

interface SdkFailure {
  $metadata?: { httpStatusCode?: number };
}

/** A refusal the service made before applying anything: throttling, or any 4xx answer. */
function wasRefused(error: SdkFailure): boolean {
  const status = error.$metadata?.httpStatusCode;
  if (isThrottling(error)) return true;
  return status !== undefined && status >= 400 && status < 500 && status !== 408;
}

export function isWriteOperation(commandName: string | undefined): boolean {
  return commandName !== undefined && !NOT_A_WRITE.test(commandName.replace(/Command$/, ''));
}

type Handler = (args: unknown) => Promise<unknown>;

export const writeOutcomeMiddleware =
  (next: Handler, context: { commandName?: string }): Handler =>
  async (args) => {
    try {
      return await next(args);
    } catch (error) {
      if (!isWriteOperation(context.commandName) || wasRefused(error as SdkFailure)) throw error;
      throw new WriteOutcomeUnknownError(
        (context.commandName ?? 'write').replace(/Command$/, ''),
        error,
        describeAwsError(error),
      );
    }
  };

interface MiddlewareStack {
  addRelativeTo(
    middleware: unknown,
    options: { relation: 'before' | 'after'; toMiddleware: string; name: string; override?: boolean },
  ): void;
}

/** Installs the middleware inside the client's retry loop (a client without one is left as it is). */
export function giveWritesTheirOwnAttempts(client: unknown): void {
  const stack = (client as { middlewareStack?: MiddlewareStack }).middlewareStack;
  stack?.addRelativeTo(writeOutcomeMiddleware, {
    relation: 'after',
    toMiddleware: 'retryMiddleware',
    name: 'phiguardWriteOutcome',
    override: true,
  });
}
