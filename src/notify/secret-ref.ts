import { ConfigError } from '../errors';

/**
 * Where a channel's secret lives. Secrets (the Slack webhook URL, Jira and
 * ServiceNow credentials) are never in the environment: only a reference to SSM
 * Parameter Store (`ssm:/name`, a SecureString) or Secrets Manager
 * (`secretsmanager:name`), or the ARN of either. The notifier reads through it and
 * the stack grants its role exactly these, both from this one parser.
 */
export type SecretRef = { store: 'ssm'; name: string } | { store: 'secretsmanager'; name: string };

export function parseSecretRef(variable: string, raw: string): SecretRef {
  if (/^https?:\/\//i.test(raw)) {
    throw new ConfigError(
      `${variable} must reference the secret (ssm:/name or secretsmanager:name), not contain it: keep webhook URLs and credentials out of the environment`,
    );
  }
  if (raw.startsWith('ssm:')) return { store: 'ssm', name: raw.slice(4) };
  if (raw.startsWith('secretsmanager:'))
    return { store: 'secretsmanager', name: raw.slice('secretsmanager:'.length) };
  if (/^arn:aws[a-z-]*:ssm:/.test(raw))
    return { store: 'ssm', name: raw.replace(/^arn:[^:]+:ssm:[^:]*:\d*:parameter/, '') };
  if (/^arn:aws[a-z-]*:secretsmanager:/.test(raw)) return { store: 'secretsmanager', name: raw };
  throw new ConfigError(
    `${variable} must be ssm:/parameter-name, secretsmanager:secret-id, or the ARN of either`,
  );
}
