import type { AwsClientSpec, AwsClients, SdkClient } from './aws-clients';
import { RuleDefinitionError } from './errors';
import { iamActionOf } from './iam-actions';

/** One AWS API call a plan would make, described by the call itself (see {@link awsCall}). */
export interface PlannedAction {
  /** IAM prefix of the service (`s3`, `ec2`, `elasticloadbalancing`). */
  service: string;
  /** The operation name, e.g. `PutPublicAccessBlock`. */
  api: string;
  /**
   * Every IAM action the call needs: its own, and what the service does on the
   * caller's behalf (CreateFlowLogs to S3 also needs `logs:CreateLogDelivery`).
   * A rule must declare each in `permissions.write` (a registry meta-test checks).
   */
  iamActions: readonly string[];
  /** The service principal the call hands an IAM role to; the stack grants `iam:PassRole` for it alone. */
  passesRoleTo?: string;
  /**
   * The call's parameters as shown to people. Content that could carry PHI (a
   * policy document) is summarised here; the exact payload lives in `run`.
   */
  params: Record<string, unknown>;
  /** Performs the call. Only the engine invokes it, and never in dry-run. */
  run: (ctx: { clients: AwsClients }) => Promise<unknown>;
}

/**
 * Operations of commands from clients published before operation schemas (SDK
 * 3.900), by command class: declared with their client (`awsClient(…, {
 * legacyOperations })`). Keyed by the class itself, so minification cannot break it.
 */
const LEGACY_OPERATIONS = new Map<unknown, string>();

export function registerLegacyOperations(
  operations: Readonly<Record<string, abstract new (...args: never[]) => object>>,
): void {
  for (const [operation, Command] of Object.entries(operations)) LEGACY_OPERATIONS.set(Command, operation);
}

/** The SDK v3 operation name of a command instance: its operation schema carries it (minification-proof). */
export function operationOf(command: object): string {
  const schema = (command as { schema?: unknown }).schema;
  const name = Array.isArray(schema) ? schema[2] : LEGACY_OPERATIONS.get(command.constructor);
  if (typeof name !== 'string' || name.length === 0) {
    throw new RuleDefinitionError(
      'an SDK command without an operation schema cannot describe itself (is the client older than 3.900? then declare its commands in awsClient(…, { legacyOperations }))',
    );
  }
  return name;
}

export interface CallOptions<I> {
  /**
   * What people see instead of a parameter that could carry content: a policy
   * document becomes its shape (`{ statementsKept: 3, statementAdded: 'Sid' }`).
   */
  show?: { [K in keyof I]?: unknown };
  /** IAM actions the service needs on the caller's behalf, beyond the call's own. */
  alsoNeeds?: readonly string[];
  /** The service principal an IAM role in the input is handed to. */
  passesRoleTo?: string;
  /** Throws for a failure reported inside a successful answer (CreateFlowLogs' `Unsuccessful`). */
  accept?: (output: unknown) => void;
}

/**
 * A planned call built from the SDK command and its input, so the call is written
 * once: the service, the operation and the IAM action are read from the client and
 * the command; the parameters people see are the input, with what `show` replaces.
 */
export function awsCall<I extends object>(
  client: AwsClientSpec<SdkClient>,
  Command: new (input: I) => object,
  input: I,
  options: CallOptions<I> = {},
): PlannedAction {
  const api = operationOf(new Command(input));
  return {
    service: client.iamPrefix,
    api,
    iamActions: [iamActionOf(client.iamPrefix, api), ...(options.alsoNeeds ?? [])],
    ...(options.passesRoleTo ? { passesRoleTo: options.passesRoleTo } : {}),
    params: { ...input, ...options.show } as Record<string, unknown>,
    async run(ctx) {
      const output = await ctx.clients.get(client).send(new Command(input) as never);
      options.accept?.(output);
      return output;
    },
  };
}
