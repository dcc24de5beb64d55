import type { HistoryEntry, Ledger } from '../ledger/ledger';
import { pairKey } from '../ledger/ledger';

/**
 * The pairs (`pairKey`) among `entries`' tickets whose ticket is open in a ticket
 * system (Jira, ServiceNow, OpsCenter), per the registry's claims: one batch read.
 */
export async function ticketsOpenInTicketSystems(
  ledger: Pick<Ledger, 'recall'>,
  entries: readonly HistoryEntry[],
): Promise<Set<string>> {
  const pairs = new Map<string, { rule: string; resource: string }>();
  for (const e of entries) {
    if (e.status === 'ticket') pairs.set(pairKey(e.rule, e.resource), { rule: e.rule, resource: e.resource });
  }
  if (pairs.size === 0) return new Set();
  const memory = await ledger.recall([...pairs.values()]);
  return new Set([...memory].filter(([, m]) => m.ticketOpen).map(([key]) => key));
}
