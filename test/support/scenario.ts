import { type AwsStub, mockClient } from 'aws-sdk-client-mock';
import type { AwsClientSpec, SdkClient } from '../../src/aws-clients';
import { iamActionOf } from '../../src/iam-actions';
import { operationOf } from '../../src/planned-action';

/**
 * A rule's scenarios: what its tests (the registry meta-tests, the wire-level
 * least-privilege test) need to know of one HIPAA control beyond its file. One
 * file per rule, `test/scenarios/<rule-id>.ts`, beside its unit tests; nothing else
 * in the suite names the rule.
 */
export interface RuleScenarios {
  /**
   * Drifted resources as AWS would answer for them, with client mocks (no
   * emulator). Together they must plan every write the rule declares.
   */
  drifted: DriftScenario[];
  /**
   * The resource ids the rule takes from each real CloudTrail record in
   * `../shared/cloudtrail-samples/` for the events it listens to, by file
   * (`s3/CreateBucket.1.json`); `all` when the record cannot name the resource and
   * every resource of the type is re-checked; `lookup` when a read finds them from
   * related resources the record names. Placeholders ("", "...") name nothing.
   */
  samples: Record<string, string[] | 'all' | 'lookup'>;
  /**
   * One drifted resource of the rule made in the emulator, for the tests that watch
   * the wire; or why the emulator cannot hold one (then the mocks above are all).
   */
  emulator: EmulatorSeed | { unsupported: string };
}

export interface DriftScenario {
  /** What is drifted, for people reading the test names. */
  name: string;
  arn: string;
  /** The rule's settings, as environment variables. */
  env?: Record<string, string>;
  /** Answers reads as the drifted resource would, and writes as AWS would. */
  aws(mocks: MockAws): void;
}

/** Clients of one region of the emulator, by the resource modules' client declarations. */
export interface EmulatorClients {
  get<C extends SdkClient>(spec: AwsClientSpec<C>): C;
}

export interface EmulatorSeed {
  /** Makes the drifted resource in `region` through the given clients; returns its ARN. */
  seed(clients: EmulatorClients, region: string): Promise<string>;
  /** What a sweep or an event with --apply must end in for it. */
  expect: 'remediated' | 'ticket';
  /**
   * Rules of the same resource that the fix leaves with a ticket for a person
   * (cancelling a key's deletion leaves the key disabled): a sweep reports them after
   * --apply, and a rescan still does.
   */
  leavesTickets?: string[];
  /** The rule's settings for these tests (the seed makes what they name, e.g. a log bucket). */
  env?: Record<string, string>;
  /**
   * A CloudTrail event (from `events/`) about the seeded resource, for the event-path
   * test; absent for a rule no event names one resource of (a sweep-only check).
   */
  event?(arn: string, region: string): unknown;
  /**
   * Reads the resource back through the SDK (not through the rule) and throws unless
   * the fix holds. Required when `expect` is `remediated`.
   */
  fixed?(clients: EmulatorClients, arn: string): Promise<void>;
}

export interface SentCall {
  operation: string;
  iamAction: string;
}

// biome-ignore lint/suspicious/noExplicitAny: one stub type serves every client's commands
export type ClientStub = AwsStub<any, any, any>;

/** aws-sdk-client-mock for the clients a scenario uses, remembering every command sent. */
export class MockAws {
  private readonly stubs = new Map<AwsClientSpec<SdkClient>, ClientStub>();

  client<C extends SdkClient>(spec: AwsClientSpec<C>): ClientStub {
    let stub = this.stubs.get(spec as AwsClientSpec<SdkClient>);
    if (!stub) {
      stub = mockClient(spec.Client as never) as ClientStub;
      this.stubs.set(spec as AwsClientSpec<SdkClient>, stub);
    }
    return stub;
  }

  /** Every command sent through a mocked client, with the IAM action it needs. */
  sent(): SentCall[] {
    return [...this.stubs].flatMap(([spec, stub]) =>
      stub.calls().map((call) => {
        const operation = operationOf(call.args[0] as object);
        return { operation, iamAction: iamActionOf(spec.iamPrefix, operation) };
      }),
    );
  }

  restore(): void {
    for (const stub of this.stubs.values()) stub.restore();
    this.stubs.clear();
  }
}

/** The scenarios of a rule, by its id; a rule without them fails the meta-tests by name. */
export async function scenariosOf(ruleId: string): Promise<RuleScenarios> {
  try {
    return (await import(`../scenarios/${ruleId}.ts`)).default as RuleScenarios;
  } catch (error) {
    throw new Error(
      `rule ${ruleId} has no test/scenarios/${ruleId}.ts (drifted resources for the meta-tests)`,
      {
        cause: error,
      },
    );
  }
}
