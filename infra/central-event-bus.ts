/**
 * The organisation's event bus in the central account. Every member account and
 * Region forwards its PHI Guard events to it (infra/member-template.ts), and each
 * event function has a second EventBridge rule on it with the same pattern as on
 * the default bus (infra/event-function-stack.ts).
 *
 * Who may put events on it is decided at deploy, from the deploying shell:
 * PHIGUARD_ORGANIZATION_ID admits every account of the organisation
 * (`aws:PrincipalOrgID`), PHIGUARD_MEMBER_ACCOUNTS a listed set. With neither,
 * the bus admits only its own account: nothing from elsewhere arrives, which is
 * the single-account deployment.
 */
import { ConfigError } from '../src/errors';
import { organisationBusName } from '../src/own-event-rules';

/** The organisation's bus in the central account: member accounts forward their events to it. */
export const CENTRAL_EVENT_BUS = 'CentralEventBus';
export const centralEventBusName = organisationBusName;

export interface CentralBusAdmission {
  organizationId?: string;
  accounts: string[];
}

/** The deploy's admission settings, validated: a typo fails the package, not the first forwarded event. */
export function centralBusAdmission(env: NodeJS.ProcessEnv = process.env): CentralBusAdmission {
  const organizationId = env.PHIGUARD_ORGANIZATION_ID?.trim() || undefined;
  if (organizationId && !/^o-[a-z0-9]{10,32}$/.test(organizationId)) {
    throw new ConfigError(
      'PHIGUARD_ORGANIZATION_ID must be an AWS Organizations id (o- then 10-32 of a-z 0-9)',
    );
  }
  const accounts = (env.PHIGUARD_MEMBER_ACCOUNTS ?? '')
    .split(',')
    .map((id) => id.trim())
    .filter(Boolean);
  const bad = accounts.find((id) => !/^\d{12}$/.test(id));
  if (bad !== undefined) {
    throw new ConfigError('PHIGUARD_MEMBER_ACCOUNTS must be a comma-separated list of 12-digit account ids');
  }
  return { organizationId, accounts: [...new Set(accounts)].sort() };
}

/** `resources:` entries: the bus and, for each way of admitting accounts that is configured, its policy. */
export function centralEventBusResources(stage: string, admission: CentralBusAdmission) {
  const busArn = { 'Fn::GetAtt': [CENTRAL_EVENT_BUS, 'Arn'] };
  const resources: Record<string, unknown> = {
    [CENTRAL_EVENT_BUS]: {
      Type: 'AWS::Events::EventBus',
      Properties: { Name: centralEventBusName(stage) },
    },
  };
  if (admission.organizationId) {
    resources.CentralEventBusOrganizationPolicy = {
      Type: 'AWS::Events::EventBusPolicy',
      Properties: {
        EventBusName: { Ref: CENTRAL_EVENT_BUS },
        StatementId: 'OrganizationForwardsEvents',
        Statement: {
          Effect: 'Allow',
          Principal: '*',
          Action: 'events:PutEvents',
          Resource: busArn,
          Condition: { StringEquals: { 'aws:PrincipalOrgID': admission.organizationId } },
        },
      },
    };
  }
  if (admission.accounts.length > 0) {
    resources.CentralEventBusAccountsPolicy = {
      Type: 'AWS::Events::EventBusPolicy',
      Properties: {
        EventBusName: { Ref: CENTRAL_EVENT_BUS },
        StatementId: 'MemberAccountsForwardEvents',
        Statement: {
          Effect: 'Allow',
          Principal: {
            AWS: admission.accounts.map((id) => ({ 'Fn::Sub': `arn:\${AWS::Partition}:iam::${id}:root` })),
          },
          Action: 'events:PutEvents',
          Resource: busArn,
        },
      },
    };
  }
  return resources;
}
