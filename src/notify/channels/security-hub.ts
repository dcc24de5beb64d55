import { BatchImportFindingsCommand, type SecurityHubClient } from '@aws-sdk/client-securityhub';
import { chunksOf } from '../../chunks';
import { PhiGuardError } from '../../errors';
import { type FindingProduct, toAsffFinding } from '../asff';
import type { Notification } from '../notification';
import type { MessageChannel } from './channel';

/** BatchImportFindings takes at most 100 findings per call. */
export const FINDINGS_PER_IMPORT = 100;

/** Security Hub refused findings of an import (their error codes; never their content). */
export class FindingsRefusedError extends PhiGuardError {
  constructor(readonly codes: string[]) {
    super(`Security Hub refused ${codes.length} finding(s): ${[...new Set(codes)].join(', ')}`);
    this.name = 'FindingsRefusedError';
  }
}

/**
 * AWS Security Hub as a notification channel (`PHIGUARD_SECURITY_HUB=true`): each
 * notification becomes, or updates, the one finding of its (account, Region, rule,
 * resource) in ASFF (../asff.ts). A burst is not summarised: every finding is
 * imported, 100 per call. A refused finding fails the delivery, so the queue
 * retries it (re-importing the same Id only updates the finding).
 */
export class SecurityHubChannel implements MessageChannel {
  readonly name = 'securityhub' as const;

  constructor(
    private readonly client: SecurityHubClient,
    private readonly product: FindingProduct,
  ) {}

  send(n: Notification): Promise<void> {
    return this.import([n]);
  }

  sendDigest(all: readonly Notification[]): Promise<void> {
    return this.import(all);
  }

  private async import(notifications: readonly Notification[]): Promise<void> {
    const refused: string[] = [];
    for (const chunk of chunksOf([...notifications], FINDINGS_PER_IMPORT)) {
      const out = await this.client.send(
        new BatchImportFindingsCommand({ Findings: chunk.map((n) => toAsffFinding(n, this.product)) }),
      );
      for (const failed of out.FailedFindings ?? []) refused.push(failed.ErrorCode ?? 'Unknown');
    }
    if (refused.length > 0) throw new FindingsRefusedError(refused);
  }
}
