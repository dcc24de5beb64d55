import { describe, expect, it } from 'vitest';
import { SETTLEMENT_ROUNDS, settleAndNotify } from '../../src/engine/settle';
import type { Ledger } from '../../src/ledger/ledger';
import { MemoryLedger } from '../../src/ledger/memory-ledger';
import { silentLogger } from '../../src/logger';
import { Settlement } from '../../src/settlement';

/**
 * The registry's settlement records fixes already made: a refusal the SDK's own retries
 * did not outlast is sent again in rounds (found by the reliability benchmark, where a
 * retried event then found its bucket compliant and the fix went unrecorded).
 */
const serverError = () =>
  Object.assign(new Error('InternalServerError'), { $metadata: { httpStatusCode: 500 } });
const refused = () =>
  Object.assign(new Error('The conditional request failed'), {
    name: 'ConditionalCheckFailedException',
    $metadata: { httpStatusCode: 400 },
  });

/** A registry whose settlements fail with `errors`, in turn, before it accepts one. */
function ledgerFailing(errors: Error[]): { ledger: Ledger; attempts: () => number } {
  const memory = new MemoryLedger();
  let attempts = 0;
  const ledger = Object.create(memory) as Ledger;
  ledger.complete = async (settlement) => {
    attempts++;
    const error = errors.shift();
    if (error) throw error;
    return memory.complete(settlement);
  };
  return { ledger, attempts: () => attempts };
}

describe('settling an evaluation in the registry', () => {
  it('sends a settlement refused with server errors again until it lands', async () => {
    const { ledger, attempts } = ledgerFailing([serverError(), serverError()]);
    await settleAndNotify({ ledger, logger: silentLogger }, new Settlement('owner-1'), {
      eventId: 'event-1',
      failed: false,
      outcomes: [],
    });
    expect(attempts()).toBe(3);
  });

  it(`gives up after ${SETTLEMENT_ROUNDS} rounds, and at once on an error another round cannot mend`, async () => {
    const transient = ledgerFailing(Array.from({ length: SETTLEMENT_ROUNDS }, serverError));
    await expect(
      settleAndNotify({ ledger: transient.ledger, logger: silentLogger }, new Settlement('owner-2'), {
        eventId: 'event-2',
        failed: false,
        outcomes: [],
      }),
    ).rejects.toThrow('InternalServerError');
    expect(transient.attempts()).toBe(SETTLEMENT_ROUNDS);

    const permanent = ledgerFailing([refused()]);
    await expect(
      settleAndNotify({ ledger: permanent.ledger, logger: silentLogger }, new Settlement('owner-3'), {
        eventId: 'event-3',
        failed: false,
        outcomes: [],
      }),
    ).rejects.toThrow('conditional request failed');
    expect(permanent.attempts()).toBe(1);
  });
});
